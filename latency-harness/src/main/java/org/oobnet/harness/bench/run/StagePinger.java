package org.oobnet.harness.bench.run;

import java.util.concurrent.atomic.AtomicLong;

import org.oobnet.core.OobTask;

/**
 * The measuring side on the OOB stage: the same plan as {@code LatencyLoop} (warm-up, then count or duration,
 * ping-pong or fixed rate measured from the scheduled send time), driven by the stage's duty cycle and receive
 * callback instead of a blocking loop. Subclasses frame the sockperf message for their socket
 * ({@link #transmit(long)}) and call {@link #replied(long, long)} from their receive callback. One message in flight; in ping-pong mode the next send goes out from the reply's
 * callback. A reply not back within the timeout counts as lost.
 * <p>
 * Between warm-up and the measured phase the task holds its sends until the in-band side called {@link #go()}, so
 * that GC, allocation and stall counters are read at the measured phase's true start. <b>Note:</b> {@link #doWork}
 * and {@link #onFrame} run on the stage (allocation-free); {@link #go()}, {@link #warmupDone()} and
 * {@link #isDone()} are in-band, through volatile fields.
 */
public abstract class StagePinger implements OobTask
{
    private static final int WARMUP = 0;
    private static final int HOLD = 1;
    private static final int MEASURE = 2;
    private static final int DONE = 3;
    private final MeasurementPlan plan;
    private final StageSamples samples;
    // the warm-up's samples go through the same code into a ring of their own: the stage's recording path is
    // compiled before the measured phase, and nothing on it is first run (linked, loaded) while measuring; the
    // reporter's rehearsal drains it (ReporterRehearsal), else it fills and offers fail
    private final StageSamples warmupSamples = new StageSamples(StageSamples.DEFAULT_CAPACITY);
    private final long timeoutNs;
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();
    private volatile int phase = WARMUP;
    private volatile boolean go;
    private long phaseStartNs;
    private long k;
    private long sequence;
    private boolean inFlight;
    private long scheduledNs;
    private long actualSendNs;
    private long warmupDone;
    private long warmupNs;
    private long measuredNs;

    /**
     * @param plan      warm-up, length and pace.
     * @param samples   where measured round trips go (an in-band thread records them).
     * @param timeoutNs a reply not back within this is lost.
     */
    protected StagePinger(final MeasurementPlan plan, final StageSamples samples, final long timeoutNs)
    {
        this.plan = plan;
        this.samples = samples;
        this.timeoutNs = timeoutNs;
    }

    /**
     * Stage: sends the sockperf message with this sequence number (client and pong-request flags set).
     *
     * @param sequence the sequence number.
     * @return false when the send path is full (the send is retried on a later cycle).
     */
    protected abstract boolean transmit(long sequence);

    @Override
    public final int doWork(final long nowNs)
    {
        final int phase = this.phase;
        if (phase == DONE)
        {
            return 0;
        }
        if (phaseStartNs == 0)
        {
            phaseStartNs = nowNs;
        }
        if (phase == HOLD)
        {
            // volatile read: pairs with go(), written in-band after the counters' snapshot
            if (!go || inFlight)
            {
                return 0;
            }
            this.phase = MEASURE;
            phaseStartNs = System.nanoTime();
            k = 0;
        }
        if (inFlight)
        {
            if (System.nanoTime() - actualSendNs > timeoutNs)
            {
                inFlight = false;
                if (this.phase == MEASURE)
                {
                    lost.lazySet(lost.get() + 1);
                }
                k++;
                return 1;
            }
            return 0;
        }
        if (endOfPhase(System.nanoTime()))
        {
            return 1;
        }
        return trySend() ? 1 : 0;
    }

    // stage: whether the current phase is over; moves to the next one when it is
    private boolean endOfPhase(final long nowNs)
    {
        final boolean measuring = phase == MEASURE;
        final long limitNs = measuring ? plan.durationNs() : plan.warmupNs();
        final long limitCount = measuring ? plan.count() : plan.warmupCount();
        if (limitNs > 0 ? nowNs - phaseStartNs < limitNs : k < limitCount)
        {
            return false;
        }
        if (measuring)
        {
            measuredNs = nowNs - phaseStartNs;
            phase = DONE;
        }
        else
        {
            warmupDone = k;
            warmupNs = nowNs - phaseStartNs;
            phase = HOLD;
        }
        return true;
    }

    // stage: sends the next message when its time has come; false when it must wait
    private boolean trySend()
    {
        final long now = System.nanoTime();
        if (plan.rateHz() > 0)
        {
            final long due = phaseStartNs + plan.scheduledOffsetNs(k);
            if (due - now > 0)
            {
                return false;
            }
            if (phase == MEASURE && now - due > plan.periodNs())
            {
                overruns.lazySet(overruns.get() + 1);
            }
            scheduledNs = due;
        }
        else
        {
            scheduledNs = now;
        }
        if (!transmit(sequence + 1))
        {
            return false;
        }
        ++sequence;
        actualSendNs = System.nanoTime();
        inFlight = true;
        return true;
    }

    /**
     * Stage, from the receive callback: a server's reply (client flag clear) carrying this sequence number arrived.
     *
     * @param replySequence the reply's sequence number.
     * @param replyNs       {@code System.nanoTime()} read first thing in the callback.
     */
    protected final void replied(final long replySequence, final long replyNs)
    {
        if (!inFlight || replySequence != sequence)
        {
            return;
        }
        inFlight = false;
        (phase == MEASURE ? samples : warmupSamples).offer(replyNs - scheduledNs);
        k++;
        // ping-pong: the next send goes out from here, without waiting for the next cycle
        if (plan.rateHz() == 0 && (phase == WARMUP || phase == MEASURE) && !endOfPhase(replyNs))
        {
            trySend();
        }
    }

    /**
     * @return the ring the warm-up's round trips go to (for the reporter's rehearsal).
     */
    public StageSamples warmupSamples()
    {
        return warmupSamples;
    }

    /**
     * @return whether the warm-up is over and the task holds its sends for {@link #go()}.
     */
    public boolean warmupDone()
    {
        return phase >= HOLD;
    }

    /**
     * In-band: starts the measured phase (after the counters' snapshot).
     */
    public void go()
    {
        go = true;
    }

    /**
     * In-band: ends the run at the next cycle.
     */
    public void stop()
    {
        phase = DONE;
    }

    /**
     * @return whether the measured phase is over.
     */
    public boolean isDone()
    {
        return phase == DONE;
    }

    /**
     * @return measured exchanges whose reply did not come back in time.
     */
    public long lost()
    {
        return lost.get();
    }

    /**
     * @return fixed-rate sends issued more than one period late.
     */
    public long overruns()
    {
        return overruns.get();
    }

    /**
     * @return warm-up exchanges (read after {@link #warmupDone()}).
     */
    public long warmupCount()
    {
        return warmupDone;
    }

    /**
     * @return how long the warm-up took.
     */
    public long warmupNs()
    {
        return warmupNs;
    }

    /**
     * @return how long the measured phase took (read after {@link #isDone()}).
     */
    public long measuredNs()
    {
        return measuredNs;
    }
}
