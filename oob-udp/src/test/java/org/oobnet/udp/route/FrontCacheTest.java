package org.oobnet.udp.route;

import org.junit.jupiter.api.Test;

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
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        int found = 0;
        for (int i = 0; i < 100_000; i++)
        {
            found += null != cache.lookup(i & 15) ? 1 : 0;
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000_000; i++)
        {
            found += null != cache.lookup(i & 15) ? 1 : 0;
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, allocated, "allocated bytes over a million lookups");
        assertTrue(found > 0);
    }
}
