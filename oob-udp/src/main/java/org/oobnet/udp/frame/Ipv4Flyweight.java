package org.oobnet.udp.frame;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over an IPv4 header (RFC 791). Addresses are {@code int}s in host order of the dotted quad
 * ({@code 10.251.0.1} is {@code 0x0AFB0001}), written to the wire big-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------+-------+---------------+-------------------------------+
 *  |Version|  IHL  |      TOS      |         Total Length          |  0
 *  +-------+-------+---------------+-----+-------------------------+
 *  |        Identification         |Flags|    Fragment Offset      |  4
 *  +---------------+---------------+-----+-------------------------+
 *  |      TTL      |   Protocol    |        Header Checksum        |  8
 *  +---------------+---------------+-------------------------------+
 *  |                        Source Address                         |  12
 *  +---------------------------------------------------------------+
 *  |                     Destination Address                       |  16
 *  +---------------------------------------------------------------+
 *  |                 Options (IHL &gt; 5), skipped                    |  20
 *  +---------------------------------------------------------------+
 * </pre>
 * <b>Note:</b> not thread safe; one flyweight per thread, wrapped per frame, no allocation.
 */
public final class Ipv4Flyweight
{
    /** Offset of version and IHL. */
    public static final int VERSION_IHL_OFFSET = 0;
    /** Offset of the type of service. */
    public static final int TOS_OFFSET = 1;
    /** Offset of the total length. */
    public static final int TOTAL_LENGTH_OFFSET = 2;
    /** Offset of the identification. */
    public static final int ID_OFFSET = 4;
    /** Offset of flags and fragment offset. */
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    /** Offset of the time to live. */
    public static final int TTL_OFFSET = 8;
    /** Offset of the protocol. */
    public static final int PROTOCOL_OFFSET = 9;
    /** Offset of the header checksum. */
    public static final int CHECKSUM_OFFSET = 10;
    /** Offset of the source address. */
    public static final int SRC_ADDRESS_OFFSET = 12;
    /** Offset of the destination address. */
    public static final int DST_ADDRESS_OFFSET = 16;
    /** Length of a header without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** Length of a header with the most options. */
    public static final int MAX_HEADER_LENGTH = 60;
    /** The "don't fragment" flag in the flags/fragment-offset field. */
    public static final int FLAG_DF = 0x4000;
    /** The "more fragments" flag. */
    public static final int FLAG_MF = 0x2000;
    /** The fragment offset bits (in 8-byte units). */
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;
    /** Protocol number of UDP. */
    public static final int PROTOCOL_UDP = 17;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps a header.
     *
     * @param buffer holding the header.
     * @param offset where the header starts.
     * @return this.
     */
    public Ipv4Flyweight wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return the version field (4 for IPv4).
     */
    public int version()
    {
        return (buffer.getByte(offset + VERSION_IHL_OFFSET) >>> 4) & 0xF;
    }

    /**
     * @return the header length in bytes (IHL × 4), options included.
     */
    public int headerLength()
    {
        return (buffer.getByte(offset + VERSION_IHL_OFFSET) & 0xF) << 2;
    }

    /**
     * Sets version 4 and the header length.
     *
     * @param headerLength in bytes, a multiple of 4 from 20 to 60.
     * @return this.
     */
    public Ipv4Flyweight versionAndHeaderLength(final int headerLength)
    {
        buffer.putByte(offset + VERSION_IHL_OFFSET, (byte)(0x40 | (headerLength >>> 2)));
        return this;
    }

    /**
     * @return the type of service byte.
     */
    public int tos()
    {
        return buffer.getByte(offset + TOS_OFFSET) & 0xFF;
    }

    /**
     * @param tos the type of service byte.
     * @return this.
     */
    public Ipv4Flyweight tos(final int tos)
    {
        buffer.putByte(offset + TOS_OFFSET, (byte)tos);
        return this;
    }

    /**
     * @return the total length (header and payload).
     */
    public int totalLength()
    {
        return buffer.getShort(offset + TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param totalLength the total length.
     * @return this.
     */
    public Ipv4Flyweight totalLength(final int totalLength)
    {
        buffer.putShort(offset + TOTAL_LENGTH_OFFSET, (short)totalLength, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return the identification.
     */
    public int id()
    {
        return buffer.getShort(offset + ID_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param id the identification.
     * @return this.
     */
    public Ipv4Flyweight id(final int id)
    {
        buffer.putShort(offset + ID_OFFSET, (short)id, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return flags (top 3 bits) and fragment offset.
     */
    public int flagsAndFragmentOffset()
    {
        return buffer.getShort(offset + FLAGS_FRAGMENT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param value flags and fragment offset.
     * @return this.
     */
    public Ipv4Flyweight flagsAndFragmentOffset(final int value)
    {
        buffer.putShort(offset + FLAGS_FRAGMENT_OFFSET, (short)value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return true when this is a fragment: more fragments follow or the offset is not zero.
     */
    public boolean isFragment()
    {
        return 0 != (flagsAndFragmentOffset() & (FLAG_MF | FRAGMENT_OFFSET_MASK));
    }

    /**
     * @return the time to live.
     */
    public int ttl()
    {
        return buffer.getByte(offset + TTL_OFFSET) & 0xFF;
    }

    /**
     * @param ttl the time to live.
     * @return this.
     */
    public Ipv4Flyweight ttl(final int ttl)
    {
        buffer.putByte(offset + TTL_OFFSET, (byte)ttl);
        return this;
    }

    /**
     * @return the protocol number.
     */
    public int protocol()
    {
        return buffer.getByte(offset + PROTOCOL_OFFSET) & 0xFF;
    }

    /**
     * @param protocol the protocol number.
     * @return this.
     */
    public Ipv4Flyweight protocol(final int protocol)
    {
        buffer.putByte(offset + PROTOCOL_OFFSET, (byte)protocol);
        return this;
    }

    /**
     * @return the header checksum as on the wire.
     */
    public int checksum()
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param checksum the header checksum.
     * @return this.
     */
    public Ipv4Flyweight checksum(final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return the source address.
     */
    public int srcAddress()
    {
        return buffer.getInt(offset + SRC_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param address the source address.
     * @return this.
     */
    public Ipv4Flyweight srcAddress(final int address)
    {
        buffer.putInt(offset + SRC_ADDRESS_OFFSET, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return the destination address.
     */
    public int dstAddress()
    {
        return buffer.getInt(offset + DST_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param address the destination address.
     * @return this.
     */
    public Ipv4Flyweight dstAddress(final int address)
    {
        buffer.putInt(offset + DST_ADDRESS_OFFSET, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * Computes and writes the header checksum over {@link #headerLength()} bytes.
     *
     * @return this.
     */
    public Ipv4Flyweight updateChecksum()
    {
        checksum(0);
        checksum(InternetChecksum.finish(InternetChecksum.add(0, buffer, offset, headerLength())));
        return this;
    }

    /**
     * @return true when the header checksum verifies (the folded sum over the header is 0xFFFF).
     */
    public boolean isChecksumValid()
    {
        return 0xFFFF == InternetChecksum.fold(InternetChecksum.add(0, buffer, offset, headerLength()));
    }

    /**
     * The Ethernet MAC of an IPv4 group (RFC 1112): 01:00:5e and the group's low 23 bits.
     *
     * @param group the group address, host order.
     * @return the MAC, as a 48-bit long.
     */
    public static long groupMac(final int group)
    {
        return 0x01005E000000L | (group & 0x7FFFFF);
    }

    /**
     * @param address an IPv4 address, host order.
     * @return whether it is a multicast group (224.0.0.0/4).
     */
    public static boolean isMulticast(final int address)
    {
        return (address >>> 28) == 0xE;
    }

    /**
     * Formats an address as a dotted quad (allocates: in-band and diagnostics only).
     *
     * @param address the address.
     * @return e.g. {@code 10.251.0.1}.
     */
    public static String formatAddress(final int address)
    {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." +
            (address & 0xFF);
    }

    /**
     * Parses a dotted quad.
     *
     * @param text e.g. {@code 10.251.0.1}.
     * @return the address.
     * @throws IllegalArgumentException naming the text when it is not a dotted quad.
     */
    public static int parseAddress(final String text)
    {
        final String[] parts = text.split("\\.");
        if (4 != parts.length)
        {
            throw new IllegalArgumentException("address=" + text + " must be a dotted quad");
        }
        int address = 0;
        for (final String part : parts)
        {
            final int octet;
            try
            {
                octet = Integer.parseInt(part);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("address=" + text + " must be a dotted quad", ex);
            }
            if (octet < 0 || octet > 255)
            {
                throw new IllegalArgumentException("address=" + text + " octet=" + part + " must be 0..255");
            }
            address = (address << 8) | octet;
        }
        return address;
    }
}
