package org.oobnet.udp.route;

import org.junit.jupiter.api.Test;
import org.oobnet.inband.testing.SteadyStateAllocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrontCacheTest
{
    @Test
    void shouldFindEveryEntryAfterGrowthAndRemoval()
    {
        final FrontCache<String> cache = new FrontCache<>();
        for (int i = 1; i <= 1000; i++)
        {
            cache.put(0x0AFB0000 + i, "v" + i);
        }
        assertEquals(1000, cache.size());
        for (int i = 1; i <= 1000; i += 2)
        {
            assertTrue(cache.remove(0x0AFB0000 + i));
        }
        assertFalse(cache.remove(0x0AFB0001));
        for (int i = 1; i <= 1000; i++)
        {
            assertEquals(i % 2 == 0 ? "v" + i : null, cache.lookup(0x0AFB0000 + i));
        }
        assertNull(cache.lookup(0));
        cache.put(0x0AFB0002, "again");
        assertEquals("again", cache.lookup(0x0AFB0002));
        assertEquals(500, cache.size());
    }

    @Test
    void shouldLookupWithoutAllocating()
    {
        final FrontCache<String> cache = new FrontCache<>();
        cache.put(7, "seven");
        final int[] found = new int[1];
        final long allocated = SteadyStateAllocation.ofCallingThread(() ->
        {
            for (int i = 0; i < 200_000; i++)
            {
                found[0] += null != cache.lookup(i & 15) ? 1 : 0;
            }
        });
        assertEquals(0, allocated, "allocated bytes over 200k lookups");
        assertTrue(found[0] > 0);
    }
}
