package org.oobnet.harness.bench.run;

import java.util.concurrent.TimeUnit;

/**
 * How often a measuring JVM's in-band threads wake while a stage measures: the reporter draining the stage's
 * samples (default every 1 ms), and the measuring thread checking whether the phase is over (every 2 ms). Both run
 * off the stage's CPU, which on a machine without a spare CPU is the peer's stage's CPU: each wake-up there takes
 * that CPU from the peer's stage for a moment (the {@code sched} lines of a row show them as
 * {@code client:oobnet-reporter} and {@code client:java}, about 1 500 a second).
 * <p>
 * Each can be set, for an A/B of their cost, with a system property in milliseconds ({@value #DRAIN_MS_PROPERTY},
 * {@value #POLL_MS_PROPERTY}), e.g. {@code oobnet latency compare --variant 'rare=-Doobnet.phase.drainMs=50
 * -Doobnet.phase.pollMs=50'}; the sample ring ({@link StageSamples#DEFAULT_CAPACITY}) holds 300 ms of ping-pong at
 * 200 000 round trips a second. Rare wake-ups cut the peer stage's preemptions by the harness 20-fold but measured a
 * worse p99 on a loaded machine (the peer's stage then got a smaller share of its CPU: BENCHMARKS.md "sched5"), so
 * the defaults stay; measure again on a quiet machine before changing them.
 * <b>Note:</b> stateless, thread safe.
 */
public final class PhaseWakeups
{
    /** The reporter's drain period, ms. */
    public static final String DRAIN_MS_PROPERTY = "oobnet.phase.drainMs";
    /** The measuring thread's poll period, ms. */
    public static final String POLL_MS_PROPERTY = "oobnet.phase.pollMs";
    /** The reporter's default drain period, ms. */
    public static final long DEFAULT_DRAIN_MS = 1;
    /** The measuring thread's default poll period, ms. */
    public static final long DEFAULT_POLL_MS = 2;

    private PhaseWakeups()
    {
    }

    /**
     * @return how long the reporter sleeps between drains of the stage's samples, ns.
     */
    public static long drainNs()
    {
        return periodNs(DRAIN_MS_PROPERTY, DEFAULT_DRAIN_MS);
    }

    /**
     * @return how long the measuring thread sleeps between checks for the phase's end, ns.
     */
    public static long pollNs()
    {
        return periodNs(POLL_MS_PROPERTY, DEFAULT_POLL_MS);
    }

    private static long periodNs(final String property, final long defaultMs)
    {
        final long ms = Long.getLong(property, defaultMs);
        if (ms < 1)
        {
            throw new IllegalArgumentException(property + "=" + ms + " must be at least 1 (ms)");
        }
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }
}
