package org.oobnet.udp.testing;

import org.oobnet.inband.testing.SteadyStateAllocation;

/**
 * Measures bytes allocated by the calling thread in steady state.
 */
public final class Allocations
{
    private Allocations()
    {
    }

    /**
     * Runs {@code work} in rounds until one allocates nothing (at most 30 s) and returns the fewest bytes a round
     * allocated: code the JIT has not compiled yet may allocate (FFM's errno capture slices its segment per call
     * until C2 removes it), compiled steady state must not ({@link SteadyStateAllocation}).
     *
     * @param work the work, run once per round.
     * @return the fewest bytes allocated by one measured round.
     */
    public static long steadyStateBytes(final Runnable work)
    {
        return SteadyStateAllocation.ofCallingThread(work);
    }
}
