package org.oobnet.udp.frame;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over a UDP header (RFC 768).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |          Source Port          |       Destination Port        |  0
 *  +-------------------------------+-------------------------------+
 *  |            Length             |           Checksum            |  4
 *  +-------------------------------+-------------------------------+
 * </pre>
 * A checksum of zero means "none" (IPv4 only); a computed checksum of zero is sent as 0xFFFF.
 * <p>
 * <b>Note:</b> not thread safe; one flyweight per thread, wrapped per frame, no allocation.
 */
public final class UdpFlyweight
{
    /** Offset of the source port. */
    public static final int SRC_PORT_OFFSET = 0;
    /** Offset of the destination port. */
    public static final int DST_PORT_OFFSET = 2;
    /** Offset of the length (header and payload). */
    public static final int LENGTH_OFFSET = 4;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 6;
    /** Length of the header. */
    public static final int HEADER_LENGTH = 8;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps a header.
     *
     * @param buffer holding the header.
     * @param offset where the header starts.
     * @return this.
     */
    public UdpFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return the source port.
     */
    public int srcPort()
    {
        return buffer.getShort(offset + SRC_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param port the source port.
     * @return this.
     */
    public UdpFlyweight srcPort(final int port)
    {
        buffer.putShort(offset + SRC_PORT_OFFSET, (short)port, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return the destination port.
     */
    public int dstPort()
    {
        return buffer.getShort(offset + DST_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param port the destination port.
     * @return this.
     */
    public UdpFlyweight dstPort(final int port)
    {
        buffer.putShort(offset + DST_PORT_OFFSET, (short)port, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return the UDP length (header and payload).
     */
    public int length()
    {
        return buffer.getShort(offset + LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param length the UDP length.
     * @return this.
     */
    public UdpFlyweight length(final int length)
    {
        buffer.putShort(offset + LENGTH_OFFSET, (short)length, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return the checksum as on the wire, 0 for none.
     */
    public int checksum()
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param checksum the checksum.
     * @return this.
     */
    public UdpFlyweight checksum(final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * Computes and writes the checksum over the pseudo-header, this header and {@link #length()} - 8 bytes of
     * payload that follow it.
     *
     * @param srcAddress the IPv4 source address.
     * @param dstAddress the IPv4 destination address.
     * @return this.
     */
    public UdpFlyweight updateChecksum(final int srcAddress, final int dstAddress)
    {
        final int length = length();
        checksum(0);
        final long sum = InternetChecksum.add(
            InternetChecksum.udpPseudoHeader(srcAddress, dstAddress, length), buffer, offset, length);
        final int checksum = InternetChecksum.finish(sum);
        // zero on the wire means "no checksum", so a computed zero goes out as its ones' complement twin
        checksum(0 == checksum ? 0xFFFF : checksum);
        return this;
    }

    /**
     * @param srcAddress the IPv4 source address.
     * @param dstAddress the IPv4 destination address.
     * @return true when there is no checksum (zero) or it verifies.
     */
    public boolean isChecksumValid(final int srcAddress, final int dstAddress)
    {
        if (0 == checksum())
        {
            return true;
        }
        final int length = length();
        final long sum = InternetChecksum.add(
            InternetChecksum.udpPseudoHeader(srcAddress, dstAddress, length), buffer, offset, length);
        return 0xFFFF == InternetChecksum.fold(sum);
    }
}
