package org.oobnet.harness.latency.run;

import java.util.concurrent.atomic.AtomicLong;

import org.oobnet.core.OobTask;
import org.oobnet.harness.report.LatencyRecorder;

/**
 * latmus' timer test as an OOB stage task: due every period, it records how late the stage ran it (the time it
 * actually ran minus the time it was due). A run that was more than one period late counts the periods it missed
 * as overruns and realigns on the next period boundary, as latmus does.
 * <p>
 * <b>Note:</b> {@link #doWork} runs on the stage: no allocation, no locks. {@link #startRecording(long)} and
 * {@link #stopRecording()} are in-band; they publish with volatile writes read by the stage.
 */
public final class LatenessTask implements OobTask
{
    private final long periodNs;
    private final LatencyRecorder recorder;
    private final AtomicLong overruns = new AtomicLong();
    private final AtomicLong recorded = new AtomicLong();
    private volatile boolean recording;
    private volatile boolean done;
    private volatile long limit;
    private long nextDueNs;

    /**
     * @param periodNs the period.
     * @param recorder where lateness goes (in ns) while recording.
     */
    public LatenessTask(final long periodNs, final LatencyRecorder recorder)
    {
        if (periodNs <= 0)
        {
            throw new IllegalArgumentException("period=" + periodNs + "ns must be positive");
        }
        this.periodNs = periodNs;
        this.recorder = recorder;
    }

    @Override
    public int doWork(final long nowNs)
    {
        if (nextDueNs == 0)
        {
            nextDueNs = nowNs + periodNs;
            return 0;
        }
        if (nowNs - nextDueNs < 0)
        {
            return 0;
        }
        // the cycle's clock was read at its start; the task runs later in the cycle: read when it really ran
        final long ranNs = System.nanoTime();
        final long lateNs = ranNs - nextDueNs;
        final long missed = lateNs / periodNs;
        // volatile read: pairs with startRecording's volatile write of limit then recording
        if (recording)
        {
            recorder.recordNs(lateNs);
            // single writer (the stage): ordered stores, no fence on the stage
            if (missed > 0)
            {
                overruns.lazySet(overruns.get() + missed);
            }
            final long n = recorded.get() + 1;
            recorded.lazySet(n);
            if (limit > 0 && n >= limit)
            {
                recording = false;
                done = true;
            }
        }
        nextDueNs += (missed + 1) * periodNs;
        return 1;
    }

    /**
     * In-band: starts recording.
     *
     * @param count stop by itself after this many recorded runs, 0 for until {@link #stopRecording()}.
     */
    public void startRecording(final long count)
    {
        limit = count;
        recording = true;
    }

    /**
     * In-band: stops recording.
     */
    public void stopRecording()
    {
        recording = false;
        done = true;
    }

    /**
     * @return whether recording has ended (count reached or stopped).
     */
    public boolean isDone()
    {
        return done;
    }

    /**
     * @return periods missed while recording.
     */
    public long overruns()
    {
        return overruns.get();
    }

    /**
     * @return runs recorded so far.
     */
    public long recorded()
    {
        return recorded.get();
    }
}
