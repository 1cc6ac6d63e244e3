package org.oobnet.moldudp64;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestPacketParserTest
{
    private final UnsafeBuffer session = new UnsafeBuffer(new byte[10]);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    private final MoldUdp64DropCounters counters = new MoldUdp64DropCounters();
    private final RequestPacketParser parser = new RequestPacketParser(counters);
    private final DownstreamPacketBuilder builder = new DownstreamPacketBuilder();

    @Test
    void shouldReadSessionSequenceAndCountWhenRequestIsWellFormed()
    {
        MoldUdp64HeaderFlyweight.encodeSession("S", session, 0);
        final int length = builder.request(buffer, 3, session, 0, 1234, 77);
        assertEquals(MoldUdp64DropReason.NONE, parser.parse(buffer, 3, length));
        assertEquals(1234, parser.sequence());
        assertEquals(77, parser.count());
        assertTrue(parser.header().sessionEquals(session, 0));
        assertEquals("S", parser.header().sessionText());
    }

    @Test
    void shouldNameEachProblemWhenRequestIsMalformed()
    {
        builder.request(buffer, 0, session, 0, 1, 0);
        assertEquals(MoldUdp64DropReason.REQUEST_COUNT_OUT_OF_RANGE, parser.parse(buffer, 0, 20));
        builder.request(buffer, 0, session, 0, 1, 0xFFFF);
        assertEquals(MoldUdp64DropReason.REQUEST_COUNT_OUT_OF_RANGE, parser.parse(buffer, 0, 20));
        builder.request(buffer, 0, session, 0, 0, 5);
        assertEquals(MoldUdp64DropReason.SEQUENCE_OUT_OF_RANGE, parser.parse(buffer, 0, 20));
        builder.request(buffer, 0, session, 0, Long.MAX_VALUE, 5);
        assertEquals(MoldUdp64DropReason.SEQUENCE_OUT_OF_RANGE, parser.parse(buffer, 0, 20));
        assertEquals(MoldUdp64DropReason.TRUNCATED_HEADER, parser.parse(buffer, 0, 19));
        assertEquals(MoldUdp64DropReason.REQUEST_WRONG_LENGTH, parser.parse(buffer, 0, 21));
        assertEquals(6, counters.dropped());
    }

    @Test
    void shouldRefuseSessionTextThatCannotBeEncoded()
    {
        final IllegalArgumentException tooLong = org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> MoldUdp64HeaderFlyweight.encodeSession("ABCDEFGHIJK", session, 0));
        assertEquals("session=ABCDEFGHIJK is longer than 10 characters", tooLong.getMessage());
        final IllegalArgumentException control = org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> MoldUdp64HeaderFlyweight.encodeSession("A\tB", session, 0));
        assertEquals("session=A\tB has a non-printable character at index 1", control.getMessage());
    }
}
