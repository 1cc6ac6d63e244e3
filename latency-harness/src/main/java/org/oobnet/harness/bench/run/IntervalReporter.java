package org.oobnet.harness.bench.run;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.oobnet.harness.report.LatencyRecorder;
import org.oobnet.harness.report.LatmusLines;

/**
 * Every {@link PhaseWakeups#drainNs()} during the measured phase: records what an OOB stage handed over in its {@link StageSamples}
 * (when the run has a stage). Once a second: swaps the recorder's interval histogram, appends it to the interval log
 * and prints the interval's {@code RTD|} line. Runs on its own thread, which sleeps between ticks (it never spins).
 * <p>
 * <b>Note:</b> {@link #start()} and {@link #stopAndFlush()} are called by the measuring thread; everything else runs
 * on the reporter thread until it is joined.
 */
public final class IntervalReporter implements Runnable
{
    /** The reporter thread's name (15 characters: {@code /proc} shows it whole). */
    public static final String THREAD_NAME = "oobnet-reporter";

    private static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final LatencyRecorder recorder;
    private final StageSamples samples;
    private final HistogramLogWriter log;
    private final PrintStream out;
    private final LongSupplier overruns;
    private final LongSupplier stalls;
    private final LatmusLines lines = new LatmusLines();
    private final Thread thread;
    private final long drainNs = PhaseWakeups.drainNs();
    private volatile boolean running = true;
    private long lastOverruns;
    private long lastStalls;

    /**
     * @param recorder the run's recorder.
     * @param samples  what a stage hands over to record, or null when the measuring thread records itself.
     * @param log      where each interval goes (its header already written), or null.
     * @param out      where {@code RTD|} lines go.
     * @param overruns the overruns so far.
     * @param stalls   the transport's stall counter, returning -1 when it has no stage.
     */
    public IntervalReporter(
        final LatencyRecorder recorder,
        final StageSamples samples,
        final HistogramLogWriter log,
        final PrintStream out,
        final LongSupplier overruns,
        final LongSupplier stalls)
    {
        this.recorder = recorder;
        this.samples = samples;
        this.log = log;
        this.out = out;
        this.overruns = overruns;
        this.stalls = stalls;
        thread = new Thread(this, THREAD_NAME);
        thread.setDaemon(true);
    }

    /**
     * Starts ticking; call once the measured phase has begun.
     */
    public void start()
    {
        lastStalls = stalls.getAsLong();
        thread.start();
    }

    @Override
    public void run()
    {
        long next = System.nanoTime() + INTERVAL_NS;
        while (running)
        {
            final long remaining = next - System.nanoTime();
            if (remaining > 0)
            {
                LockSupport.parkNanos(this, samples == null ? remaining : Math.min(remaining, drainNs));
                drain();
                continue;
            }
            tick();
            next += INTERVAL_NS;
        }
    }

    /**
     * Stops the reporter thread, waits for it, and reports the last partial interval.
     *
     * @throws IOException when interrupted while joining (the interrupt is kept; nothing is flushed).
     */
    public void stopAndFlush() throws IOException
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the reporter", ex);
        }
        tick();
    }

    private void drain()
    {
        if (samples != null)
        {
            samples.drainTo(recorder);
        }
    }

    private void tick()
    {
        drain();
        final Histogram interval = recorder.swapInterval();
        if (log != null)
        {
            log.outputIntervalHistogram(interval);
        }
        final long overrunsNow = overruns.getAsLong();
        final long stallsNow = stalls.getAsLong();
        out.println(lines.rtd(interval, overrunsNow - lastOverruns, stallsNow < 0 ? -1 : stallsNow - lastStalls));
        out.flush();
        lastOverruns = overrunsNow;
        lastStalls = stallsNow;
    }
}
