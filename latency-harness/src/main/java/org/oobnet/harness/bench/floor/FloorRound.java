package org.oobnet.harness.bench.floor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.oobnet.harness.env.ChildJvm;
import org.oobnet.harness.env.NetnsPair;
import org.oobnet.harness.env.RunNetwork;
import org.oobnet.harness.env.CpuSet;
import org.oobnet.core.counters.HopSnapshot;
import org.oobnet.harness.bench.run.MeasurementPlan;
import org.oobnet.harness.bench.run.PhaseRelay;
import org.oobnet.harness.report.FloorReference;
import org.oobnet.harness.report.GcDelta;
import org.oobnet.harness.report.HopLines;
import org.oobnet.harness.report.IntervalLogHeader;
import org.oobnet.harness.report.LatencyRecorder;
import org.oobnet.harness.report.RunDescription;
import org.oobnet.harness.report.RunResult;

/**
 * One round of a floor row: the C program's reflector in the second namespace, its client in the first, each under
 * {@code taskset} on the CPU the JVM rows use; the client's round trips (a file of int64 ns) go through the same
 * {@link LatencyRecorder} and interval log as every other row, so the same histogram and percentile code reports
 * them. Both C sides time the stages' hops ({@code hops=1}) over the same exchanges: the client flags its measured
 * requests, the reflector times the flagged ones and prints them when the client's phase end is relayed to it
 * ({@link PhaseRelay}).
 * <p>
 * <b>Note:</b> in-band only; one instance per round.
 */
public final class FloorRound
{
    /** What the reports call the peer of a floor row. */
    public static final String PEER_KIND = "c";
    /** The UDP port the {@code udp} framing uses (inside the run's own namespaces). */
    static final int UDP_PORT = 17001;

    private static final long READY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    // the C sides time the same hops as the stages (the harness's children record theirs too)
    private static final String HOPS_ON = "hops=1";
    // the C reflector's reader thread hands the relayed "hops end" to its spinning thread between frames
    private static final long HOPS_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    /** Starts a child process and tracks it for clean-up. */
    @FunctionalInterface
    public interface Starter
    {
        /**
         * @param command the command.
         * @param stderr  where its standard error goes.
         * @param lines   receives each standard output line.
         * @return the running child.
         * @throws IOException when it cannot start.
         */
        ChildJvm start(List<String> command, Path stderr, Consumer<String> lines) throws IOException;
    }

    private final FloorProgram program;
    private final RunNetwork network;
    private final Starter starter;
    private final PrintStream out;

    /**
     * @param program the built program.
     * @param network the run's namespaces.
     * @param starter starts (and tracks) the two processes.
     * @param out     where a side's missing hops are said.
     */
    public FloorRound(final FloorProgram program, final RunNetwork network, final Starter starter,
        final PrintStream out)
    {
        this.out = out;
        this.program = program;
        this.network = network;
        this.starter = starter;
    }

    /**
     * Runs the round.
     *
     * @param description what the row is ({@code transport} is the framing: {@code raw} or {@code udp}).
     * @param plan        warm-up and length (ping-pong only).
     * @param timeoutNs   a reply not back within this is lost.
     * @param output      the path prefix of the round's files ({@code .hlog}, {@code .samples}, {@code .err}).
     * @return the round's result.
     * @throws IOException when a side fails, or the plan is fixed-rate.
     */
    public RunResult run(final RunDescription description, final MeasurementPlan plan, final long timeoutNs,
        final Path output) throws IOException
    {
        if (plan.rateHz() > 0)
        {
            throw new IOException("rate=" + plan.rateHz() + ": the floor rows measure ping-pong only (rate 0)");
        }
        if (!(network instanceof NetnsPair))
        {
            throw new IOException("the floor rows need two network namespaces");
        }
        final String framing = description.transport();
        final CompletableFuture<String> ready = new CompletableFuture<>();
        final Map<String, String> summary = new HashMap<>();
        final HopLines.Collector reflectorHops = new HopLines.Collector();
        final HopLines.Collector clientHops = new HopLines.Collector();
        final ChildJvm reflector = starter.start(ChildJvm.nativeCommand(network.prefix(true), description.peerCpu(),
            List.of(program.binary().toString(), "reflect", framing, network.interfaceName(true),
                "port=" + UDP_PORT, HOPS_ON)), Path.of(output + ".reflector.err"), line ->
            {
                if (line.startsWith("READY "))
                {
                    ready.complete(line.substring("READY ".length()).trim());
                }
                reflectorHops.accept(line);
            });
        final PhaseRelay phases = new PhaseRelay(reflector);
        ChildJvm client = null;
        try
        {
            final String peerMac = reflector.awaitLine(ready, READY_TIMEOUT_NS, "floor reflector");
            final Path samples = Path.of(output + ".samples");
            final List<String> args = new ArrayList<>(List.of(program.binary().toString(), "client", framing,
                network.interfaceName(false), "peer_mac=" + peerMac, "out=" + samples,
                "size=" + description.sizeBytes(), "timeout_ns=" + timeoutNs, "port=" + UDP_PORT,
                "src=" + NetnsPair.CLIENT_ADDRESS, "dst=" + network.reflectorAddress(), HOPS_ON));
            args.add(plan.warmupNs() > 0 ? "warmup_ns=" + plan.warmupNs() : "warmup_count=" + plan.warmupCount());
            args.add(plan.durationNs() > 0 ? "duration_ns=" + plan.durationNs() : "count=" + plan.count());
            client = starter.start(ChildJvm.nativeCommand(network.prefix(false), description.cpu(), args),
                Path.of(output + ".client.err"), line ->
                {
                    phases.relay(line);
                    clientHops.accept(line);
                    if (line.startsWith("FLOOR "))
                    {
                        synchronized (summary)
                        {
                            for (final String field : line.substring("FLOOR ".length()).trim().split(" "))
                            {
                                final int eq = field.indexOf('=');
                                summary.put(field.substring(0, eq), field.substring(eq + 1));
                            }
                        }
                    }
                });
            final long timeoutMs = TimeUnit.NANOSECONDS.toMillis(plan.durationNs() + plan.warmupNs()) +
                (plan.count() + plan.warmupCount()) * 50 + 60_000;
            final int exit = client.waitFor(timeoutMs);
            if (exit != 0)
            {
                throw new IOException("floor client exited with status " + exit + ": " + client.stderrTail());
            }
            synchronized (summary)
            {
                if (!summary.containsKey("lost"))
                {
                    throw new IOException("floor client printed no FLOOR line: " + client.stderrTail());
                }
                final String label = description.label();
                return result(description, samples, Path.of(output + ".hlog"), summary,
                    clientHops.awaitOrSay(HOPS_TIMEOUT_NS, out, label + " client"))
                    .withPeerHops(phases.ended() ? reflectorHops.awaitOrSay(HOPS_TIMEOUT_NS, out, label + " reflector")
                    : List.of());
            }
        }
        finally
        {
            if (client != null)
            {
                client.close();
            }
            reflector.close();
            for (final String side : List.of(".reflector.err", ".client.err"))
            {
                final Path err = Path.of(output + side);
                if (Files.exists(err) && Files.size(err) == 0)
                {
                    Files.delete(err);
                }
            }
        }
    }

    /**
     * The description of a floor row's round.
     *
     * @param label   the row's label.
     * @param framing {@code raw} or {@code udp}.
     * @param size    the message's size in bytes.
     * @param cpu     the client's CPU.
     * @param peerCpu the reflector's CPU.
     * @param network the network's kind.
     * @param plan    the plan.
     * @return the description.
     */
    public static RunDescription describe(final String label, final String framing, final int size, final int cpu,
        final int peerCpu, final String network, final MeasurementPlan plan)
    {
        return new RunDescription(label, FloorReference.SCENARIO, framing, PEER_KIND, size, cpu, CpuSet.isIsolated(cpu), peerCpu,
            0, false, network, plan.durationNs(), plan.count());
    }

    // the samples through the recorder every row uses, written as one interval of the interval log
    private static RunResult result(final RunDescription description, final Path samples, final Path intervalLog,
        final Map<String, String> summary, final List<HopSnapshot> hops) throws IOException
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        recorder.restart();
        try (FileChannel in = FileChannel.open(samples, StandardOpenOption.READ))
        {
            if (in.size() % Long.BYTES != 0)
            {
                throw new IOException(samples + " ends in a partial sample (size=" + in.size() + ")");
            }
            final ByteBuffer all = in.map(FileChannel.MapMode.READ_ONLY, 0, in.size()).order(ByteOrder.nativeOrder());
            while (all.remaining() >= Long.BYTES)
            {
                recorder.recordNs(all.getLong());
            }
        }
        finally
        {
            Files.deleteIfExists(samples);
        }
        final Histogram interval = recorder.swapInterval();
        try (PrintStream log = new PrintStream(intervalLog.toFile()))
        {
            final HistogramLogWriter writer = new HistogramLogWriter(log);
            IntervalLogHeader.startMeasuredPhase(writer);
            writer.outputIntervalHistogram(interval);
        }
        final Histogram histogram = LatencyRecorder.newHistogram();
        histogram.add(recorder.total());
        final long count = Long.parseLong(summary.get("count"));
        if (count != histogram.getTotalCount())
        {
            throw new IOException("floor client reported count=" + count + " but wrote " +
                histogram.getTotalCount() + " samples");
        }
        return new RunResult(description, histogram, Long.parseLong(summary.get("warmup_count")),
            Long.parseLong(summary.get("warmup_ns")), Long.parseLong(summary.get("lost")), 0, -1, -1, 0,
            GcDelta.NONE, Long.parseLong(summary.get("measured_ns")), recorder.clampedCount(), hops);
    }
}
