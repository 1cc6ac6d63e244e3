package org.oobnet.harness.bench.timer;

import java.util.concurrent.atomic.AtomicLong;

import org.oobnet.core.OobTask;
import org.oobnet.harness.bench.run.StageSamples;

/**
 * latmus' timer test as an OOB stage task: due every period, it records how late the stage ran it (the time it
 * actually ran minus the time it was due). A run that was more than one period late counts the periods it missed
 * as overruns and realigns on the next period boundary, as latmus does.
 * <p>
 * The stage runs the same code before, while and after recording: every lateness goes to the current sink (a
 * warm-up ring nobody reads, then the run's {@link StageSamples}), swapped in-band. No branch on the recording
 * state, so none is first taken when measuring starts (a compiled branch never taken before is an uncommon trap:
 * a deoptimisation on the stage, which allocates). The count limit is applied in-band.
 * <p>
 * <b>Note:</b> {@link #doWork} runs on the stage: no allocation, no locks. {@link #startRecording(long)},
 * {@link #stopRecording()} and the getters are in-band.
 */
public final class LatenessTask implements OobTask
{
    private final long periodNs;
    private final StageSamples samples;
    private final StageSamples warmupSamples = new StageSamples(StageSamples.DEFAULT_CAPACITY);
    private final AtomicLong overruns = new AtomicLong();
    private volatile StageSamples sink = warmupSamples;
    private long nextDueNs;
    // in-band state, volatile: the reporter thread reads overruns() while the measuring thread writes them
    private volatile long limit;
    private volatile long overrunsAtStart;
    private volatile long overrunsAtStop = -1;
    private volatile boolean stopped;

    /**
     * @param periodNs the period.
     * @param samples  where lateness goes (in ns) while recording (an in-band thread records it).
     */
    public LatenessTask(final long periodNs, final StageSamples samples)
    {
        if (periodNs <= 0)
        {
            throw new IllegalArgumentException("period=" + periodNs + "ns must be positive");
        }
        this.periodNs = periodNs;
        this.samples = samples;
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
        // volatile read: pairs with the in-band swaps of the sink
        sink.offer(lateNs);
        // single writer (the stage): ordered store, no fence on the stage; 0 added when nothing was missed
        overruns.lazySet(overruns.get() + missed);
        nextDueNs += (missed + 1) * periodNs;
        return 1;
    }

    /**
     * In-band: starts recording.
     *
     * @param count keep this many recorded runs (later ones are dropped in-band), 0 for until
     *              {@link #stopRecording()}.
     */
    public void startRecording(final long count)
    {
        limit = count;
        samples.limitTo(count > 0 ? count : Long.MAX_VALUE);
        overrunsAtStart = overruns.get();
        // volatile write: the stage's next run records into the run's ring
        sink = samples;
    }

    /**
     * In-band: stops recording.
     */
    public void stopRecording()
    {
        sink = warmupSamples;
        overrunsAtStop = overruns.get();
        stopped = true;
    }

    /**
     * @return whether recording has ended (count reached or stopped).
     */
    public boolean isDone()
    {
        return stopped || limit > 0 && samples.offered() >= limit;
    }

    /**
     * @return periods missed while recording.
     */
    public long overruns()
    {
        return (overrunsAtStop >= 0 ? overrunsAtStop : overruns.get()) - overrunsAtStart;
    }

    /**
     * @return runs recorded so far.
     */
    public long recorded()
    {
        final long offered = samples.offered();
        return limit > 0 ? Math.min(limit, offered) : offered;
    }
}
