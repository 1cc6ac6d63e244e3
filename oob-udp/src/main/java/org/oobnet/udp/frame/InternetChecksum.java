package org.oobnet.udp.frame;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words, as IPv4
 * and UDP use it. Sums are kept in a {@code long} and folded at the end, so partial sums (pseudo-header, header,
 * payload) add up with {@code +}.
 * <p>
 * <b>Note:</b> stateless, thread safe, allocation-free.
 */
public final class InternetChecksum
{
    private InternetChecksum()
    {
    }

    /**
     * Adds bytes to a running sum. The range is treated as starting on an even byte of the checksummed data; an
     * odd trailing byte is padded with zero, so only the last range of a checksum may have an odd length.
     *
     * @param sum    the running sum.
     * @param buffer the bytes.
     * @param offset where they start.
     * @param length how many.
     * @return the new running sum (unfolded).
     */
    public static long add(final long sum, final DirectBuffer buffer, final int offset, final int length)
    {
        long acc = sum;
        int i = offset;
        final int end = offset + length;
        // Big-endian 32-bit words: summing wider words then folding equals summing 16-bit words (RFC 1071 2.B).
        for (final int limit = end - 3; i < limit; i += 4)
        {
            acc += buffer.getInt(i, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        }
        if (i < end - 1)
        {
            acc += buffer.getShort(i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            i += 2;
        }
        if (i < end)
        {
            acc += (buffer.getByte(i) & 0xFF) << 8;
        }
        return acc;
    }

    /**
     * Folds a running sum to 16 bits (end-around carries added back).
     *
     * @param sum the running sum.
     * @return the 16-bit ones' complement sum.
     */
    public static int fold(final long sum)
    {
        long s = sum;
        while (0 != (s >>> 16))
        {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int)s;
    }

    /**
     * The checksum to write: the complement of the folded sum.
     *
     * @param sum the running sum over the data with the checksum field zeroed.
     * @return the 16-bit checksum.
     */
    public static int finish(final long sum)
    {
        return ~fold(sum) & 0xFFFF;
    }

    /**
     * The sum of the UDP/IPv4 pseudo-header (source, destination, protocol 17, UDP length).
     *
     * @param srcAddress the source IPv4 address.
     * @param dstAddress the destination IPv4 address.
     * @param udpLength  the UDP length (header and payload).
     * @return the running sum.
     */
    public static long udpPseudoHeader(final int srcAddress, final int dstAddress, final int udpLength)
    {
        return (srcAddress >>> 16) + (srcAddress & 0xFFFF) + (dstAddress >>> 16) + (dstAddress & 0xFFFF) +
            Ipv4Flyweight.PROTOCOL_UDP + udpLength;
    }
}
