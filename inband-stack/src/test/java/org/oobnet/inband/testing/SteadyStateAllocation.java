package org.oobnet.inband.testing;

import java.lang.management.ManagementFactory;

/**
 * Measures what a thread allocates once it is in steady state, for the "the stage allocates nothing" tests.
 * <p>
 * Steady state means after the JIT has compiled the hot path: until C2 has inlined a downcall, for instance, the
 * interpreter and C1 allocate a slice of the errno capture segment per call, which C2's escape analysis removes.
 * On a loaded 2-CPU machine that can take many rounds, so rather than a fixed warm-up this runs measured rounds
 * until one allocates nothing or a time limit passes, and reports the fewest bytes any round allocated. A real
 * per-cycle allocation shows in every round, so the test that asserts 0 still fails on it.
 * <p>
 * <b>Note:</b> thread safe, stateless.
 */
public final class SteadyStateAllocation
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final long DEFAULT_LIMIT_NS = 30_000_000_000L;

    private SteadyStateAllocation()
    {
    }

    /**
     * Runs {@code round} on the calling thread until one round allocates nothing (or 30 s pass).
     *
     * @param round the work of one round, e.g. 20 000 polls.
     * @return the fewest bytes one round allocated: 0 in steady state.
     */
    public static long ofCallingThread(final Runnable round)
    {
        final long threadId = Thread.currentThread().threadId();
        return fewestBytes(threadId, round, DEFAULT_LIMIT_NS);
    }

    /**
     * Measures another thread (a stage thread) over rounds that {@code round} delimits, e.g. by waiting for a
     * number of stage cycles, until one round sees it allocate nothing (or 30 s pass).
     *
     * @param threadId the measured thread.
     * @param round    returns when a round is over (it runs on the calling thread).
     * @return the fewest bytes the measured thread allocated during one round: 0 in steady state.
     */
    public static long ofThread(final long threadId, final Runnable round)
    {
        return fewestBytes(threadId, round, DEFAULT_LIMIT_NS);
    }

    static long fewestBytes(final long threadId, final Runnable round, final long limitNs)
    {
        final long deadlineNs = System.nanoTime() + limitNs;
        long fewest = Long.MAX_VALUE;
        do
        {
            final long before = THREADS.getThreadAllocatedBytes(threadId);
            round.run();
            final long after = THREADS.getThreadAllocatedBytes(threadId);
            if (before < 0 || after < 0)
            {
                throw new IllegalStateException("thread " + threadId + " is not alive or allocation is not measured");
            }
            fewest = Math.min(fewest, after - before);
        }
        while (fewest > 0 && deadlineNs - System.nanoTime() > 0);
        return fewest;
    }
}
