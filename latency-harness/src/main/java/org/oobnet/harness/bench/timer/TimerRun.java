package org.oobnet.harness.bench.timer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobTask;
import org.oobnet.harness.report.IntervalLogHeader;
import org.oobnet.harness.report.LatencyRecorder;
import org.oobnet.harness.report.LatmusLines;
import org.oobnet.harness.report.RunDescription;
import org.oobnet.harness.report.RunResult;
import org.oobnet.harness.bench.run.StagePhase;
import org.oobnet.harness.bench.run.StageSamples;
import org.oobnet.harness.bench.run.IntervalReporter;
import org.oobnet.harness.bench.run.MeasurementPlan;

/**
 * The OOB stage's own timer jitter (latmus' timer test): starts an {@link OobRuntime} on the given CPU, adds a
 * {@link LatenessTask} due every period, warms up, records for the measured phase, and reports lateness, overruns,
 * the stage's stalls and the bytes the stage thread allocated while recording.
 * <p>
 * <b>Note:</b> in-band; {@link #run} blocks the caller (which only sleeps) while the stage spins.
 */
public final class TimerRun
{
    private final OobConfig config;
    private final long periodNs;
    private final long warmupNs;
    private final MeasurementPlan plan;
    private final RunDescription description;
    private volatile boolean stopRequested;

    /**
     * @param config      the runtime's configuration (CPU, idle strategy, stall threshold).
     * @param periodNs    the timer's period.
     * @param plan        warm-up (a count is turned into count periods) and length.
     * @param description what the reports say about the run.
     */
    public TimerRun(
        final OobConfig config, final long periodNs, final MeasurementPlan plan, final RunDescription description)
    {
        this.config = config;
        this.periodNs = periodNs;
        this.plan = plan;
        this.warmupNs = plan.warmupNs() > 0 ? plan.warmupNs() : plan.warmupCount() * periodNs;
        this.description = description;
    }

    /**
     * @param out         where the latmus lines go.
     * @param intervalLog the interval log, or null.
     * @return the result.
     * @throws IOException when the log cannot be written.
     */
    public RunResult run(final PrintStream out, final Path intervalLog) throws IOException
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        final StageSamples samples = new StageSamples(StageSamples.DEFAULT_CAPACITY);
        final LatenessTask task = new LatenessTask(periodNs, samples);
        try (OobRuntime runtime = OobRuntime.start(config);
            PrintStream logStream = intervalLog == null ? null : new PrintStream(intervalLog.toFile()))
        {
            final HistogramLogWriter log = logStream == null ? null : new HistogramLogWriter(logStream);
            runtime.addTask(task, OobTask.Schedule.EVERY_CYCLE);
            out.println(LatmusLines.header(description) + (runtime.pinned() ? "" : " [stage not pinned]"));
            out.println(LatmusLines.COLUMNS);
            out.flush();
            final long warmupStart = System.nanoTime();
            sleepUntil(warmupStart + warmupNs, task);
            final long warmupTook = System.nanoTime() - warmupStart;

            recorder.restart();
            IntervalLogHeader.startMeasuredPhase(log);
            final IntervalReporter reporter = new IntervalReporter(recorder, samples, log, out, task::overruns,
                () -> runtime.counters().stalls().get());
            reporter.start();
            final StagePhase phase = StagePhase.begin(runtime);
            final long start = System.nanoTime();
            task.startRecording(plan.durationNs() > 0 ? 0 : plan.count());
            sleepUntil(plan.durationNs() > 0 ? start + plan.durationNs() : Long.MAX_VALUE, task);
            task.stopRecording();
            final long measuredNs = System.nanoTime() - start;
            final StagePhase.Result stage = phase.end();
            reporter.stopAndFlush();
            runtime.removeTask(task);
            final Histogram histogram = LatencyRecorder.newHistogram();
            histogram.add(recorder.total());
            // a sample the ring could not take is missing from the histogram: counted, as lost
            final RunResult result = new RunResult(description, histogram, warmupTook / periodNs, warmupTook,
                samples.dropped(),
                task.overruns(), stage.stalls(), stage.allocatedBytes(), 0, stage.gc(), measuredNs, recorder.clampedCount());
            out.println(LatmusLines.rts(histogram, result.overruns(), stage.stalls(), measuredNs, description));
            out.flush();
            return result;
        }
    }

    /**
     * Ends the run early (from any thread).
     */
    public void requestStop()
    {
        stopRequested = true;
    }

    private void sleepUntil(final long deadlineNs, final LatenessTask task)
    {
        while (!stopRequested && !task.isDone() && deadlineNs - System.nanoTime() > 0)
        {
            LockSupport.parkNanos(Math.min(TimeUnit.MILLISECONDS.toNanos(5), deadlineNs - System.nanoTime()));
        }
    }
}
