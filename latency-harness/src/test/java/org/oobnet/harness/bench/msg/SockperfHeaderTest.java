package org.oobnet.harness.bench.msg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SockperfHeaderTest
{
    /** A 64-byte ping-pong request as an unmodified sockperf 3.7 client sent it on this machine (first 14 bytes). */
    private static final String SOCKPERF_CAPTURE = "0000000000001388" + "0003" + "00000040";

    @Test
    void shouldDecodeAMessageCapturedFromSockperf()
    {
        final ByteBuffer buffer = ByteBuffer.allocate(64);
        buffer.put(HexFormat.of().parseHex(SOCKPERF_CAPTURE));
        final SockperfHeader header = new SockperfHeader().wrap(buffer);
        assertEquals(5000, header.sequence());
        assertTrue(header.has(SockperfHeader.FLAG_CLIENT));
        assertTrue(header.has(SockperfHeader.FLAG_PONG_REQUEST));
        assertFalse(header.has(SockperfHeader.FLAG_WARMUP));
        assertEquals(64, header.length());
        assertEquals(SockperfHeader.VALID, header.check(64));
    }

    @Test
    void shouldRoundTripEveryFieldWhenEncodedAndDecoded()
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final ByteBuffer buffer = ByteBuffer.allocateDirect(1500);
        final SockperfHeader header = new SockperfHeader().wrap(buffer);
        for (int i = 0; i < 10_000; i++)
        {
            final long sequence = random.nextLong();
            final int flags = random.nextInt(0x10000);
            final int length = SockperfHeader.HEADER_LENGTH + random.nextInt(1500 - SockperfHeader.HEADER_LENGTH);
            header.encode(sequence, flags, length);
            final SockperfHeader decoded = new SockperfHeader().wrap(buffer);
            assertEquals(sequence, decoded.sequence(), "seed=" + seed);
            assertEquals(flags, decoded.flags(), "seed=" + seed);
            assertEquals(length, decoded.length(), "seed=" + seed);
            assertEquals(SockperfHeader.VALID, decoded.check(length), "seed=" + seed);
        }
    }

    @Test
    void shouldRejectDatagramShorterThanHeader()
    {
        final SockperfHeader header = new SockperfHeader().wrap(ByteBuffer.allocate(64));
        for (int length = 0; length < SockperfHeader.HEADER_LENGTH; length++)
        {
            assertEquals(SockperfHeader.SHORTER_THAN_HEADER, header.check(length));
        }
        assertEquals("length=5 is shorter than the 14-byte sockperf header",
            header.describe(SockperfHeader.SHORTER_THAN_HEADER, 5));
    }

    @Test
    void shouldRejectLengthFieldThatDisagreesWithDatagram()
    {
        final SockperfHeader header = new SockperfHeader().wrap(ByteBuffer.allocate(64));
        header.encode(1, SockperfHeader.FLAG_CLIENT | SockperfHeader.FLAG_PONG_REQUEST, 100);
        assertEquals(SockperfHeader.LENGTH_MISMATCH, header.check(64));
        assertEquals("header length=100 at offset 10 does not match datagram length=64",
            header.describe(SockperfHeader.LENGTH_MISMATCH, 64));
        header.length(-1);
        assertEquals(4294967295L, header.length());
        assertEquals(SockperfHeader.LENGTH_MISMATCH, header.check(64));
    }

    @Test
    void shouldAnswerPongRequestByClearingClientFlagOnly()
    {
        final ByteBuffer buffer = ByteBuffer.allocate(64);
        final SockperfHeader header = new SockperfHeader().wrap(buffer);
        header.encode(42, SockperfHeader.FLAG_CLIENT | SockperfHeader.FLAG_PONG_REQUEST, 64);
        buffer.put(20, (byte)0x5A);
        assertEquals(SockperfReply.REPLY, new SockperfReply().apply(buffer, 64));
        assertEquals(42, header.sequence());
        assertEquals(SockperfHeader.FLAG_PONG_REQUEST, header.flags());
        assertEquals(64, header.length());
        assertEquals(0x5A, buffer.get(20));
    }

    @Test
    void shouldIgnoreWarmupNonClientAndNoPongMessages()
    {
        final ByteBuffer buffer = ByteBuffer.allocate(64);
        final SockperfHeader header = new SockperfHeader().wrap(buffer);
        final SockperfReply reply = new SockperfReply();
        header.encode(1, SockperfHeader.FLAG_CLIENT | SockperfHeader.FLAG_PONG_REQUEST | SockperfHeader.FLAG_WARMUP,
            64);
        assertEquals(SockperfReply.IGNORED_WARMUP, reply.apply(buffer, 64));
        header.encode(1, SockperfHeader.FLAG_PONG_REQUEST, 64);
        assertEquals(SockperfReply.IGNORED_NOT_CLIENT, reply.apply(buffer, 64));
        header.encode(1, SockperfHeader.FLAG_CLIENT, 64);
        assertEquals(SockperfReply.IGNORED_NO_PONG_REQUEST, reply.apply(buffer, 64));
    }

    @Test
    void shouldDropMalformedInputWithoutThrowing()
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final ByteBuffer buffer = ByteBuffer.allocate(128);
        final SockperfReply reply = new SockperfReply();
        int replies = 0;
        for (int i = 0; i < 100_000; i++)
        {
            final byte[] junk = new byte[128];
            random.nextBytes(junk);
            buffer.clear();
            buffer.put(junk);
            final int length = random.nextInt(129);
            final int action = reply.apply(buffer, length);
            if (action == SockperfReply.REPLY)
            {
                replies++;
                assertEquals(length, new SockperfHeader().wrap(buffer).length(), "seed=" + seed);
            }
        }
        // a random 32-bit length field matches the datagram length with probability ~2^-25 per try
        assertTrue(replies <= 1, "seed=" + seed + " replies=" + replies);
    }
}
