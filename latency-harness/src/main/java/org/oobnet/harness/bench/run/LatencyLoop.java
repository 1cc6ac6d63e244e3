package org.oobnet.harness.bench.run;

import java.io.IOException;

import org.oobnet.harness.report.LatencyRecorder;

/**
 * The measuring loop: a warm-up (not recorded), then the measured phase, in ping-pong or fixed-rate mode.
 * <p>
 * Fixed rate corrects for coordinated omission the direct way: each send has a scheduled time
 * {@code start + k / rate}, and its latency is measured from that scheduled time, not from when the send actually
 * went out. A reply that came late delays the following sends; their waiting is part of their latency, as it
 * would be for a real sender of that rate. A send issued more than one period after its scheduled time counts as an
 * overrun (latmus' term). In ping-pong mode the next send goes out on the reply and latency is reply minus send.
 * <p>
 * <b>Note:</b> runs on the measuring thread; the loop itself does not allocate.
 */
public final class LatencyLoop
{
    /** Called on the measuring thread between warm-up and measured phase (snapshots GC and allocation counters). */
    @FunctionalInterface
    public interface PhaseListener
    {
        /**
         * @param measuredPhase true at the start of the measured phase, false at its end.
         */
        void onPhase(boolean measuredPhase);
    }

    private final MeasurementPlan plan;
    private final RoundTrip roundTrip;
    private final NanoClock clock;
    private final Pacer pacer;
    private final LatencyRecorder recorder;
    private final MeasurementCounters counters;
    private volatile boolean stopRequested;
    private long sequence;
    private long warmupDone;
    private long warmupNs;
    private long measuredNs;

    /**
     * @param plan      warm-up, length and pace.
     * @param roundTrip sends and waits for one reply.
     * @param clock     the clock both ends of every round trip are read from.
     * @param pacer     waits for a fixed-rate send's scheduled time.
     * @param recorder  where measured latencies go.
     * @param counters  lost exchanges and overruns, read by the reporter.
     */
    public LatencyLoop(
        final MeasurementPlan plan,
        final RoundTrip roundTrip,
        final NanoClock clock,
        final Pacer pacer,
        final LatencyRecorder recorder,
        final MeasurementCounters counters)
    {
        this.plan = plan;
        this.roundTrip = roundTrip;
        this.clock = clock;
        this.pacer = pacer;
        this.recorder = recorder;
        this.counters = counters;
    }

    /**
     * Warms up, then measures. Measuring thread.
     *
     * @param listener told when the measured phase starts and ends.
     * @throws IOException when the transport failed.
     */
    public void run(final PhaseListener listener) throws IOException
    {
        final long warmupStart = clock.nanoTime();
        warmupDone = phase(warmupStart, false);
        warmupNs = clock.nanoTime() - warmupStart;
        listener.onPhase(true);
        final long start = clock.nanoTime();
        phase(start, true);
        measuredNs = clock.nanoTime() - start;
        listener.onPhase(false);
    }

    /**
     * Ends the run at the next exchange (from any thread, e.g. a shutdown hook).
     */
    public void requestStop()
    {
        stopRequested = true;
    }

    private long phase(final long start, final boolean measured) throws IOException
    {
        final MeasurementPlan plan = this.plan;
        final NanoClock clock = this.clock;
        final long limitNs = measured ? plan.durationNs() : plan.warmupNs();
        final long limitCount = measured ? plan.count() : plan.warmupCount();
        final boolean fixedRate = plan.rateHz() > 0;
        final long periodNs = plan.periodNs();
        long k = 0;
        while (!stopRequested)
        {
            final long now = clock.nanoTime();
            if (limitNs > 0 ? now - start >= limitNs : k >= limitCount)
            {
                break;
            }
            final long sendNs;
            if (fixedRate)
            {
                sendNs = start + plan.scheduledOffsetNs(k);
                if (sendNs - now > 0)
                {
                    pacer.awaitNs(clock, sendNs);
                }
                else if (measured && now - sendNs > periodNs)
                {
                    counters.addOverrun();
                }
            }
            else
            {
                sendNs = now;
            }
            final boolean replied = roundTrip.exchange(++sequence);
            final long replyNs = clock.nanoTime();
            if (measured)
            {
                counters.addExchange();
                if (replied)
                {
                    recorder.recordNs(replyNs - sendNs);
                }
                else
                {
                    counters.addLost();
                }
            }
            k++;
        }
        return k;
    }

    /**
     * @return warm-up exchanges done.
     */
    public long warmupDone()
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
     * @return how long the measured phase took.
     */
    public long measuredNs()
    {
        return measuredNs;
    }
}
