package org.oobnet.harness.bench.throughput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.oobnet.harness.bench.floor.FloorProgram;
import org.oobnet.harness.env.ChildJvm;
import org.oobnet.harness.env.NetnsPair;
import org.oobnet.packet.PacketConfig;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import org.oobnet.packet.ring.RingGeometry;

/**
 * {@code oobnet latency throughput}'s run: frames per second one sender pushes through one core between two
 * namespaces, each row's sender a child (a stage JVM, {@link StageSendChild}, or the C floor program) and one
 * receiver for all, the C floor program counting from its RX ring in the other namespace (its {@code tp_drops} what
 * it could not take; whatever else is missing is {@code unaccounted}).
 * <p>
 * Rows, run in interleaved rounds: {@code oob-packet} (oob-packet's default TX ring, 64 frames per kick),
 * {@code oob-packet-sized-ring} (the ring sized for the frame and the batch, 512 frames per kick: no gain measured
 * on veth, see docs/tuning.md), optionally {@code oob-packet-batch-only} (the sized ring's batch on default frames),
 * {@code c-tx-ring} (the same TX-ring path in C, 64 frames per kick: what the kernel's ring path costs without the
 * JVM) and {@code kernel-sendmmsg} (the baseline, last). Each row also says where its time went per frame: in user
 * space (filling frames) and in the kernel call (the kick, or {@code sendmmsg}).
 * <p>
 * <b>Note:</b> in-band; one run per instance.
 */
public final class ThroughputRun
{
    /** The baseline row, last. */
    public static final String KERNEL_ROW = "kernel-sendmmsg";
    /**
     * The oob-packet-sized-ring row's TX ring: frames just large enough for the datagram (128 bytes hold a 96-byte
     * frame after the 32-byte header) so that a whole ring of them stays in a few pages and cache lines, and enough of
     * them for {@link #TUNED_BATCH}; the kick is synchronous on veth (the kernel hands every frame back before send(2)
     * returns), so one cycle can fill the whole ring.
     */
    private static final int TUNED_TX_FRAMES = 512;
    private static final int TUNED_BATCH = 512;

    /**
     * What the run is asked for, checked by the command.
     *
     * @param durationNs each row's sending time.
     * @param warmupNs   the stage rows' uncounted sending first.
     * @param size       payload bytes per frame.
     * @param rounds     interleaved rounds.
     * @param senderCpu  the sender's CPU.
     * @param receiverCpu the receiver's CPU.
     * @param ablation   also the {@code oob-packet-batch-only} row.
     * @param dir        where the children's logs go.
     */
    public record Settings(long durationNs, long warmupNs, int size, int rounds, int senderCpu, int receiverCpu,
        boolean ablation, Path dir)
    {
    }

    private final Settings settings;
    private final FloorProgram program;

    /**
     * @param settings the run's settings.
     * @param program  the C floor program, available (the receiver and the C rows).
     */
    public ThroughputRun(final Settings settings, final FloorProgram program)
    {
        this.settings = settings;
        this.program = program;
    }

    /**
     * Runs every row in every round.
     *
     * @return the rows, summed over the rounds, each with its rates, ratios to the kernel row (all rounds and per
     *         round) and time split; the kernel row last.
     * @throws IOException when the namespaces cannot be made or a child fails.
     */
    public ArrayNode run() throws IOException
    {
        Files.createDirectories(settings.dir());
        final ArrayNode rows = new ObjectMapper().createArrayNode();
        try (NetnsPair network = NetnsPair.create())
        {
            final Map<String, List<String>> senders = senders(network);
            // interleaved rounds: on a shared machine the load drifts; every round runs every row once, so the
            // ratios of each round are fair and their spread shows the noise
            final Map<String, ObjectNode> totals = new LinkedHashMap<>();
            final Map<String, ArrayNode> perRound = new LinkedHashMap<>();
            for (int round = 0; round < settings.rounds(); round++)
            {
                final Map<String, ObjectNode> thisRound = new LinkedHashMap<>();
                for (final Map.Entry<String, List<String>> e : senders.entrySet())
                {
                    thisRound.put(e.getKey(), row(e.getKey(), e.getValue(), network));
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
        final double kernelRate = rows.get(rows.size() - 1).get("frames_per_s").asDouble();
        for (final var r : rows)
        {
            final ObjectNode o = (ObjectNode)r;
            o.put("ratio_to_kernel", o.get("frames_per_s").asDouble() / kernelRate);
        }
        return rows;
    }

    // each row's sender command, in the table's order
    private Map<String, List<String>> senders(final NetnsPair network)
    {
        final int sender = settings.senderCpu();
        final BitSet busy = new BitSet();
        busy.set(Math.max(0, sender));
        busy.set(Math.max(0, settings.receiverCpu()));
        final Map<String, List<String>> senders = new LinkedHashMap<>();
        // oob-packet: the stage with oob-packet's default TX ring (what an application gets); the sized ring
        // beside it, in the same rounds, is the experiment
        senders.put("oob-packet", stageSender(network, busy, StageBlaster.BATCH, 0, 0));
        senders.put("oob-packet-sized-ring", stageSender(network, busy, TUNED_BATCH, TUNED_TX_FRAMES,
            tunedFrameSize()));
        if (settings.ablation())
        {
            senders.put("oob-packet-batch-only", stageSender(network, busy, TUNED_BATCH, TUNED_TX_FRAMES,
                PacketConfig.DEFAULT_FRAME_SIZE));
        }
        // the stage's path without the JVM: what the kernel's TX ring path costs by itself
        senders.put("c-tx-ring", ChildJvm.nativeCommand(network.prefix(false), sender, List.of(
            program.binary().toString(), "blast-ring", "raw", network.interfaceName(false),
            "duration_ns=" + settings.durationNs(), "size=" + settings.size(), "batch=" + StageBlaster.BATCH)));
        senders.put(KERNEL_ROW, ChildJvm.nativeCommand(network.prefix(false), sender, List.of(
            program.binary().toString(), "blast", "raw", network.interfaceName(false),
            "duration_ns=" + settings.durationNs(), "size=" + settings.size(), "batch=64")));
        return senders;
    }

    // one row: the counter in the reflector's namespace, then the sender; the counter stops after the sender
    private ObjectNode row(final String label, final List<String> senderCommand, final NetnsPair network)
        throws IOException
    {
        final Path dir = settings.dir();
        final CompletableFuture<String> ready = new CompletableFuture<>();
        final Map<String, String> counted = new ConcurrentHashMap<>();
        final Map<String, String> sent = new ConcurrentHashMap<>();
        try (ChildJvm counter = ChildJvm.start(ChildJvm.nativeCommand(network.prefix(true), settings.receiverCpu(),
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
                if (line.startsWith(StageSendChild.SENT) || line.startsWith("BLASTED "))
                {
                    ThroughputRows.fields(line, sent);
                }
            }))
            {
                final int exit = source.waitFor(
                    TimeUnit.NANOSECONDS.toMillis(settings.durationNs() + settings.warmupNs()) + 60_000);
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
        return ThroughputRows.of(label, settings.size(), sent, counted);
    }

    private List<String> stageSender(final NetnsPair network, final BitSet busy, final int frameBatch,
        final int frames, final int frameSize)
    {
        return ChildJvm.stageCommand(network.prefix(false), settings.senderCpu(), busy, true, List.of(
            "latency", "throughput", "--send-oob", "--interface", network.interfaceName(false),
            "--duration", settings.durationNs() + "ns", "--warmup", settings.warmupNs() + "ns", "--size",
            Integer.toString(settings.size()), "--cpu", Integer.toString(settings.senderCpu()),
            "--batch", Integer.toString(frameBatch), "--tx-frames", Integer.toString(frames),
            "--tx-frame-size", Integer.toString(frameSize)));
    }

    // the smallest power-of-two TX frame that holds the header and this run's datagram: a power of two divides the
    // block, so any frame count that is a multiple of the frames per block is a valid ring
    private int tunedFrameSize()
    {
        final int needed = RingGeometry.TX_DATA_OFFSET + EthernetHeaderFlyweight.HEADER_LENGTH + settings.size();
        return Math.max(RingGeometry.MIN_FRAME_SIZE, Integer.highestOneBit(needed - 1) << 1);
    }
}
