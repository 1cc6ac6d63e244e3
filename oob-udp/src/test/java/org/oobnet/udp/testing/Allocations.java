package org.oobnet.udp.testing;

import java.lang.management.ManagementFactory;

/**
 * Measures bytes allocated by the calling thread in steady state.
 */
public final class Allocations
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private Allocations()
    {
    }

    /**
     * Runs {@code work} for some warm-up rounds, then measures five rounds and returns the fewest bytes one of them
     * allocated: a JIT compilation or an OSR transition may allocate once, steady state must not.
     *
     * @param work the work, run once per round.
     * @return the fewest bytes allocated by one measured round.
     */
    public static long steadyStateBytes(final Runnable work)
    {
        for (int i = 0; i < 5; i++)
        {
            work.run();
        }
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++)
        {
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            work.run();
            fewest = Math.min(fewest, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        return fewest;
    }
}
