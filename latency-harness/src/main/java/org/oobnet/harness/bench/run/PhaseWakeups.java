package org.oobnet.harness.bench.run;

import java.util.concurrent.TimeUnit;

/**
 * How often a measuring JVM's in-band threads wake while a stage measures: the reporter draining the stage's
 * samples, and the measuring thread checking whether the phase is over. Both run off the stage's CPU, which on a
 * machine without a spare CPU is the peer's stage's CPU: each wake-up there takes that CPU from the peer's stage and
 * delays the round trip in flight (the {@code sched} lines of a row show it as {@code client:oobnet-reporter} and
 * {@code client:java}). Hence rare wake-ups: the sample ring holds {@link StageSamples#DEFAULT_CAPACITY} samples,
 * more than a second of ping-pong.
 * <p>
 * Each can be set, for an A/B of their cost, with a system property in milliseconds ({@value #DRAIN_MS_PROPERTY},
 * {@value #POLL_MS_PROPERTY}), e.g. {@code OOBNET_CHILD_JAVA_OPTS=-Doobnet.phase.drainMs=1}.
 * <b>Note:</b> stateless, thread safe.
 */
public final class PhaseWakeups
{
    /** The reporter's drain period, ms. */
    public static final String DRAIN_MS_PROPERTY = "oobnet.phase.drainMs";
    /** The measuring thread's poll period, ms. */
    public static final String POLL_MS_PROPERTY = "oobnet.phase.pollMs";
    /** Default of both. */
    public static final long DEFAULT_MS = 50;

    private PhaseWakeups()
    {
    }

    /**
     * @return how long the reporter sleeps between drains of the stage's samples, ns.
     */
    public static long drainNs()
    {
        return periodNs(DRAIN_MS_PROPERTY);
    }

    /**
     * @return how long the measuring thread sleeps between checks for the phase's end, ns.
     */
    public static long pollNs()
    {
        return periodNs(POLL_MS_PROPERTY);
    }

    private static long periodNs(final String property)
    {
        final long ms = Long.getLong(property, DEFAULT_MS);
        if (ms < 1)
        {
            throw new IllegalArgumentException(property + "=" + ms + " must be at least 1 (ms)");
        }
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }
}
