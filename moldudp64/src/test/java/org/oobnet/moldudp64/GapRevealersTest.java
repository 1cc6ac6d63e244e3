package org.oobnet.moldudp64;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GapRevealersTest
{
    private static final int RETRANSMISSION_LINE = 2;

    private final GapRevealers revealers = new GapRevealers(RETRANSMISSION_LINE);

    // the packets of these lines, in turn, each revealed the gap past 10, 20, 30, ...
    private void revealInTurns(final int... lines)
    {
        for (int i = 0; i < lines.length; i++)
        {
            revealers.revealed(10L * (i + 1), lines[i]);
        }
    }

    @Test
    void shouldCountEachSequenceOnTheLineThatRevealedItsPartWhenLinesTakeTurns()
    {
        revealInTurns(0, 1, 0);

        assertEquals(0, revealers.lineOf(10));
        assertEquals(0, revealers.lineOf(19));
        assertEquals(1, revealers.lineOf(20));
        assertEquals(1, revealers.lineOf(29));
        assertEquals(0, revealers.lineOf(30));
        assertEquals(0, revealers.lineOf(1_000));
        assertEquals(0, revealers.lineOf(5), "before every part: the first part's line");
        assertEquals(20, revealers.partEnd(12, 100), "a part ends where the next starts");
        assertEquals(27, revealers.partEnd(25, 27), "or at the range's end when that comes first");
        assertEquals(100, revealers.partEnd(35, 100), "the last part runs to the range's end");
    }

    @Test
    void shouldGoOnWithOnePartWhenTheSameLineRevealsAgain()
    {
        revealInTurns(1, 1, 0);

        assertEquals(1, revealers.lineOf(25));
        assertEquals(30, revealers.partEnd(10, 100), "line 1's part runs from 10 to line 0's");
    }

    @Test
    void shouldCountOnTheRetransmissionLineWhenNoLineRevealedTheSequence()
    {
        assertEquals(RETRANSMISSION_LINE, revealers.lineOf(5), "a session's missing start in join mode");
        assertEquals(50, revealers.partEnd(5, 50));

        revealers.revealed(10, 0);
        revealers.clear();
        assertEquals(RETRANSMISSION_LINE, revealers.lineOf(10), "cleared: no part left");
    }

    @Test
    void shouldCountOnTheLastPartsLineWhenPartsPassTheCapacity()
    {
        for (int i = 0; i < GapRevealers.CAPACITY; i++)
        {
            revealers.revealed(10L * i, i % 2);
        }
        final int lastLine = (GapRevealers.CAPACITY - 1) % 2;
        revealers.revealed(10_000, 1 - lastLine);

        assertEquals(lastLine, revealers.lineOf(10_000), "past the capacity the last part goes on");
        assertEquals(10_005, revealers.partEnd(10_000, 10_005));
    }

    @Test
    void shouldForgetThePartsWhollyBeforeTheNextSequenceWhenDeliveryMovesOn()
    {
        revealInTurns(0, 1, 0);

        revealers.forgetBefore(25);

        assertEquals(1, revealers.lineOf(25), "the part holding the next sequence stays");
        assertEquals(1, revealers.lineOf(15), "line 0's first part is forgotten: before every part is line 1's");
        assertEquals(0, revealers.lineOf(30));

        revealers.forgetBefore(30);
        assertEquals(0, revealers.lineOf(25), "a part starting at the next sequence drops the one before");
    }
}
