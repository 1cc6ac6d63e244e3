package org.oobnet.config;

import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CpuListRoundTripTest
{
    @Test
    void shouldParseItsOwnFormatBackWhenRandomSets()
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        for (int round = 0; round < 2_000; round++)
        {
            final TreeSet<Integer> cpus = new TreeSet<>();
            final int count = random.nextInt(40);
            final int span = 1 + random.nextInt(256);
            for (int i = 0; i < count; i++)
            {
                cpus.add(random.nextInt(span));
            }
            final CpuList list = CpuList.of(cpus.stream().mapToInt(Integer::intValue).toArray());

            final String text = list.toString();
            final CpuList parsed = CpuList.parse(text);

            assertEquals(list, parsed, "seed=" + seed + " text=" + text);
            assertArrayEquals(cpus.stream().mapToInt(Integer::intValue).toArray(), parsed.toArray(), "seed=" + seed);
            assertFalse(adjacentRanges(text), "ranges not collapsed, seed=" + seed + " text=" + text);
        }
    }

    /** True when one part of the text ends right before the next begins: "0-2,3" should have been "0-3". */
    private static boolean adjacentRanges(final String text)
    {
        final String[] parts = text.split(",");
        for (int i = 1; i < parts.length; i++)
        {
            final String[] previous = parts[i - 1].split("-");
            final int end = Integer.parseInt(previous[previous.length - 1]);
            final int start = Integer.parseInt(parts[i].split("-")[0]);
            if (start == end + 1)
            {
                return true;
            }
        }
        return false;
    }
}
