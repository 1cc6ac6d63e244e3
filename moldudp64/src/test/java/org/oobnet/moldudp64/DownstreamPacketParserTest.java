package org.oobnet.moldudp64;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DownstreamPacketParserTest
{
    private static final int BASE = 7; // packets sit at an odd offset, as in an RX frame

    private final UnsafeBuffer session = new UnsafeBuffer(new byte[10]);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final DownstreamPacketBuilder builder = new DownstreamPacketBuilder();
    private final MoldUdp64DropCounters counters = new MoldUdp64DropCounters();
    private final DownstreamPacketParser parser = new DownstreamPacketParser(counters);

    DownstreamPacketParserTest()
    {
        MoldUdp64HeaderFlyweight.encodeSession("SESSION1", session, 0);
    }

    private int packetOf(final long sequence, final String... messages)
    {
        builder.start(buffer, BASE, 1400, session, 0, sequence);
        for (final String message : messages)
        {
            final byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
            assertTrue(builder.tryAppend(new UnsafeBuffer(bytes), 0, bytes.length));
        }
        return builder.length();
    }

    @Test
    void shouldWalkEveryMessageWithItsSequenceWhenPacketIsWellFormed()
    {
        final int length = packetOf(41, "alpha", "", "gamma!");
        assertEquals(MoldUdp64DropReason.NONE, parser.parse(buffer, BASE, length));
        assertEquals(41, parser.sequence());
        assertEquals(3, parser.messageCount());
        assertEquals("SESSION1", parser.header().sessionText());
        assertTrue(parser.header().sessionEquals(session, 0));
        final String[] expected = { "alpha", "", "gamma!" };
        for (int i = 0; i < expected.length; i++)
        {
            assertTrue(parser.nextMessage());
            assertEquals(41 + i, parser.messageSequence());
            assertEquals(expected[i], buffer.getStringWithoutLengthAscii(parser.messageOffset(), parser.messageLength()));
        }
        assertFalse(parser.nextMessage());
        assertEquals(1, counters.get(MoldUdp64DropReason.NONE));
    }

    @Test
    void shouldRecogniseHeartbeatAndEndOfSessionWhenCountIsAMarker()
    {
        builder.start(buffer, BASE, 1400, session, 0, 9);
        assertEquals(20, builder.heartbeat());
        assertEquals(MoldUdp64DropReason.NONE, parser.parse(buffer, BASE, 20));
        assertTrue(parser.isHeartbeat());
        assertFalse(parser.isEndOfSession());
        assertEquals(9, parser.sequence());
        assertFalse(parser.nextMessage());

        builder.start(buffer, BASE, 1400, session, 0, 9);
        builder.endOfSession();
        assertEquals(MoldUdp64DropReason.NONE, parser.parse(buffer, BASE, 20));
        assertTrue(parser.isEndOfSession());
        assertFalse(parser.isHeartbeat());
        assertEquals(0, parser.messageCount());
        assertFalse(parser.nextMessage());
    }

    @Test
    void shouldNameEachProblemAndCountItWhenPacketIsMalformed()
    {
        final int length = packetOf(5, "abc", "defg");
        // header: 20, block 1: 2+3, block 2: 2+4 -> 31
        assertEquals(31, length);
        assertDropped(MoldUdp64DropReason.TRUNCATED_HEADER, 19);
        assertDropped(MoldUdp64DropReason.MESSAGE_OVERRUNS_PACKET, length - 1);
        assertDropped(MoldUdp64DropReason.COUNT_OVERRUNS_PACKET, 25);
        assertDropped(MoldUdp64DropReason.TRAILING_BYTES, length + 1);

        buffer.putShort(BASE + 18, (short)3, ByteOrder.BIG_ENDIAN); // a count that lies upwards
        assertDropped(MoldUdp64DropReason.COUNT_OVERRUNS_PACKET, length);
        buffer.putShort(BASE + 18, (short)1, ByteOrder.BIG_ENDIAN); // and downwards
        assertDropped(MoldUdp64DropReason.TRAILING_BYTES, length);
        buffer.putShort(BASE + 18, (short)2, ByteOrder.BIG_ENDIAN);
        buffer.putShort(BASE + 25, (short)400, ByteOrder.BIG_ENDIAN); // a length that lies
        assertDropped(MoldUdp64DropReason.MESSAGE_OVERRUNS_PACKET, length);
        buffer.putShort(BASE + 25, (short)4, ByteOrder.BIG_ENDIAN);

        buffer.putLong(BASE + 10, 0L, ByteOrder.BIG_ENDIAN);
        assertDropped(MoldUdp64DropReason.SEQUENCE_OUT_OF_RANGE, length);
        buffer.putLong(BASE + 10, Long.MAX_VALUE, ByteOrder.BIG_ENDIAN);
        assertDropped(MoldUdp64DropReason.SEQUENCE_OUT_OF_RANGE, length);
        buffer.putLong(BASE + 10, -1L, ByteOrder.BIG_ENDIAN);
        assertDropped(MoldUdp64DropReason.SEQUENCE_OUT_OF_RANGE, length);

        builder.start(buffer, BASE, 1400, session, 0, 9);
        builder.heartbeat();
        assertDropped(MoldUdp64DropReason.TRAILING_BYTES, 21);

        assertEquals(11, counters.dropped());
        assertEquals(2, counters.get(MoldUdp64DropReason.COUNT_OVERRUNS_PACKET));
        assertEquals(3, counters.get(MoldUdp64DropReason.TRAILING_BYTES));
        assertEquals(0, counters.get(MoldUdp64DropReason.NONE));
    }

    @Test
    void shouldStopAppendingWhenTheNextBlockDoesNotFit()
    {
        builder.start(buffer, BASE, 20 + 2 + 5 + 2 + 4, session, 0, 1);
        final UnsafeBuffer five = new UnsafeBuffer("12345".getBytes(StandardCharsets.US_ASCII));
        assertTrue(builder.tryAppend(five, 0, 5));
        assertFalse(builder.tryAppend(five, 0, 5));
        assertTrue(builder.tryAppend(five, 0, 4));
        assertEquals(33, builder.length());
        assertEquals(2, builder.messageCount());
        assertEquals(MoldUdp64DropReason.NONE, parser.parse(buffer, BASE, builder.length()));
    }

    private void assertDropped(final MoldUdp64DropReason reason, final int length)
    {
        assertEquals(reason, parser.parse(buffer, BASE, length), "length=" + length);
        assertEquals(0, parser.messageCount(), "a dropped packet has no messages");
        assertFalse(parser.nextMessage());
    }
}
