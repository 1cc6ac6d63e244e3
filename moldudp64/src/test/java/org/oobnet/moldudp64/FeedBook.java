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
    long deliveredInAllSessions;
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
        deliveredInAllSessions++;
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
     * Asserts the books of {@link NassauFeed}'s A/B feed: one session, every message delivered once in order from
     * some line, nothing lost (Nassau's request server answers every request), a line filled the other's gap and
     * the request server filled what both lost.
     */
    void assertNassauFeed(final MoldUdp64Receiver receiver, final int messageCount, final String books)
    {
        assertEquals(List.of(NassauFeed.SESSION), sessions, books);
        assertExact(messageCount + 1, books);
        assertEquals(0, lost, "Nassau's request server answers every request; " + books);
        assertEquals(messageCount, receiver.line(0).wins() + receiver.line(1).wins() + receiver.line(2).wins(), books);
        assertTrue(receiver.line(0).filled() + receiver.line(1).filled() > 0, "a line filled the other's gap; " + books);
        assertTrue(receiver.feed().requests() > 0 && receiver.line(2).wins() > 0,
            "both lines lost some packet: the request server filled it; " + books);
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
