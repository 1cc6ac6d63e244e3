package org.oobnet.harness.latency.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
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
import org.oobnet.harness.latency.floor.FloorProgram;
import org.oobnet.harness.latency.net.ChildJvm;
import org.oobnet.harness.latency.net.NetnsPair;
import org.oobnet.harness.latency.net.ParentWatch;
import org.oobnet.harness.latency.oob.OobFrames;
import org.oobnet.harness.latency.oob.StageBlaster;
import org.oobnet.harness.latency.run.CpuSet;
import org.oobnet.harness.report.ResultFolder;
import org.oobnet.harness.report.RunJson;
import org.oobnet.inband.KSocket;
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
 * <b>Note:</b> in-band command; the oob-packet row's sender runs in a child JVM whose stage spins for the run.
 */
@Command(name = "throughput", mixinStandardHelpOptions = true,
    description = "Frames per second through one core: the OOB stage's TX ring (oob-packet) against a kernel " +
        "sendmmsg loop (kernel-sendmmsg), counted by one receiver in another namespace.")
public final class ThroughputCommand implements Callable<Integer>
{
    private static final String SENT = "SENT ";

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

    @Option(names = "--send-oob", hidden = true)
    boolean sendOob;

    @Option(names = "--interface", hidden = true)
    String interfaceName;

    @Override
    public Integer call() throws IOException
    {
        final long durationNs;
        try
        {
            durationNs = Durations.parseNs("duration", duration);
            if (durationNs <= 0 || size < 16 || size > 1400)
            {
                throw new IllegalArgumentException("duration=" + duration + " must be positive and size=" + size +
                    " between 16 and 1400");
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
        try (OobRuntime runtime = OobFrames.startRuntime(interfaceName, sender, OobConfig.IdleStrategyKind.SPIN);
            KSocket socket = OobFrames.openSocket(interfaceName))
        {
            final StageBlaster blaster =
                new StageBlaster(OobSocket.of(socket), OobFrames.macOf(interfaceName), size);
            runtime.addTask(blaster, OobTask.Schedule.EVERY_CYCLE);
            final long start = System.nanoTime();
            blaster.start(start + durationNs);
            while (!blaster.isDone() && !parentGone.get())
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            final long elapsedNs = System.nanoTime() - start;
            runtime.removeTask(blaster);
            System.out.println(SENT + "sent=" + blaster.sent() + " failed=0 elapsed_ns=" + elapsedNs +
                " ring_full_cycles=" + blaster.ringFull());
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
            final List<String> oob = ChildJvm.stageCommand(network.prefix(false), sender, busy, true, List.of(
                "latency", "throughput", "--send-oob", "--interface", network.interfaceName(false),
                "--duration", durationNs + "ns", "--size", Integer.toString(size), "--cpu",
                Integer.toString(sender)));
            final List<String> kernel = ChildJvm.nativeCommand(network.prefix(false), sender, List.of(
                program.binary().toString(), "blast", "raw", network.interfaceName(false),
                "duration_ns=" + durationNs, "size=" + size, "batch=64"));
            rows.add(row("oob-packet", oob, program, network, receiver, durationNs, dir));
            rows.add(row("kernel-sendmmsg", kernel, program, network, receiver, durationNs, dir));
        }
        catch (final IOException ex)
        {
            System.err.println("oobnet latency throughput: " + ex.getMessage());
            return 1;
        }
        System.out.println(String.format(Locale.ROOT, "%-16s %12s %12s %12s %10s %12s %14s", "run", "sent",
            "received", "rx_drops", "unacc", "frames/s", "received/s"));
        for (final var r : rows)
        {
            System.out.println(String.format(Locale.ROOT, "%-16s %12d %12d %12d %10d %12.0f %14.0f",
                r.get("label").asText(), r.get("sent").asLong(), r.get("received").asLong(),
                r.get("receiver_drops").asLong(), r.get("unaccounted").asLong(), r.get("frames_per_s").asDouble(),
                r.get("received_per_s").asDouble()));
        }
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
                    fields(line, counted);
                }
            }))
        {
            counter.awaitLine(ready, TimeUnit.SECONDS.toNanos(30), "throughput receiver");
            try (ChildJvm source = ChildJvm.start(senderCommand, dir.resolve(label + ".sender.err"), line ->
            {
                if (line.startsWith(SENT) || line.startsWith("BLASTED "))
                {
                    fields(line, sent);
                }
            }))
            {
                final int exit = source.waitFor(TimeUnit.NANOSECONDS.toMillis(durationNs) + 60_000);
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
        row.put("unaccounted", frames - received - drops);
        row.put("elapsed_ns", elapsedNs);
        row.put("frames_per_s", frames * 1e9 / elapsedNs);
        row.put("received_per_s", received * 1e9 / elapsedNs);
        return row;
    }

    private static void fields(final String line, final Map<String, String> into)
    {
        for (final String field : line.substring(line.indexOf(' ') + 1).trim().split(" "))
        {
            final int eq = field.indexOf('=');
            if (eq > 0)
            {
                into.put(field.substring(0, eq), field.substring(eq + 1));
            }
        }
    }
}
