package org.oobnet.packet.testing;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Hand-built Ethernet frames for tests: optional in-frame 802.1Q tag, IPv4 with options and fragments, UDP with
 * a correct IPv4 header checksum (the kernel's IP stack drops frames with a wrong one).
 */
public final class TestFrames
{
    public static final int ETH_P_IP = 0x0800;

    private TestFrames()
    {
    }

    /**
     * Write an Ethernet header; returns the offset after it (14, or 18 with a tag).
     */
    public static int ethernet(
        final MutableDirectBuffer buffer, final int offset, final long dstMac, final long srcMac,
        final int vlanId, final int etherType)
    {
        putMac(buffer, offset, dstMac);
        putMac(buffer, offset + 6, srcMac);
        int at = offset + 12;
        if (vlanId >= 0)
        {
            buffer.putShort(at, (short)0x8100, ByteOrder.BIG_ENDIAN);
            buffer.putShort(at + 2, (short)vlanId, ByteOrder.BIG_ENDIAN);
            at += 4;
        }
        buffer.putShort(at, (short)etherType, ByteOrder.BIG_ENDIAN);
        return at + 2 - offset;
    }

    /**
     * Write an IPv4 header with {@code optionWords} words of NOP options; returns its length.
     */
    public static int ipv4(
        final MutableDirectBuffer buffer, final int offset, final int protocol, final int src, final int dst,
        final int payloadLength, final int optionWords, final int fragmentField)
    {
        final int headerLength = 20 + 4 * optionWords;
        buffer.putByte(offset, (byte)(0x40 | (headerLength / 4)));
        buffer.putByte(offset + 1, (byte)0);
        buffer.putShort(offset + 2, (short)(headerLength + payloadLength), ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 4, (short)0x1234, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 6, (short)fragmentField, ByteOrder.BIG_ENDIAN);
        buffer.putByte(offset + 8, (byte)64);
        buffer.putByte(offset + 9, (byte)protocol);
        buffer.putShort(offset + 10, (short)0, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + 12, src, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + 16, dst, ByteOrder.BIG_ENDIAN);
        for (int i = 20; i < headerLength; i++)
        {
            buffer.putByte(offset + i, (byte)1);
        }
        int sum = 0;
        for (int i = 0; i < headerLength; i += 2)
        {
            sum += buffer.getShort(offset + i, ByteOrder.BIG_ENDIAN) & 0xffff;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        buffer.putShort(offset + 10, (short)~sum, ByteOrder.BIG_ENDIAN);
        return headerLength;
    }

    /**
     * Write a UDP header (checksum 0: none, allowed for IPv4); returns 8.
     */
    public static int udp(
        final MutableDirectBuffer buffer, final int offset, final int srcPort, final int dstPort,
        final int payloadLength)
    {
        buffer.putShort(offset, (short)srcPort, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 2, (short)dstPort, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 4, (short)(8 + payloadLength), ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 6, (short)0, ByteOrder.BIG_ENDIAN);
        return 8;
    }

    /**
     * A complete untagged Ethernet/IPv4/UDP frame carrying {@code payload}; returns the frame length.
     */
    public static int udpFrame(
        final MutableDirectBuffer buffer, final long dstMac, final long srcMac, final int srcIp, final int dstIp,
        final int srcPort, final int dstPort, final byte[] payload)
    {
        int at = ethernet(buffer, 0, dstMac, srcMac, -1, ETH_P_IP);
        at += ipv4(buffer, at, 17, srcIp, dstIp, 8 + payload.length, 0, 0);
        at += udp(buffer, at, srcPort, dstPort, payload.length);
        buffer.putBytes(at, payload);
        return at + payload.length;
    }

    public static void putMac(final MutableDirectBuffer buffer, final int offset, final long mac)
    {
        for (int i = 0; i < 6; i++)
        {
            buffer.putByte(offset + i, (byte)(mac >>> (40 - 8 * i)));
        }
    }

    public static int ipv4(final String dotted)
    {
        final String[] parts = dotted.split("\\.");
        return (Integer.parseInt(parts[0]) << 24) | (Integer.parseInt(parts[1]) << 16) |
            (Integer.parseInt(parts[2]) << 8) | Integer.parseInt(parts[3]);
    }
}
