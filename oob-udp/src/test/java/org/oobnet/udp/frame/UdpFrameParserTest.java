package org.oobnet.udp.frame;

import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.udp.frame.TestFrames.DST_ADDRESS;
import static org.oobnet.udp.frame.TestFrames.DST_PORT;
import static org.oobnet.udp.frame.TestFrames.SRC_ADDRESS;
import static org.oobnet.udp.frame.TestFrames.SRC_PORT;

class UdpFrameParserTest
{
    private static final int IP = EthernetHeaderFlyweight.HEADER_LENGTH;
    private static final int UDP = IP + Ipv4Flyweight.MIN_HEADER_LENGTH;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final UdpFrameParser parser = new UdpFrameParser();
    private final Ipv4Flyweight ip = new Ipv4Flyweight();
    private final UdpFlyweight udp = new UdpFlyweight();

    @Test
    void shouldComputeIpChecksumOfTheTextbookHeader()
    {
        // 45 00 00 73 00 00 40 00 40 11 [b8 61] c0 a8 00 01 c0 a8 00 c7 (the classic example, checksum 0xb861)
        final int[] header = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0, 0,
            0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
        for (int i = 0; i < header.length; i++)
        {
            buffer.putByte(i, (byte)header[i]);
        }
        ip.wrap(buffer, 0).updateChecksum();
        assertEquals(0xb861, ip.checksum());
        assertTrue(ip.isChecksumValid());
    }

    @Test
    void shouldMatchTheReferenceChecksumForEveryLengthAndAlignment()
    {
        final byte[] bytes = new byte[300];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)(i * 31 + 7);
        }
        final UnsafeBuffer data = new UnsafeBuffer(bytes);
        for (int offset = 0; offset < 4; offset++)
        {
            for (int length = 0; length < 290; length++)
            {
                assertEquals(TestFrames.referenceChecksum(bytes, offset, length, 0),
                    InternetChecksum.finish(InternetChecksum.add(0, data, offset, length)),
                    "offset=" + offset + " length=" + length);
            }
        }
    }

    @Test
    void shouldAcceptBuiltFrameAndExposeItsFields()
    {
        final int length = TestFrames.goodFrame(buffer, 64);
        assertEquals(42 + 64, length);
        assertEquals(DropReason.NONE, parser.parse(buffer, 0, length));
        assertEquals(SRC_ADDRESS, parser.srcAddress());
        assertEquals(DST_ADDRESS, parser.dstAddress());
        assertEquals(SRC_PORT, parser.srcPort());
        assertEquals(DST_PORT, parser.dstPort());
        assertEquals(42, parser.payloadOffset());
        assertEquals(64, parser.payloadLength());
        assertEquals(TestFrames.SRC_MAC, parser.srcMac());
        assertEquals(TestFrames.DST_MAC, parser.dstMac());
        assertEquals(-1, parser.vlanId());
        ip.wrap(buffer, IP);
        assertEquals(Ipv4Flyweight.FLAG_DF, ip.flagsAndFragmentOffset());
        assertEquals(64, ip.ttl());
    }

    @Test
    void shouldWriteUdpChecksumThatMatchesTheReference()
    {
        final int length = TestFrames.goodFrame(buffer, 33);
        udp.wrap(buffer, UDP);
        final int wire = udp.checksum();
        udp.checksum(0);
        final long pseudo = InternetChecksum.udpPseudoHeader(SRC_ADDRESS, DST_ADDRESS, 8 + 33);
        assertEquals(wire, TestFrames.referenceChecksum(buffer.byteArray(), UDP, length - UDP, pseudo));
    }

    @Test
    void shouldIncrementIpIdPerFrame()
    {
        final UdpFrameBuilder builder = TestFrames.builder();
        builder.write(buffer, 0, 0);
        final int first = ip.wrap(buffer, IP).id();
        builder.write(buffer, 0, 0);
        assertEquals((first + 1) & 0xFFFF, ip.id());
    }

    @Test
    void shouldAcceptVlanTaggedFrame()
    {
        final int length = TestFrames.builder().vlanId(42).write(buffer, 0, 10);
        assertEquals(46 + 10, length);
        assertEquals(DropReason.NONE, parser.parse(buffer, 0, length));
        assertEquals(42, parser.vlanId());
        assertEquals(46, parser.payloadOffset());
    }

    @Test
    void shouldSkipIpOptionsWhenIhlAboveFive()
    {
        // Rebuild a 10-byte datagram with 8 bytes of IPv4 options (two NOPs, then an end-of-list pad).
        final int length = TestFrames.goodFrame(buffer, 10);
        final byte[] copy = new byte[length];
        buffer.getBytes(0, copy);
        final UnsafeBuffer withOptions = new UnsafeBuffer(new byte[length + 8]);
        withOptions.putBytes(0, copy, 0, UDP);
        withOptions.putBytes(UDP + 8, copy, UDP, length - UDP);
        withOptions.putByte(UDP, (byte)1);
        withOptions.putByte(UDP + 1, (byte)1);
        ip.wrap(withOptions, IP).versionAndHeaderLength(28).totalLength(28 + 18).updateChecksum();
        assertEquals(DropReason.NONE, parser.parse(withOptions, 0, length + 8));
        assertEquals(UDP + 8 + 8, parser.payloadOffset());
        assertEquals(10, parser.payloadLength());
        assertEquals(DST_PORT, parser.dstPort());
    }

    @Test
    void shouldAcceptEthernetPaddingAfterTotalLength()
    {
        final int length = TestFrames.goodFrame(buffer, 0);
        assertEquals(DropReason.NONE, parser.parse(buffer, 0, 60));
        assertEquals(0, parser.payloadLength());
        assertTrue(length < 60);
    }

    @Test
    void shouldAcceptZeroUdpChecksumAsNone()
    {
        final int length = TestFrames.builder().udpChecksum(false).write(buffer, 0, 20);
        assertEquals(0, udp.wrap(buffer, UDP).checksum());
        assertEquals(DropReason.NONE, parser.parse(buffer, 0, length));
    }

    @Test
    void shouldClassifyEachBadInput()
    {
        final int length = TestFrames.goodFrame(buffer, 16);
        final byte[] good = new byte[length];
        buffer.getBytes(0, good);

        assertEquals(DropReason.RUNT, parser.parse(buffer, 0, 33));

        reset(good);
        buffer.putShort(12, (short)0x86DD, ByteOrder.BIG_ENDIAN);
        assertEquals(DropReason.NOT_IPV4, parser.parse(buffer, 0, length));

        reset(good);
        buffer.putByte(IP, (byte)0x65);
        assertEquals(DropReason.BAD_IP_VERSION, parser.parse(buffer, 0, length));

        reset(good);
        buffer.putByte(IP, (byte)0x44);
        assertEquals(DropReason.BAD_IHL, parser.parse(buffer, 0, length));

        reset(good);
        buffer.putByte(IP, (byte)0x4F);
        assertEquals(DropReason.BAD_IHL, parser.parse(buffer, 0, 14 + 40));

        reset(good);
        ip.wrap(buffer, IP).ttl(63);
        assertEquals(DropReason.BAD_IP_CHECKSUM, parser.parse(buffer, 0, length));

        reset(good);
        ip.wrap(buffer, IP).totalLength(19).updateChecksum();
        assertEquals(DropReason.TOTAL_LENGTH_MISMATCH, parser.parse(buffer, 0, length));

        reset(good);
        assertEquals(DropReason.TRUNCATED, parser.parse(buffer, 0, length - 1));

        reset(good);
        ip.wrap(buffer, IP).flagsAndFragmentOffset(Ipv4Flyweight.FLAG_MF).updateChecksum();
        assertEquals(DropReason.FRAGMENT, parser.parse(buffer, 0, length));

        reset(good);
        ip.wrap(buffer, IP).flagsAndFragmentOffset(185).updateChecksum();
        assertEquals(DropReason.FRAGMENT, parser.parse(buffer, 0, length));

        reset(good);
        ip.wrap(buffer, IP).protocol(6).updateChecksum();
        assertEquals(DropReason.NOT_UDP, parser.parse(buffer, 0, length));

        reset(good);
        ip.wrap(buffer, IP).totalLength(20 + 7).updateChecksum();
        assertEquals(DropReason.TRUNCATED, parser.parse(buffer, 0, length));

        reset(good);
        udp.wrap(buffer, UDP).length(7);
        assertEquals(DropReason.BAD_UDP_LENGTH, parser.parse(buffer, 0, length));

        reset(good);
        udp.wrap(buffer, UDP).length(8 + 17);
        assertEquals(DropReason.BAD_UDP_LENGTH, parser.parse(buffer, 0, length));

        reset(good);
        buffer.putByte(length - 1, (byte)(good[length - 1] ^ 0x10));
        assertEquals(DropReason.BAD_UDP_CHECKSUM, parser.parse(buffer, 0, length));

        reset(good);
        assertEquals(DropReason.NONE, parser.parse(buffer, 0, length));
    }

    @Test
    void shouldCountEachReasonOnce()
    {
        final UdpDropCounters counters = new UdpDropCounters();
        counters.onDrop(DropReason.BAD_UDP_CHECKSUM);
        counters.onDrop(DropReason.BAD_UDP_CHECKSUM);
        counters.onDrop(DropReason.FRAGMENT);
        counters.onDrop(DropReason.NONE);
        counters.onAccept(64);
        assertEquals(2, counters.drops(DropReason.BAD_UDP_CHECKSUM));
        assertEquals(1, counters.drops(DropReason.FRAGMENT));
        assertEquals(3, counters.totalDrops());
        assertEquals(1, counters.acceptedFrames());
        assertEquals(64, counters.acceptedBytes());
        assertEquals("accepted=1 fragment=1 bad-udp-checksum=2", counters.toString());
    }

    private void reset(final byte[] good)
    {
        buffer.putBytes(0, good);
    }
}
