package org.oobnet.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class UnitsTest
{
    @Test
    void shouldParseDurationsWhenUnitGiven()
    {
        assertEquals(20_000L, Durations.parseNs("20us"));
        assertEquals(20_000L, Durations.parseNs("20µs"));
        assertEquals(1_500_000L, Durations.parseNs("1.5ms"));
        assertEquals(250L, Durations.parseNs("250ns"));
        assertEquals(10_000_000_000L, Durations.parseNs("10s"));
        assertEquals(120_000_000_000L, Durations.parseNs("2m"));
    }

    @Test
    void shouldRefuseDurationsWhenUnitMissingOrUnknown()
    {
        assertEquals("expected a duration with a unit (ns, us, ms, s, m, h) such as \"20us\"",
            assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("20")).getMessage());
        assertEquals("unknown unit \"sec\" (use ns, us, ms, s, m or h)",
            assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("2sec")).getMessage());
        assertEquals("not a whole number of nanoseconds, or too large",
            assertThrows(IllegalArgumentException.class, () -> Durations.parseNs("1.5ns")).getMessage());
    }

    @Test
    void shouldFormatDurationsInLargestWholeUnit()
    {
        assertEquals("20us", Durations.format(20_000L));
        assertEquals("1500us", Durations.format(1_500_000L));
        assertEquals("2s", Durations.format(2_000_000_000L));
        assertEquals("0s", Durations.format(0));
        assertEquals("1h", Durations.format(3_600_000_000_000L));
    }

    @Test
    void shouldParseAndFormatByteSizes()
    {
        assertEquals(65536L, ByteSizes.parse("64KiB"));
        assertEquals(65536L, ByteSizes.parse("64k"));
        assertEquals(1L << 20, ByteSizes.parse("1MiB"));
        assertEquals(1L << 30, ByteSizes.parse("1g"));
        assertEquals(4096L, ByteSizes.parse("4096"));
        assertEquals("64KiB", ByteSizes.format(65536));
        assertEquals("1GiB", ByteSizes.format(1L << 30));
        assertEquals("1000", ByteSizes.format(1000));
        assertEquals("expected a byte size such as 65536 or \"64KiB\"",
            assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("64 apples")).getMessage());
    }

    @Test
    void shouldCountTranspositionAsOneEdit()
    {
        assertEquals(1, KeySuggester.distance("stgae", "stage"));
        assertEquals(3, KeySuggester.distance("kitten", "sitting"));
        assertEquals("stage.idle_strategy",
            KeySuggester.nearest("stage.idle_stratgy", java.util.List.of("stage.cpu", "stage.idle_strategy")));
        assertNull(KeySuggester.nearest("stage.colour", java.util.List.of("stage.cpu", "stage.idle_strategy")));
    }
}
