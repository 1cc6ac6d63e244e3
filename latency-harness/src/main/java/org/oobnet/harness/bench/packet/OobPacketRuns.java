package org.oobnet.harness.bench.packet;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobTask;
import org.oobnet.harness.bench.run.IntervalReporter;
import org.oobnet.harness.bench.run.PhaseWakeups;
import org.oobnet.harness.bench.run.MeasurementPlan;
import org.oobnet.harness.bench.reflect.ReflectorHops;
import org.oobnet.harness.bench.reflect.ReflectorRun;
import org.oobnet.harness.bench.run.PhaseRelay;
import org.oobnet.harness.bench.run.ReporterRehearsal;
import org.oobnet.harness.bench.run.StagePhase;
import org.oobnet.harness.bench.run.StageSamples;
import org.oobnet.harness.report.IntervalLogHeader;
import org.oobnet.harness.report.JitBlock;
import org.oobnet.harness.report.LatencyRecorder;
import org.oobnet.harness.report.LatmusLines;
import org.oobnet.harness.report.RunDescription;
import org.oobnet.harness.report.RunResult;
import org.oobnet.inband.KSocket;
import org.oobnet.packet.PacketSocketState;
import org.oobnet.harness.bench.run.StagePinger;
import org.oobnet.harness.bench.reflect.StageReflector;

/**
 * The two sides of the raw-frame ping-pong through the OOB stage: an {@code AF_PACKET}/{@code SOCK_RAW | SOCK_OOB}
 * socket of oob-packet, its frames handled on the stage ({@link StagePinger}, {@link StageReflector}). The calling
 * thread only sets up, sleeps, and reads the counters at the measured phase's edges: the stage is the one spinning
 * thread of each process.
 * <p>
 * <b>Note:</b> in-band.
 */
public final class OobPacketRuns
{
    private OobPacketRuns()
    {
    }

    /**
     * Reflects on the stage until {@code running} turns false.
     *
     * @param interfaceName the interface.
     * @param cpu           the stage's CPU.
     * @param idle          the stage's idle strategy.
     * @param out           where {@code READY} and the final counts go.
     * @param running       polled every 50 ms.
     * @param hops          given the stage's hops once it runs.
     * @throws IOException when the set-up fails.
     */
    public static void reflect(
        final String interfaceName, final int cpu, final OobConfig.IdleStrategyKind idle, final PrintStream out,
        final BooleanSupplier running, final ReflectorHops hops) throws IOException
    {
        try (OobRuntime runtime = OobFrames.startRuntime(interfaceName, cpu, idle))
        {
            hops.attach(runtime.counters().hops());
            final StageReflector reflector;
            try (KSocket socket = OobFrames.openSocket(interfaceName))
            {
                reflector = new StageReflector(OobSocket.of(socket), OobFrames.macOf(interfaceName));
                PacketSocketState.of(OobSocket.of(socket)).frameHandler(reflector);
                out.println(ReflectorRun.READY + interfaceName + ":0");
                out.flush();
                while (running.getAsBoolean())
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
            }
            out.println("oobnet reflect: " + reflector.counts() + " stalls=" + runtime.counters().stalls().get());
            out.flush();
        }
    }

    /**
     * Measures round trips from the stage.
     *
     * @param interfaceName the interface.
     * @param idle          the stage's idle strategy.
     * @param plan          warm-up, length and pace.
     * @param description   what the reports say.
     * @param timeoutNs     a reply not back within this is lost.
     * @param out           where the latmus lines go.
     * @param intervalLog   the interval log, or null.
     * @param running       polled while waiting; false ends the run early.
     * @return the result, with the stage's stalls and allocation during the measured phase.
     * @throws IOException when the set-up fails or the log cannot be written.
     */
    public static RunResult measure(
        final String interfaceName, final OobConfig.IdleStrategyKind idle, final MeasurementPlan plan,
        final RunDescription description, final long timeoutNs, final PrintStream out, final Path intervalLog,
        final BooleanSupplier running) throws IOException
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        final StageSamples samples = new StageSamples(StageSamples.DEFAULT_CAPACITY);
        try (OobRuntime runtime = OobFrames.startRuntime(interfaceName, description.cpu(), idle);
            PrintStream logStream = intervalLog == null ? null : new PrintStream(intervalLog.toFile()))
        {
            final HistogramLogWriter log = logStream == null ? null : new HistogramLogWriter(logStream);
            try (KSocket socket = OobFrames.openSocket(interfaceName))
            {
                final OobSocket oob = OobSocket.of(socket);
                final PacketStagePinger pinger =
                    new PacketStagePinger(oob, OobFrames.macOf(interfaceName), plan, samples,
                    description.sizeBytes(), timeoutNs);
                PacketSocketState.of(oob).frameHandler(pinger);
                return measurePhases(runtime, pinger, recorder, samples, description, out, log, running);
            }
        }
    }

    /**
     * The measured run of a stage pinger already wired to its socket: adds it as a task, waits out its warm-up,
     * snapshots GC, the stage's stalls and allocation, lets it measure, and reads them again at the end.
     *
     * @param runtime     the runtime.
     * @param pinger      the pinger, its receive callback already installed.
     * @param recorder    where the reporter records the pinger's samples.
     * @param samples     the pinger's samples.
     * @param description what the reports say.
     * @param out         where the latmus lines go.
     * @param log         the interval log writer, or null.
     * @param running     polled while waiting; false ends the run early.
     * @return the result.
     * @throws IOException when interrupted.
     */
    public static RunResult measurePhases(
        final OobRuntime runtime, final StagePinger pinger, final LatencyRecorder recorder,
        final StageSamples samples, final RunDescription description, final PrintStream out, final HistogramLogWriter log,
        final BooleanSupplier running) throws IOException
    {
        out.println(LatmusLines.header(description) + (runtime.pinned() ? "" : " [stage not pinned]"));
        out.println(LatmusLines.COLUMNS);
        out.flush();
        final ReporterRehearsal rehearsal = ReporterRehearsal.start(pinger.warmupSamples());
        try
        {
            runtime.addTask(pinger, OobTask.Schedule.EVERY_CYCLE);
            while (!pinger.warmupDone() && running.getAsBoolean())
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
        finally
        {
            rehearsal.stop();
        }
        recorder.restart();
        IntervalLogHeader.startMeasuredPhase(log);
        final IntervalReporter reporter = new IntervalReporter(recorder, samples, log, out, pinger::overruns,
            () -> runtime.counters().stalls().get());
        reporter.start();
        final StagePhase phase = StagePhase.begin(runtime);
        final long pollNs = PhaseWakeups.pollNs();
        // the reflector's hops cover the same phase (relayed by the parent)
        out.println(PhaseRelay.BEGIN);
        out.flush();
        pinger.go();
        while (!pinger.isDone())
        {
            if (!running.getAsBoolean())
            {
                pinger.stop();
            }
            LockSupport.parkNanos(pollNs);
        }
        final StagePhase.Result stage = phase.end();
        out.println(PhaseRelay.END);
        out.flush();
        reporter.stopAndFlush();
        runtime.removeTask(pinger);
        final Histogram histogram = LatencyRecorder.newHistogram();
        histogram.add(recorder.total());
        // a sample the ring could not take is an exchange the histogram lacks: counted with the lost ones
        final RunResult result = new RunResult(description, histogram, pinger.warmupCount(),
            pinger.warmupNs(), pinger.lost() + samples.dropped(), pinger.overruns(), stage.stalls(), stage.allocatedBytes(), 0, stage.gc(),
            pinger.measuredNs(), recorder.clampedCount(), stage.hops()).withJit(new JitBlock(stage.jit(), null));
        out.println(LatmusLines.rts(histogram, result.overruns(), stage.stalls(), result.measuredNs(), description));
        out.flush();
        return result;
    }
}
