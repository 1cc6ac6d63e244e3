package org.oobnet.harness.bench.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

import org.HdrHistogram.HistogramLogWriter;
import org.oobnet.harness.report.LatencyRecorder;

/**
 * The reporter's rehearsal during a stage pinger's warm-up: an {@link IntervalReporter} of its own drains the
 * warm-up's samples at the measured phase's cadence, records them, and once a second computes the interval's
 * percentiles and encodes it for the interval log, into sinks that discard. So the reporter's once-a-second path
 * (HdrHistogram's percentile iteration, the log's compression and Base64, the {@code RTD|} line) is compiled and
 * its classes loaded before the measured phase, on real samples at the real rate: a measuring JVM's
 * {@code -XX:+LogCompilation} showed that path leading the compiles made while measuring, on the peer's CPU.
 * <p>
 * {@value #PROPERTY}{@code =false} turns it off, for a same-run A/B ({@code oobnet latency compare --variant}).
 * <b>Note:</b> in-band, on the measuring thread: {@link #start} before the warm-up, {@link #stop} at its end.
 */
public final class ReporterRehearsal
{
    /** System property: {@code false} runs the warm-up without the reporter's rehearsal. */
    public static final String PROPERTY = "oobnet.phase.rehearseReporter";

    private final IntervalReporter reporter;

    private ReporterRehearsal(final IntervalReporter reporter)
    {
        this.reporter = reporter;
    }

    /**
     * @return whether the rehearsal runs (the property's value, default on).
     */
    public static boolean enabled()
    {
        return Boolean.parseBoolean(System.getProperty(PROPERTY, "true"));
    }

    /**
     * Starts rehearsing on the warm-up's samples, when {@link #enabled()}.
     *
     * @param warmupSamples the ring the stage pinger hands its warm-up round trips to.
     * @return the rehearsal, to {@link #stop} when the warm-up ends.
     */
    public static ReporterRehearsal start(final StageSamples warmupSamples)
    {
        if (!enabled())
        {
            return new ReporterRehearsal(null);
        }
        final PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        final IntervalReporter reporter = new IntervalReporter(new LatencyRecorder(), warmupSamples,
            new HistogramLogWriter(discard), discard, () -> 0, () -> 0);
        reporter.start();
        return new ReporterRehearsal(reporter);
    }

    /**
     * Stops the rehearsal's thread and waits for it.
     *
     * @throws IOException when interrupted while waiting (the interrupt is kept).
     */
    public void stop() throws IOException
    {
        if (null == reporter)
        {
            return;
        }
        reporter.stopAndFlush();
    }
}
