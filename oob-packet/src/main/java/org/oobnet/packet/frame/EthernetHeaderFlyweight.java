package org.oobnet.packet.frame;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over an Ethernet II header with an optional 802.1Q/802.1ad tag written in the frame.
 * <pre>
 *  0           6           12      14      16      18
 * +-----------+-----------+-------+-------+-------+
 * |  dst MAC  |  src MAC  | type  |  TCI  | type  |   tagged (type = 0x8100 or 0x88a8)
 * +-----------+-----------+-------+-------+-------+
 * |  dst MAC  |  src MAC  | type  |  payload ...      untagged
 * </pre>
 * Reading needs only a {@link DirectBuffer} (an RX frame view); writing needs the frame wrapped as a
 * {@link MutableDirectBuffer} (a TX frame view).
 * <p>
 * <b>Note:</b> not thread safe; re-wrapped per frame, never allocated per frame.
 */
public final class EthernetHeaderFlyweight
{
    /** Bytes of an untagged header. */
    public static final int HEADER_LENGTH = 14;
    /** Bytes of a header with one VLAN tag. */
    public static final int TAGGED_HEADER_LENGTH = 18;
    /** {@code ETH_P_8021Q}. */
    public static final int ETH_P_8021Q = 0x8100;
    /** {@code ETH_P_8021AD}. */
    public static final int ETH_P_8021AD = 0x88a8;
    /** {@code ETH_P_IP}: IPv4. */
    public static final int ETH_P_IP = 0x0800;
    /** No VLAN tag: what {@link #vlanTci()} and {@link #vlanId()} return for an untagged frame. */
    public static final int NO_VLAN = -1;
    /** The broadcast MAC, {@code ff:ff:ff:ff:ff:ff}. */
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private static final int DESTINATION_OFFSET = 0;
    private static final int SOURCE_OFFSET = 6;
    private static final int TYPE_OFFSET = 12;
    private static final int TCI_OFFSET = 14;
    private static final int INNER_TYPE_OFFSET = 16;

    private DirectBuffer buffer;
    private int offset;

    /**
     * Point at the header at {@code offset}.
     *
     * @param buffer the frame.
     * @param offset where the header starts.
     * @return this.
     */
    public EthernetHeaderFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Destination MAC as the low 48 bits of a long, first byte most significant.
     *
     * @return the destination address.
     */
    public long destination()
    {
        return getMac(offset + DESTINATION_OFFSET);
    }

    /**
     * Source MAC as the low 48 bits of a long.
     *
     * @return the source address.
     */
    public long source()
    {
        return getMac(offset + SOURCE_OFFSET);
    }

    /**
     * The EtherType at offset 12: the tag's TPID for a tagged frame.
     *
     * @return the outer type.
     */
    public int outerType()
    {
        return buffer.getShort(offset + TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    /**
     * Whether a VLAN tag is written in the frame.
     *
     * @return true for 802.1Q or 802.1ad.
     */
    public boolean isTagged()
    {
        final int type = outerType();
        return type == ETH_P_8021Q || type == ETH_P_8021AD;
    }

    /**
     * The in-frame VLAN TCI.
     *
     * @return the TCI, or {@link #NO_VLAN}.
     */
    public int vlanTci()
    {
        return isTagged() ? buffer.getShort(offset + TCI_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff : NO_VLAN;
    }

    /**
     * The 12-bit VLAN id of the in-frame tag.
     *
     * @return the id, or {@link #NO_VLAN}.
     */
    public int vlanId()
    {
        return isTagged() ? buffer.getShort(offset + TCI_OFFSET, ByteOrder.BIG_ENDIAN) & 0x0fff : NO_VLAN;
    }

    /**
     * The payload's EtherType, behind any tag.
     *
     * @return the EtherType.
     */
    public int etherType()
    {
        return isTagged() ? buffer.getShort(offset + INNER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff : outerType();
    }

    /**
     * Length of the header, tag included.
     *
     * @return 14 or 18.
     */
    public int headerLength()
    {
        return isTagged() ? TAGGED_HEADER_LENGTH : HEADER_LENGTH;
    }

    /**
     * Write an untagged header.
     *
     * @param destination destination MAC.
     * @param source      source MAC.
     * @param etherType   payload type.
     * @return 14, the header length.
     */
    public int putHeader(final long destination, final long source, final int etherType)
    {
        final MutableDirectBuffer buffer = mutable();
        putMac(buffer, offset + DESTINATION_OFFSET, destination);
        putMac(buffer, offset + SOURCE_OFFSET, source);
        buffer.putShort(offset + TYPE_OFFSET, (short)etherType, ByteOrder.BIG_ENDIAN);
        return HEADER_LENGTH;
    }

    /**
     * Write an 802.1Q-tagged header.
     *
     * @param destination destination MAC.
     * @param source      source MAC.
     * @param vlanTci     the tag's TCI (priority, DEI, VLAN id).
     * @param etherType   payload type.
     * @return 18, the header length.
     */
    public int putTaggedHeader(final long destination, final long source, final int vlanTci, final int etherType)
    {
        final MutableDirectBuffer buffer = mutable();
        putMac(buffer, offset + DESTINATION_OFFSET, destination);
        putMac(buffer, offset + SOURCE_OFFSET, source);
        buffer.putShort(offset + TYPE_OFFSET, (short)ETH_P_8021Q, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + TCI_OFFSET, (short)vlanTci, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + INNER_TYPE_OFFSET, (short)etherType, ByteOrder.BIG_ENDIAN);
        return TAGGED_HEADER_LENGTH;
    }

    private MutableDirectBuffer mutable()
    {
        if (!(buffer instanceof MutableDirectBuffer mutable))
        {
            throw new IllegalStateException("wrapped buffer is read-only: " + buffer.getClass().getName());
        }
        return mutable;
    }

    private long getMac(final int index)
    {
        return ((long)(buffer.getShort(index, ByteOrder.BIG_ENDIAN) & 0xffff) << 32) |
            (buffer.getInt(index + 2, ByteOrder.BIG_ENDIAN) & 0xffff_ffffL);
    }

    private static void putMac(final MutableDirectBuffer buffer, final int index, final long mac)
    {
        buffer.putShort(index, (short)(mac >>> 32), ByteOrder.BIG_ENDIAN);
        buffer.putInt(index + 2, (int)mac, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Format a MAC as {@code 02:00:00:00:00:01} (allocates: in-band and diagnostics only).
     *
     * @param mac the low 48 bits.
     * @return the text form.
     */
    public static String macToString(final long mac)
    {
        final StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            final int octet = (int)(mac >>> shift) & 0xff;
            text.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xf, 16));
            if (shift > 0)
            {
                text.append(':');
            }
        }
        return text.toString();
    }

    /**
     * Parse {@code aa:bb:cc:dd:ee:ff}.
     *
     * @param text the MAC's text.
     * @return the MAC in the low 48 bits.
     * @throws IllegalArgumentException naming the text when it is not six hex octets.
     */
    public static long parseMac(final String text)
    {
        final String[] octets = text.split(":", -1);
        if (6 != octets.length)
        {
            throw new IllegalArgumentException("mac=" + text + " must be six hex octets separated by ':'");
        }
        long mac = 0;
        for (final String octet : octets)
        {
            if (octet.isEmpty() || octet.length() > 2)
            {
                throw new IllegalArgumentException("mac=" + text + " must be six hex octets separated by ':'");
            }
            try
            {
                mac = (mac << 8) | Integer.parseInt(octet, 16);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("mac=" + text + " must be six hex octets separated by ':'", ex);
            }
        }
        return mac;
    }
}
