package org.oobnet.udp.frame;

import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Property and fuzz tests of the parser: good frames always pass with their fields intact, random and mutated
 * frames never make it throw. Each test draws its inputs from a seeded {@link Random} and prints the seed; rerun
 * one case with {@code -Doobnet.fuzz.seed=SEED}.
 */
class UdpFrameParserPropertyTest
{
    private static Random seeded(final String test)
    {
        final long seed = Long.getLong("oobnet.fuzz.seed", System.nanoTime());
        System.out.println("UdpFrameParserPropertyTest." + test + " seed=" + seed +
            " (rerun with -Doobnet.fuzz.seed=" + seed + ")");
        return new Random(seed);
    }

    @Test
    void shouldAcceptEveryGoodFrame()
    {
        final Random random = seeded("shouldAcceptEveryGoodFrame");
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
        final UdpFrameParser parser = new UdpFrameParser();
        for (int round = 0; round < 500; round++)
        {
            final int srcAddress = random.nextInt();
            final int dstAddress = random.nextInt();
            final int srcPort = random.nextInt(65536);
            final int dstPort = random.nextInt(65536);
            final int ttl = 1 + random.nextInt(255);
            final int vlanId = random.nextInt(4097) - 1;
            final byte[] payload = new byte[random.nextInt(1473)];
            random.nextBytes(payload);
            final int padding = random.nextInt(17);
            final String label = "round=" + round;

            final UdpFrameBuilder builder = new UdpFrameBuilder()
                .macs(TestFrames.SRC_MAC, TestFrames.DST_MAC)
                .source(srcAddress, srcPort)
                .destination(dstAddress, dstPort)
                .ttl(ttl)
                .vlanId(vlanId);
            final int length = builder.write(buffer, 0, new UnsafeBuffer(payload), 0, payload.length);

            assertEquals(DropReason.NONE, parser.parse(buffer, 0, length + padding), label);
            assertEquals(srcAddress, parser.srcAddress(), label);
            assertEquals(dstAddress, parser.dstAddress(), label);
            assertEquals(srcPort, parser.srcPort(), label);
            assertEquals(dstPort, parser.dstPort(), label);
            assertEquals(ttl, parser.ttl(), label);
            assertEquals(vlanId, parser.vlanId(), label);
            assertEquals(payload.length, parser.payloadLength(), label);
            for (int i = 0; i < payload.length; i++)
            {
                assertEquals(payload[i], buffer.getByte(parser.payloadOffset() + i), label);
            }
        }
    }

    @Test
    void shouldNeverThrowOnRandomBytes()
    {
        final Random random = seeded("shouldNeverThrowOnRandomBytes");
        final UdpFrameParser parser = new UdpFrameParser();
        for (int round = 0; round < 20_000; round++)
        {
            final byte[] frame = new byte[random.nextInt(201)];
            random.nextBytes(frame);
            assertNotNull(parser.parse(new UnsafeBuffer(frame), 0, frame.length), "round=" + round);
        }
    }

    @Test
    void shouldNeverThrowOnMutatedFrames()
    {
        final Random random = seeded("shouldNeverThrowOnMutatedFrames");
        final UdpFrameParser parser = new UdpFrameParser();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
        for (int round = 0; round < 20_000; round++)
        {
            final int length = TestFrames.goodFrame(buffer, random.nextInt(301));
            final int flips = 1 + random.nextInt(8);
            final byte xor = (byte)random.nextInt(256);
            for (int i = 0; i < flips; i++)
            {
                final int index = random.nextInt(length);
                buffer.putByte(index, (byte)(buffer.getByte(index) ^ xor));
            }
            // Cut the capture anywhere, down to nothing: the parser sees exactly the captured bytes.
            final int captured = Math.min(length, random.nextInt(401));
            final UnsafeBuffer exact = new UnsafeBuffer(buffer, 0, captured);
            assertNotNull(parser.parse(exact, 0, captured), "round=" + round);
        }
    }

    @Test
    void shouldDetectEverySingleBitFlipInHeadersOrPayload()
    {
        final Random random = seeded("shouldDetectEverySingleBitFlipInHeadersOrPayload");
        final UdpFrameParser parser = new UdpFrameParser();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
        for (int round = 0; round < 2000; round++)
        {
            final int payloadLength = random.nextInt(1473);
            final int length = TestFrames.goodFrame(buffer, payloadLength);
            // A flip anywhere past the MACs breaks the EtherType, an IPv4 field, its checksum, or the UDP checksum
            // (the Internet checksum catches every single-bit error).
            final int index = 12 + random.nextInt(length - 12);
            final int bit = random.nextInt(8);
            buffer.putByte(index, (byte)(buffer.getByte(index) ^ (1 << bit)));
            final int udpChecksumOffset = EthernetHeaderFlyweight.HEADER_LENGTH + Ipv4Flyweight.MIN_HEADER_LENGTH +
                UdpFlyweight.CHECKSUM_OFFSET;
            if (0 == buffer.getShort(udpChecksumOffset) && (index == udpChecksumOffset || index == udpChecksumOffset + 1))
            {
                continue; // the flip turned the checksum into zero, which legitimately means "no checksum"
            }
            final DropReason reason = parser.parse(buffer, 0, length);
            if (DropReason.NONE == reason)
            {
                throw new AssertionError("round=" + round + " index=" + index + " bit=" + bit +
                    " accepted a corrupted frame");
            }
        }
    }
}
