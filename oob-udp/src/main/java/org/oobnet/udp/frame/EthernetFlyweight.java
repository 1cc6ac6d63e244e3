package org.oobnet.udp.frame;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over an Ethernet II header, with or without one 802.1Q VLAN tag.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 destination MAC (6 bytes)                     |  0
 *  +                               +-------------------------------+
 *  |                               |                               |  4
 *  +-------------------------------+                               +
 *  |                 source MAC (6 bytes)                          |  8
 *  +-------------------------------+-------------------------------+
 *  |  EtherType or TPID 0x8100     |  [TCI: PCP, DEI, VLAN id]     |  12
 *  +-------------------------------+-------------------------------+
 *  |  [inner EtherType]            |                                  16
 *  +-------------------------------+
 * </pre>
 * MAC addresses are handled as the low 48 bits of a {@code long}, most significant byte first on the wire.
 * <p>
 * <b>Note:</b> not thread safe; one flyweight per thread, wrapped per frame, no allocation.
 */
public final class EthernetFlyweight
{
    /** Offset of the destination MAC. */
    public static final int DST_MAC_OFFSET = 0;
    /** Offset of the source MAC. */
    public static final int SRC_MAC_OFFSET = 6;
    /** Offset of the EtherType (or the VLAN TPID). */
    public static final int ETHER_TYPE_OFFSET = 12;
    /** Offset of the VLAN tag control information when tagged. */
    public static final int VLAN_TCI_OFFSET = 14;
    /** Offset of the inner EtherType when tagged. */
    public static final int INNER_ETHER_TYPE_OFFSET = 16;
    /** Length of an untagged header. */
    public static final int HEADER_LENGTH = 14;
    /** Length of a header with one 802.1Q tag. */
    public static final int VLAN_HEADER_LENGTH = 18;
    /** EtherType of IPv4. */
    public static final int ETHER_TYPE_IPV4 = 0x0800;
    /** TPID of an 802.1Q tag. */
    public static final int ETHER_TYPE_VLAN = 0x8100;
    /** The broadcast MAC. */
    public static final long BROADCAST_MAC = 0xFFFF_FFFF_FFFFL;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wraps a frame.
     *
     * @param buffer holding the frame.
     * @param offset where the frame starts.
     * @return this.
     */
    public EthernetFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return the destination MAC.
     */
    public long dstMac()
    {
        return readMac(buffer, offset + DST_MAC_OFFSET);
    }

    /**
     * @param mac the destination MAC.
     * @return this.
     */
    public EthernetFlyweight dstMac(final long mac)
    {
        writeMac(buffer, offset + DST_MAC_OFFSET, mac);
        return this;
    }

    /**
     * @return the source MAC.
     */
    public long srcMac()
    {
        return readMac(buffer, offset + SRC_MAC_OFFSET);
    }

    /**
     * @param mac the source MAC.
     * @return this.
     */
    public EthernetFlyweight srcMac(final long mac)
    {
        writeMac(buffer, offset + SRC_MAC_OFFSET, mac);
        return this;
    }

    /**
     * @return the outer EtherType (0x8100 when tagged).
     */
    public int etherType()
    {
        return buffer.getShort(offset + ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param etherType the outer EtherType.
     * @return this.
     */
    public EthernetFlyweight etherType(final int etherType)
    {
        buffer.putShort(offset + ETHER_TYPE_OFFSET, (short)etherType, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return true when the frame carries an 802.1Q tag.
     */
    public boolean isVlanTagged()
    {
        return ETHER_TYPE_VLAN == etherType();
    }

    /**
     * Tagged frames only.
     *
     * @return the 12-bit VLAN id.
     */
    public int vlanId()
    {
        return buffer.getShort(offset + VLAN_TCI_OFFSET, ByteOrder.BIG_ENDIAN) & 0x0FFF;
    }

    /**
     * Tags the frame: TPID, TCI with priority 0, and the inner EtherType.
     *
     * @param vlanId         the 12-bit VLAN id.
     * @param innerEtherType the payload's EtherType.
     * @return this.
     */
    public EthernetFlyweight vlan(final int vlanId, final int innerEtherType)
    {
        etherType(ETHER_TYPE_VLAN);
        buffer.putShort(offset + VLAN_TCI_OFFSET, (short)(vlanId & 0x0FFF), ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + INNER_ETHER_TYPE_OFFSET, (short)innerEtherType, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return the payload's EtherType, past the VLAN tag if there is one.
     */
    public int payloadEtherType()
    {
        return isVlanTagged() ?
            buffer.getShort(offset + INNER_ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF : etherType();
    }

    /**
     * @return the header length, 14 or 18 with a VLAN tag.
     */
    public int headerLength()
    {
        return isVlanTagged() ? VLAN_HEADER_LENGTH : HEADER_LENGTH;
    }

    /**
     * Reads a MAC (6 bytes, network order) into the low 48 bits of a long.
     *
     * @param buffer the buffer.
     * @param index  where the MAC starts.
     * @return the MAC.
     */
    public static long readMac(final MutableDirectBuffer buffer, final int index)
    {
        final long high = buffer.getShort(index, ByteOrder.BIG_ENDIAN) & 0xFFFFL;
        final long low = buffer.getInt(index + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        return (high << 32) | low;
    }

    /**
     * Writes a MAC held in the low 48 bits of a long as 6 bytes, network order.
     *
     * @param buffer the buffer.
     * @param index  where the MAC goes.
     * @param mac    the MAC.
     */
    public static void writeMac(final MutableDirectBuffer buffer, final int index, final long mac)
    {
        buffer.putShort(index, (short)(mac >>> 32), ByteOrder.BIG_ENDIAN);
        buffer.putInt(index + 2, (int)mac, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Formats a MAC as {@code aa:bb:cc:dd:ee:ff} (allocates: in-band and diagnostics only).
     *
     * @param mac the MAC.
     * @return the text.
     */
    public static String formatMac(final long mac)
    {
        final StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            final int octet = (int)(mac >>> shift) & 0xFF;
            text.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
            if (shift > 0)
            {
                text.append(':');
            }
        }
        return text.toString();
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff}.
     *
     * @param text the MAC text.
     * @return the MAC.
     * @throws IllegalArgumentException naming the text when it is not a MAC.
     */
    public static long parseMac(final String text)
    {
        final String[] octets = text.split(":");
        if (6 != octets.length)
        {
            throw new IllegalArgumentException("mac=" + text + " must be six hex octets separated by ':'");
        }
        long mac = 0;
        for (final String octet : octets)
        {
            mac = (mac << 8) | Integer.parseInt(octet, 16);
        }
        return mac;
    }
}
