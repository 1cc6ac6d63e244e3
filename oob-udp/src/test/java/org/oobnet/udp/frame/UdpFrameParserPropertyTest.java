package org.oobnet.udp.frame;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Property and fuzz tests of the parser: good frames always pass with their fields intact, random and mutated
 * frames never make it throw. jqwik prints its seed with each property's report; the mutation fuzz prints its own.
 */
class UdpFrameParserPropertyTest
{
    @Property(tries = 500)
    void shouldAcceptEveryGoodFrame(
        @ForAll final int srcAddress,
        @ForAll final int dstAddress,
        @ForAll @IntRange(min = 0, max = 65535) final int srcPort,
        @ForAll @IntRange(min = 0, max = 65535) final int dstPort,
        @ForAll @IntRange(min = 1, max = 255) final int ttl,
        @ForAll @IntRange(min = -1, max = 4095) final int vlanId,
        @ForAll @Size(max = 1472) final byte[] payload,
        @ForAll @IntRange(min = 0, max = 16) final int padding)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
        final UdpFrameBuilder builder = new UdpFrameBuilder()
            .macs(TestFrames.SRC_MAC, TestFrames.DST_MAC)
            .source(srcAddress, srcPort)
            .destination(dstAddress, dstPort)
            .ttl(ttl)
            .vlanId(vlanId);
        final int length = builder.write(buffer, 0, new UnsafeBuffer(payload), 0, payload.length);

        final UdpFrameParser parser = new UdpFrameParser();
        assertEquals(DropReason.NONE, parser.parse(buffer, 0, length + padding));
        assertEquals(srcAddress, parser.srcAddress());
        assertEquals(dstAddress, parser.dstAddress());
        assertEquals(srcPort, parser.srcPort());
        assertEquals(dstPort, parser.dstPort());
        assertEquals(ttl, parser.ttl());
        assertEquals(vlanId, parser.vlanId());
        assertEquals(payload.length, parser.payloadLength());
        for (int i = 0; i < payload.length; i++)
        {
            assertEquals(payload[i], buffer.getByte(parser.payloadOffset() + i));
        }
    }

    @Property(tries = 2000)
    void shouldNeverThrowOnRandomBytes(@ForAll @Size(max = 200) final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        assertNotNull(new UdpFrameParser().parse(buffer, 0, frame.length));
    }

    @Property(tries = 2000)
    void shouldNeverThrowOnMutatedFrames(
        @ForAll @IntRange(min = 0, max = 300) final int payloadLength,
        @ForAll @Size(min = 1, max = 8) final int[] positions,
        @ForAll final byte xor,
        @ForAll @IntRange(min = 0, max = 400) final int cut)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
        final int length = TestFrames.goodFrame(buffer, payloadLength);
        for (final int position : positions)
        {
            final int index = Math.floorMod(position, length);
            buffer.putByte(index, (byte)(buffer.getByte(index) ^ xor));
        }
        final int captured = Math.min(length, cut);
        final UnsafeBuffer exact = new UnsafeBuffer(buffer, 0, captured);
        assertNotNull(new UdpFrameParser().parse(exact, 0, captured));
    }

    @Test
    void shouldDetectEverySingleBitFlipInHeadersOrPayload()
    {
        final long seed = Long.getLong("oobnet.fuzz.seed", System.nanoTime());
        System.out.println("UdpFrameParserPropertyTest seed=" + seed + " (rerun with -Doobnet.fuzz.seed=" + seed + ")");
        final Random random = new Random(seed);
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
            final int udpChecksumOffset = EthernetFlyweight.HEADER_LENGTH + Ipv4Flyweight.MIN_HEADER_LENGTH +
                UdpFlyweight.CHECKSUM_OFFSET;
            if (0 == buffer.getShort(udpChecksumOffset) && (index == udpChecksumOffset || index == udpChecksumOffset + 1))
            {
                continue; // the flip turned the checksum into zero, which legitimately means "no checksum"
            }
            final DropReason reason = parser.parse(buffer, 0, length);
            if (DropReason.NONE == reason)
            {
                throw new AssertionError("seed=" + seed + " round=" + round + " index=" + index + " bit=" + bit +
                    " accepted a corrupted frame");
            }
        }
    }
}
