package org.oobnet.harness.report;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records round-trip latencies in nanoseconds into pre-allocated HdrHistograms and hands out per-interval snapshots.
 * <p>
 * <b>Note:</b> {@link #recordNs(long)} is wait-free and allocation-free and is called by exactly one measuring
 * thread; {@link #swapInterval()} is called by one reporting thread (the recorder's phaser makes the swap safe).
 */
public final class LatencyRecorder
{
    /** Values above this are clamped (and counted in {@link #clampedCount()}): a minute is no round trip. */
    public static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);

    /** Three significant digits: 0.1 % value resolution across the whole range, as sockperf-grade tools use. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private final Recorder recorder = new Recorder(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    private final Histogram total = newHistogram();
    private Histogram interval;
    private volatile long clampedCount;

    /**
     * A histogram with the same range and precision as the recorder's, for merging and reading back.
     *
     * @return a new empty histogram.
     */
    public static Histogram newHistogram()
    {
        return new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    /**
     * Records one latency. Measuring thread only; allocation-free.
     *
     * @param latencyNs the latency in nanoseconds; negative values (a clock that went backwards) record as 0.
     */
    public void recordNs(final long latencyNs)
    {
        long value = latencyNs;
        if (value > HIGHEST_TRACKABLE_NS)
        {
            value = HIGHEST_TRACKABLE_NS;
            // single writer: a plain read-modify-write of a volatile is enough, the reporter only reads it.
            clampedCount = clampedCount + 1;
        }
        else if (value < 0)
        {
            value = 0;
        }
        recorder.recordValue(value);
    }

    /**
     * Starts the measured phase: drops anything recorded so far and restarts the interval clock, so that the first
     * interval's start timestamp is the measured phase's start. Call before the reporting thread starts.
     */
    public void restart()
    {
        interval = swap();
        interval.reset();
        total.reset();
    }

    /**
     * Takes the values recorded since the last swap, adds them to the total and returns them. Reporting thread only.
     *
     * @return the interval histogram, valid until the next call (it is recycled).
     */
    public Histogram swapInterval()
    {
        interval = swap();
        total.add(interval);
        return interval;
    }

    private Histogram swap()
    {
        // the recorder only takes back histograms it handed out: the first swap allocates, later ones recycle
        return interval == null ? recorder.getIntervalHistogram() : recorder.getIntervalHistogram(interval);
    }

    /**
     * Everything swapped out so far. Reporting thread only.
     *
     * @return the running total histogram (not a copy).
     */
    public Histogram total()
    {
        return total;
    }

    /**
     * @return how many values were above {@link #HIGHEST_TRACKABLE_NS} and recorded as that.
     */
    public long clampedCount()
    {
        return clampedCount;
    }
}
