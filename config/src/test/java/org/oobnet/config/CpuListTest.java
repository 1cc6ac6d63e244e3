package org.oobnet.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CpuListTest
{
    @Test
    void shouldParseRangesAndSinglesWhenKernelFormat()
    {
        final CpuList list = CpuList.parse("0-3,5,8-9\n");

        assertArrayEquals(new int[]{0, 1, 2, 3, 5, 8, 9}, list.toArray());
        assertEquals(7, list.size());
        assertEquals(9, list.last());
        assertTrue(list.contains(5));
        assertFalse(list.contains(4));
        assertFalse(list.contains(-1));
    }

    @Test
    void shouldBeEmptyWhenTextIsBlank()
    {
        assertTrue(CpuList.parse("\n").isEmpty());
        assertEquals(-1, CpuList.parse("").last());
        assertEquals("", CpuList.parse(" ").toString());
    }

    @Test
    void shouldCollapseRangesWhenFormatting()
    {
        assertEquals("0-3,5,8-9", CpuList.of(9, 8, 5, 3, 2, 1, 0).toString());
        assertEquals("1", CpuList.of(1).toString());
        assertEquals("0-1", CpuList.parse("0,1").toString());
    }

    @Test
    void shouldIntersectWhenBothHaveCpus()
    {
        assertEquals(CpuList.of(2, 3), CpuList.parse("0-3").intersect(CpuList.parse("2-5")));
    }

    @Test
    void shouldRefuseWhenNotACpuList()
    {
        assertEquals("cpu list \"0-x\": \"0-x\" is not a CPU number or range",
            assertThrows(IllegalArgumentException.class, () -> CpuList.parse("0-x")).getMessage());
        assertEquals("cpu list \"3-1\": range 3-1 ends before it starts",
            assertThrows(IllegalArgumentException.class, () -> CpuList.parse("3-1")).getMessage());
        assertEquals("cpu list \"0,,1\": \"\" is not a CPU number or range",
            assertThrows(IllegalArgumentException.class, () -> CpuList.parse("0,,1")).getMessage());
        assertEquals("cpu list \"9000\": cpu 9000 is above 8191",
            assertThrows(IllegalArgumentException.class, () -> CpuList.parse("9000")).getMessage());
    }
}
