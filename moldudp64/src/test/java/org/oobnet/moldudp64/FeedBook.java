package org.oobnet.moldudp64;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A test handler that keeps exact books: every sequence number must be delivered once, in order, or fall in a
 * range reported lost, with no hole and no overlap; each message's payload starts with its own sequence number.
 */
final class FeedBook implements MoldUdp64Handler
{
    final List<long[]> lostRanges = new ArrayList<>();
    final List<String> sessions = new ArrayList<>();
    long delivered;
    long lost;
    long next = -1;
    volatile long endOfSession = -1; // polled by the test thread while the stage writes it
    int endsOfSession;

    @Override
    public void onMessage(
        final long sequence, final DirectBuffer buffer, final int offset, final int length, final int line,
        final long rxTimestampNs)
    {
        if (next >= 0 && sequence != next)
        {
            fail("delivered " + sequence + " but expected " + next);
        }
        assertTrue(length >= 8, "payload carries its sequence number");
        assertEquals(sequence, buffer.getLong(offset, ByteOrder.BIG_ENDIAN), "payload of " + sequence);
        next = sequence + 1;
        delivered++;
    }

    @Override
    public void onLost(final long fromSequence, final long count)
    {
        if (next >= 0 && fromSequence != next)
        {
            fail("lost from " + fromSequence + " but expected " + next);
        }
        assertTrue(count > 0, "lost count " + count);
        lostRanges.add(new long[]{ fromSequence, count });
        next = fromSequence + count;
        lost += count;
    }

    @Override
    public void onSession(final DirectBuffer session, final int offset, final long nextSequence)
    {
        sessions.add(session.getStringWithoutLengthAscii(offset, MoldUdp64Descriptor.SESSION_LENGTH).stripTrailing());
        next = nextSequence;
        endOfSession = -1;
        delivered = 0; // the books are per session
        lost = 0;
    }

    @Override
    public void onEndOfSession(final long nextSequence)
    {
        assertEquals(next, nextSequence, "end of session only after every message");
        endOfSession = nextSequence;
        endsOfSession++;
    }

    /**
     * Asserts the session's books: {@code [1, endExclusive)} delivered or lost, and the end reported.
     */
    void assertExact(final long endExclusive, final String context)
    {
        assertEquals(endExclusive, next, "next sequence; " + context);
        assertEquals(endExclusive - 1, delivered + lost, "delivered + lost; " + context);
        assertEquals(endExclusive, endOfSession, "end of session; " + context);
    }
}
