package org.oobnet.harness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobTask;
import org.oobnet.harness.bench.floor.FloorProgram;
import org.oobnet.harness.env.ChildJvm;
import org.oobnet.harness.env.NetnsPair;
import org.oobnet.harness.env.ParentWatch;
import org.oobnet.harness.bench.packet.OobFrames;
import org.oobnet.harness.bench.throughput.StageBlaster;
import org.oobnet.harness.env.CpuSet;
import org.oobnet.harness.report.ResultFolder;
import org.oobnet.harness.report.RunJson;
import org.oobnet.harness.bench.throughput.ThroughputRows;
import org.oobnet.inband.KSocket;
import org.oobnet.packet.PacketConfig;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import org.oobnet.packet.ring.RingGeometry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code oobnet latency throughput}: frames per second one sender pushes through one core, 64-byte payloads between
 * two namespaces, in one run: {@code oob-packet} (an OOB stage filling oob-packet's TX ring, one kick per cycle)
 * against {@code kernel-sendmmsg} (the same frames through {@code sendmmsg(2)} on a plain packet socket, 64 per call,
 * the C floor program). The receiver, the same for both, is the C floor program counting from its RX ring in the
 * other namespace; what it could not take is the kernel's {@code tp_drops}, and whatever is left is reported as
 * {@code unaccounted} (frames lost on the way, e.g. by veth).
 * <p>
 * Rows, run in interleaved rounds: {@code oob-packet} (oob-packet's default TX ring, 64 frames per kick),
 * {@code oob-packet-sized-ring} (the ring sized for the frame and the batch, 512 frames per kick: no gain measured
 * on veth, see docs/tuning.md), {@code c-tx-ring} (the same
 * TX-ring path in C, 64 frames per kick: what the kernel's ring path costs without the JVM) and
 * {@code kernel-sendmmsg}. Each row also reports where its time went per frame: in user space (filling frames) and
 * in the kernel call (the kick, or {@code sendmmsg}); on veth the kernel call is where almost all of it goes.
 * <p>
 * <b>Note:</b> in-band command; the stage rows' sender runs in a child JVM whose stage spins for the run, after an
 * uncounted warm-up of another EtherType.
 */
@Command(name = "throughput", mixinStandardHelpOptions = true,
    description = "Frames per second through one core: the OOB stage's TX ring (oob-packet) against a kernel " +
        "sendmmsg loop (kernel-sendmmsg), counted by one receiver in another namespace.")
public final class ThroughputCommand implements Callable<Integer>
{
    private static final String SENT = "SENT ";
    private static final String KERNEL_ROW = "kernel-sendmmsg";
    /**
     * The oob-packet-sized-ring row's TX ring: frames just large enough for the datagram (128 bytes hold a 96-byte
     * frame after the 32-byte header) so that a whole ring of them stays in a few pages and cache lines, and enough of them for
     * {@link #TUNED_BATCH}; the kick is synchronous on veth (the kernel hands every frame back before send(2)
     * returns), so one cycle can fill the whole ring.
     */
    private static final int TUNED_TX_FRAMES = 512;
    private static final int TUNED_BATCH = 512;

    @Option(names = "--duration", defaultValue = "3s", paramLabel = "TIME",
        description = "How long each row sends (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--size", defaultValue = "64", paramLabel = "BYTES",
        description = "Payload bytes per frame, after the Ethernet header (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the rows to FILE (a JSON array).")
    Path json;

    @Option(names = "--out", paramLabel = "DIR",
        description = "Result folder (default: results/throughput-<timestamp>).")
    Path out;

    @Option(names = "--cpu", defaultValue = "-2", paramLabel = "CPU",
        description = "The sender's CPU (default: as the latency runs).")
    int cpu;

    @Option(names = "--peer-cpu", defaultValue = "-2", paramLabel = "CPU",
        description = "The receiver's CPU (default: as the latency runs).")
    int peerCpu;

    @Option(names = "--warmup", defaultValue = "1s", paramLabel = "TIME",
        description = "Stage rows: uncounted sending first, so that the JIT has compiled the path (default: " +
            "${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "N",
        description = "Interleaved rounds; each runs every row for the duration (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--ablation",
        description = "Also run the sized ring's batch on the default 2048-byte TX frames (oob-packet-batch-only), " +
            "to separate the batch's effect from the frame size's.")
    boolean ablation;

    @Option(names = "--send-oob", hidden = true)
    boolean sendOob;

    @Option(names = "--interface", hidden = true)
    String interfaceName;

    @Option(names = "--batch", hidden = true, defaultValue = "64")
    int batch;

    @Option(names = "--tx-frames", hidden = true, defaultValue = "0")
    int txFrames;

    @Option(names = "--tx-frame-size", hidden = true, defaultValue = "0")
    int txFrameSize;

    private long warmupNs;

    @Override
    public Integer call() throws IOException
    {
        final long durationNs;
        try
        {
            durationNs = Durations.parseNs("duration", duration);
            warmupNs = Durations.parseNs("warmup", warmup);
            if (durationNs <= 0 || warmupNs < 0 || size < 16 || size > 1400 || rounds < 1)
            {
                throw new IllegalArgumentException("duration=" + duration + " must be positive, size=" + size +
                    " between 16 and 1400 and rounds=" + rounds + " at least 1");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("oobnet latency throughput: " + ex.getMessage());
            return 2;
        }
        final int sender = cpu >= -1 ? cpu : CpuSet.defaultCpu();
        final int receiver = peerCpu >= -1 ? peerCpu : CpuSet.defaultPeerCpu(sender);
        return sendOob ? sendOnStage(sender, durationNs) : orchestrate(sender, receiver, durationNs);
    }

    // the child JVM of the oob-packet row: a stage filling the TX ring until the deadline
    private int sendOnStage(final int sender, final long durationNs) throws IOException
    {
        final AtomicBoolean parentGone = new AtomicBoolean();
        ParentWatch.onEndOfInput(System.in, () -> parentGone.set(true));
        final Map<String, String> ring = new HashMap<>();
        if (txFrames > 0)
        {
            ring.put(PacketConfig.TX_FRAMES_KEY, Integer.toString(txFrames));
            ring.put(PacketConfig.TX_FRAME_SIZE_KEY, Integer.toString(txFrameSize));
        }
        try (OobRuntime runtime =
                OobFrames.startRuntime(interfaceName, sender, OobConfig.IdleStrategyKind.SPIN, ring);
            KSocket socket = OobFrames.openSocket(interfaceName))
        {
            final StageBlaster blaster =
                new StageBlaster(OobSocket.of(socket), OobFrames.macOf(interfaceName), size, batch);
            runtime.addTask(blaster, OobTask.Schedule.EVERY_CYCLE);
            final long start = System.nanoTime();
            // warm-up: the stage's path compiled before the counted frames start, as a C loop needs no warm-up
            blaster.start(warmupNs, durationNs);
            while (!blaster.isDone() && !parentGone.get())
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            final long elapsedNs = System.nanoTime() - start;
            runtime.removeTask(blaster);
            // elapsed: the stage's own first sending cycle to its deadline, as the C row times its loop
            System.out.println(SENT + "sent=" + blaster.sent() + " failed=0 elapsed_ns=" + blaster.cycleNs() +
                " ring_full_cycles=" + blaster.ringFull() + " cycles=" + blaster.cycles() + " fill_ns=" +
                blaster.fillNs() + " wall_ns=" + elapsedNs);
            System.out.flush();
        }
        return 0;
    }

    private int orchestrate(final int sender, final int receiver, final long durationNs) throws IOException
    {
        final FloorProgram program = FloorProgram.build();
        if (!program.isAvailable())
        {
            System.err.println("oobnet latency throughput: the receiver and the kernel row are the C floor " +
                "program: " + program.unavailableReason());
            return 2;
        }
        final Path dir = out != null ? out : ResultFolder.timestamped(Path.of("results"), "throughput");
        java.nio.file.Files.createDirectories(dir);
        final ArrayNode rows = new ObjectMapper().createArrayNode();
        try (NetnsPair network = NetnsPair.create())
        {
            final BitSet busy = new BitSet();
            busy.set(Math.max(0, sender));
            busy.set(Math.max(0, receiver));
            final List<String> oob = stageSender(network, sender, busy, durationNs, TUNED_BATCH, TUNED_TX_FRAMES,
                tunedFrameSize());
            final List<String> oobDefault = stageSender(network, sender, busy, durationNs, StageBlaster.BATCH, 0, 0);
            final List<String> kernel = ChildJvm.nativeCommand(network.prefix(false), sender, List.of(
                program.binary().toString(), "blast", "raw", network.interfaceName(false),
                "duration_ns=" + durationNs, "size=" + size, "batch=64"));
            // oob-packet: the stage with oob-packet's default TX ring (what an application gets); the sized ring
            // beside it, in the same rounds, is the experiment
            final Map<String, List<String>> senders = new LinkedHashMap<>();
            senders.put("oob-packet", oobDefault);
            senders.put("oob-packet-sized-ring", oob);
            if (ablation)
            {
                senders.put("oob-packet-batch-only", stageSender(network, sender, busy, durationNs, TUNED_BATCH,
                    TUNED_TX_FRAMES, PacketConfig.DEFAULT_FRAME_SIZE));
            }
            // the stage's path without the JVM: what the kernel's TX ring path costs by itself
            senders.put("c-tx-ring", ChildJvm.nativeCommand(network.prefix(false), sender, List.of(
                program.binary().toString(), "blast-ring", "raw", network.interfaceName(false),
                "duration_ns=" + durationNs, "size=" + size, "batch=" + StageBlaster.BATCH)));
            senders.put(KERNEL_ROW, kernel);
            // interleaved rounds: on a shared machine the load drifts; every round runs every row once, so the
            // ratios of each round are fair and their spread shows the noise
            final Map<String, ObjectNode> totals = new LinkedHashMap<>();
            final Map<String, ArrayNode> perRound = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++)
            {
                final Map<String, ObjectNode> thisRound = new LinkedHashMap<>();
                for (final Map.Entry<String, List<String>> e : senders.entrySet())
                {
                    thisRound.put(e.getKey(), row(e.getKey(), e.getValue(), program, network, receiver, durationNs,
                        dir));
                }
                final double kernelRate = ThroughputRows.rate(thisRound.get(KERNEL_ROW));
                thisRound.forEach((label, r) ->
                {
                    totals.merge(label, r, ThroughputRows::sum);
                    perRound.computeIfAbsent(label, k -> new ObjectMapper().createArrayNode())
                        .add(ThroughputRows.rate(r) / kernelRate);
                });
            }
            totals.forEach((label, r) ->
            {
                ThroughputRows.derive(r);
                r.set("ratio_to_kernel_per_round", perRound.get(label));
                rows.add(r);
            });
        }
        catch (final IOException ex)
        {
            System.err.println("oobnet latency throughput: " + ex.getMessage());
            return 1;
        }
        final double kernelRate = rows.get(rows.size() - 1).get("frames_per_s").asDouble();
        System.out.println(String.format(Locale.ROOT, "%-21s %10s %10s %10s %6s %9s %9s %6s %13s %7s %7s %7s",
            "run", "sent", "received", "rx_drops", "unacc", "frames/s", "recv/s", "x_kern", "x_kern/round",
            "fr/call", "ns/f_us", "ns/f_k"));
        for (final var r : rows)
        {
            final ObjectNode o = (ObjectNode)r;
            o.put("ratio_to_kernel", o.get("frames_per_s").asDouble() / kernelRate);
            final StringBuilder spread = new StringBuilder();
            for (final var ratio : o.get("ratio_to_kernel_per_round"))
            {
                spread.append(spread.isEmpty() ? "" : "/").append(String.format(Locale.ROOT, "%.2f", ratio.asDouble()));
            }
            System.out.println(String.format(Locale.ROOT,
                "%-21s %10d %10d %10d %6d %9.0f %9.0f %6.2f %13s %7.0f %7.0f %7.0f",
                o.get("label").asText(), o.get("sent").asLong(), o.get("received").asLong(),
                o.get("receiver_drops").asLong(), o.get("unaccounted").asLong(), o.get("frames_per_s").asDouble(),
                o.get("received_per_s").asDouble(), o.get("ratio_to_kernel").asDouble(), spread,
                o.get("frames_per_kick").asDouble(), o.get("fill_ns_per_frame").asDouble(),
                o.get("kernel_ns_per_frame").asDouble()));
        }
        System.out.println("(x_kern: frames/s over kernel-sendmmsg's, all rounds and each round; fr/call: frames " +
            "per send(2) kick or sendmmsg(2) call; ns/f_us: ns per frame outside the kernel call (the stage task " +
            "filling frames, or the C loop); ns/f_k: ns per frame in the kick and the stage's duty cycle, or inside " +
            "sendmmsg(2))");
        RunJson.write(dir.resolve("throughput.json"), rows);
        if (json != null)
        {
            RunJson.write(json, rows);
        }
        System.out.println("oobnet: results in " + dir.resolve("throughput.json") +
            (json != null ? "; JSON in " + json : ""));
        return 0;
    }

    // one row: the counter in the reflector's namespace, then the sender; the counter stops after the sender
    private ObjectNode row(final String label, final List<String> senderCommand, final FloorProgram program,
        final NetnsPair network, final int receiver, final long durationNs, final Path dir) throws IOException
    {
        final CompletableFuture<String> ready = new CompletableFuture<>();
        final Map<String, String> counted = new ConcurrentHashMap<>();
        final Map<String, String> sent = new ConcurrentHashMap<>();
        try (ChildJvm counter = ChildJvm.start(ChildJvm.nativeCommand(network.prefix(true), receiver,
            List.of(program.binary().toString(), "count", "raw", network.interfaceName(true))),
            dir.resolve(label + ".receiver.err"), line ->
            {
                if (line.startsWith("READY "))
                {
                    ready.complete(line);
                }
                else if (line.startsWith("COUNTED "))
                {
                    ThroughputRows.fields(line, counted);
                }
            }))
        {
            counter.awaitLine(ready, TimeUnit.SECONDS.toNanos(30), "throughput receiver");
            try (ChildJvm source = ChildJvm.start(senderCommand, dir.resolve(label + ".sender.err"), line ->
            {
                if (line.startsWith(SENT) || line.startsWith("BLASTED "))
                {
                    ThroughputRows.fields(line, sent);
                }
            }))
            {
                final int exit = source.waitFor(TimeUnit.NANOSECONDS.toMillis(durationNs + warmupNs) + 60_000);
                if (exit != 0 || !sent.containsKey("sent"))
                {
                    throw new IOException(label + " sender failed (exit " + exit + "): " + source.stderrTail());
                }
            }
            // the last frames drain into the receiver's ring, then it stops and reports
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            counter.endInput();
            counter.waitFor(10_000);
            if (!counted.containsKey("received"))
            {
                throw new IOException(label + " receiver reported no count: " + counter.stderrTail());
            }
        }
        final long frames = Long.parseLong(sent.get("sent"));
        final long elapsedNs = Long.parseLong(sent.get("elapsed_ns"));
        final long received = Long.parseLong(counted.get("received"));
        final long drops = Long.parseLong(counted.get("drops"));
        final ObjectNode row = new ObjectMapper().createObjectNode();
        row.put("label", label);
        row.put("size", size);
        row.put("sent", frames);
        row.put("send_failures", Long.parseLong(sent.getOrDefault("failed", "0")));
        row.put("received", received);
        row.put("receiver_drops", drops);
        row.put("elapsed_ns", elapsedNs);
        if (sent.containsKey("cycles"))
        {
            // stage row: the cycle is the task's fill plus everything outside it, almost all of it the one kick
            final long fillNs = Long.parseLong(sent.get("fill_ns"));
            row.put("cycles", Long.parseLong(sent.get("cycles")));
            row.put("ring_full_cycles", Long.parseLong(sent.get("ring_full_cycles")));
            row.put("fill_ns", fillNs);
            row.put("kernel_ns", elapsedNs - fillNs);
        }
        else
        {
            // C row: the time inside sendmmsg(2)
            row.put("cycles", Long.parseLong(sent.get("calls")));
            row.put("ring_full_cycles", 0L);
            row.put("fill_ns", elapsedNs - Long.parseLong(sent.get("syscall_ns")));
            row.put("kernel_ns", Long.parseLong(sent.get("syscall_ns")));
        }
        return row;
    }

    private List<String> stageSender(final NetnsPair network, final int sender, final BitSet busy,
        final long durationNs, final int frameBatch, final int frames, final int frameSize)
    {
        return ChildJvm.stageCommand(network.prefix(false), sender, busy, true, List.of(
            "latency", "throughput", "--send-oob", "--interface", network.interfaceName(false),
            "--duration", durationNs + "ns", "--warmup", warmupNs + "ns", "--size", Integer.toString(size), "--cpu",
            Integer.toString(sender),
            "--batch", Integer.toString(frameBatch), "--tx-frames", Integer.toString(frames),
            "--tx-frame-size", Integer.toString(frameSize)));
    }

    // the smallest power-of-two TX frame that holds the header and this run's datagram: a power of two divides the
    // block, so any frame count that is a multiple of the frames per block is a valid ring
    private int tunedFrameSize()
    {
        final int needed = RingGeometry.TX_DATA_OFFSET + EthernetHeaderFlyweight.HEADER_LENGTH + size;
        return Math.max(RingGeometry.MIN_FRAME_SIZE, Integer.highestOneBit(needed - 1) << 1);
    }

}
