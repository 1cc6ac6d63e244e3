package org.oobnet.harness.bench.run;

import java.util.concurrent.TimeUnit;

/**
 * How often a measuring JVM's in-band threads wake while a stage measures: the reporter draining the stage's
 * samples (default every 50 ms), and the measuring thread checking whether the phase is over (every 50 ms). Both
 * run off the stage's CPU, which on a machine without a spare CPU is the peer's stage's CPU: each wake-up there
 * takes that CPU from the peer's stage for a moment (the {@code sched} lines of a row show them as
 * {@code client:oobnet-reporter} and {@code client:java}).
 * <p>
 * Why 50 ms: at 1 ms and 2 ms (the defaults until session 10) they woke about 1 500 times a second and preempted the
 * peer's stage 12 000-14 000 times in 10 s; at 50 ms, 600-2 400 times. In three runs on a quiet machine the p99 over
 * the C floor was lower in all six same-run pairs (packet 2.63/3.06/4.43 to 2.30/2.06/3.46, udp 1.75/1.77/1.78 to
 * 1.13/1.26/1.23) and the p50 within the runs' noise (BENCHMARKS.md "Session 10"). On a loaded machine (sched5) the
 * rare wake-ups measured a worse p99: there the peer's stage's share of its CPU decided, not the preemptions. The
 * sample ring ({@link StageSamples#DEFAULT_CAPACITY}) holds 300 ms of ping-pong at 200 000 round trips a second.
 * <p>
 * Each can be set, for an A/B of their cost, with a system property in milliseconds ({@value #DRAIN_MS_PROPERTY},
 * {@value #POLL_MS_PROPERTY}), e.g. {@code oobnet latency compare --variant 'often=-Doobnet.phase.drainMs=1
 * -Doobnet.phase.pollMs=2'}.
 * <b>Note:</b> stateless, thread safe.
 */
public final class PhaseWakeups
{
    /** The reporter's drain period, ms. */
    public static final String DRAIN_MS_PROPERTY = "oobnet.phase.drainMs";
    /** The measuring thread's poll period, ms. */
    public static final String POLL_MS_PROPERTY = "oobnet.phase.pollMs";
    /** The reporter's default drain period, ms. */
    public static final long DEFAULT_DRAIN_MS = 50;
    /** The measuring thread's default poll period, ms. */
    public static final long DEFAULT_POLL_MS = 50;

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
