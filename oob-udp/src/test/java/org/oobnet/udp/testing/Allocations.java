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
     * Runs {@code work} for some warm-up rounds, then measures up to thirty rounds and returns the fewest bytes one of
     * them allocated (stopping at the first that allocated nothing): code the JIT has not compiled yet may allocate
     * (FFM's errno capture slices its segment per call until C2 removes it), compiled steady state must not. On a
     * busy machine C2 may take several rounds to get there.
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
        for (int i = 0; i < 30 && fewest > 0; i++)
        {
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            work.run();
            fewest = Math.min(fewest, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        return fewest;
    }
}
