package org.oobnet.inband.testing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SteadyStateAllocationTest
{
    private static volatile Object sink;

    @Test
    void shouldReportZeroWhenTheRoundDoesNotAllocate()
    {
        final long[] counter = new long[1];
        assertEquals(0, SteadyStateAllocation.ofCallingThread(() ->
        {
            for (int i = 0; i < 10_000; i++)
            {
                counter[0] += i;
            }
        }));
    }

    @Test
    void shouldReportTheAllocationWhenEveryRoundAllocates()
    {
        final long fewest = SteadyStateAllocation.fewestBytes(Thread.currentThread().threadId(), () ->
        {
            for (int i = 0; i < 100; i++)
            {
                sink = new byte[64];
            }
        }, 200_000_000L);
        assertTrue(fewest >= 100 * 64, "every round allocates 100 arrays of 64 bytes: fewest=" + fewest);
    }
}
