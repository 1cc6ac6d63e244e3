package org.oobnet.moldudp64;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SequenceRangesTest
{
    /** Seeded adds and removals against a bit set: the same members, merged ranges, the same answers. */
    @Test
    void shouldAnswerAsABitSetWhenRangesAreAddedAndForgottenBySeededSchedule()
    {
        for (long seed = 0; seed < 200; seed++)
        {
            final Random random = new Random(seed);
            final SequenceRanges ranges = new SequenceRanges(256);
            final BitSet members = new BitSet();
            long floor = 0;
            for (int step = 0; step < 300; step++)
            {
                if (random.nextInt(10) == 0)
                {
                    floor += random.nextInt(20);
                    ranges.removeBefore(floor);
                    members.clear(0, (int)floor);
                }
                else
                {
                    final long from = floor + random.nextInt(400);
                    final long end = from + random.nextInt(12);
                    ranges.add(from, end);
                    members.set((int)from, (int)end);
                }
                final String context = "seed=" + seed + " step=" + step;
                assertEquals(runs(members), ranges.size(), "merged, non-adjacent ranges; " + context);
                final long probe = floor + random.nextInt(420);
                assertEquals(members.nextClearBit((int)probe), ranges.firstAbsent(probe), "firstAbsent " + probe + "; " + context);
                final long absent = members.nextClearBit((int)probe);
                final int next = members.nextSetBit((int)absent);
                assertEquals(next < 0 ? Long.MAX_VALUE : next, ranges.nextStart(absent), "nextStart " + absent + "; " + context);
            }
        }
    }

    @Test
    void shouldNameTheRangeWhenFullAndAddIntoAGap()
    {
        final SequenceRanges ranges = new SequenceRanges(2);
        ranges.add(10, 12);
        ranges.add(20, 22);
        ranges.add(12, 13); // touches: merged
        ranges.add(0, 0);   // empty: nothing
        assertEquals(2, ranges.size());
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> ranges.add(15, 16));
        assertEquals("ranges=2 at capacity: cannot add [15, 16)", ex.getMessage());
        ranges.add(13, 20); // fills the space between: one range
        assertEquals(1, ranges.size());
        assertEquals(22, ranges.firstAbsent(10));
    }

    private static int runs(final BitSet members)
    {
        int runs = 0;
        for (int i = members.nextSetBit(0); i >= 0; i = members.nextSetBit(members.nextClearBit(i)))
        {
            runs++;
        }
        return runs;
    }
}
