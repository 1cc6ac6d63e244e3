package org.oobnet.udp.frame;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;

/**
 * Writes Ethernet + IPv4 + UDP headers in place in front of a payload (a TX-ring frame, typically), with the IP
 * identification, TTL, DF and both checksums. The addressing fields are set once per destination, in-band or from
 * the front caches; {@link #write} then only fills in lengths, the IP ID and the checksums.
 * <p>
 * <b>Note:</b> not thread safe; one builder per sending thread (the stage), no allocation.
 */
public final class UdpFrameBuilder
{
    /** Default TTL, as Linux's {@code net.ipv4.ip_default_ttl}. */
    public static final int DEFAULT_TTL = 64;
    /** Headers of an untagged frame: Ethernet, IPv4 without options, UDP. */
    public static final int HEADERS_LENGTH =
        EthernetHeaderFlyweight.HEADER_LENGTH + Ipv4Flyweight.MIN_HEADER_LENGTH + UdpFlyweight.HEADER_LENGTH;
    /** IPv4 + UDP header bytes counted against the MTU. */
    public static final int IP_UDP_HEADERS_LENGTH = Ipv4Flyweight.MIN_HEADER_LENGTH + UdpFlyweight.HEADER_LENGTH;

    private final EthernetHeaderFlyweight ethernet = new EthernetHeaderFlyweight();
    private final Ipv4Flyweight ip = new Ipv4Flyweight();
    private final UdpFlyweight udp = new UdpFlyweight();

    private long srcMac;
    private long dstMac;
    private int vlanId = -1;
    private int srcAddress;
    private int dstAddress;
    private int srcPort;
    private int dstPort;
    private int ttl = DEFAULT_TTL;
    private int tos;
    private boolean dontFragment = true;
    private boolean udpChecksum = true;
    private int nextId;

    /**
     * @param srcMac the source MAC (the output interface's).
     * @param dstMac the next hop's MAC.
     * @return this.
     */
    public UdpFrameBuilder macs(final long srcMac, final long dstMac)
    {
        this.srcMac = srcMac;
        this.dstMac = dstMac;
        return this;
    }

    /**
     * @param vlanId a 12-bit VLAN id to tag frames with, or -1 for untagged.
     * @return this.
     */
    public UdpFrameBuilder vlanId(final int vlanId)
    {
        this.vlanId = vlanId;
        return this;
    }

    /**
     * @param srcAddress the IPv4 source address.
     * @param srcPort    the UDP source port.
     * @return this.
     */
    public UdpFrameBuilder source(final int srcAddress, final int srcPort)
    {
        this.srcAddress = srcAddress;
        this.srcPort = srcPort;
        return this;
    }

    /**
     * @param dstAddress the IPv4 destination address.
     * @param dstPort    the UDP destination port.
     * @return this.
     */
    public UdpFrameBuilder destination(final int dstAddress, final int dstPort)
    {
        this.dstAddress = dstAddress;
        this.dstPort = dstPort;
        return this;
    }

    /**
     * @param ttl the time to live, 1..255.
     * @return this.
     */
    public UdpFrameBuilder ttl(final int ttl)
    {
        this.ttl = ttl;
        return this;
    }

    /**
     * @param tos the type of service byte.
     * @return this.
     */
    public UdpFrameBuilder tos(final int tos)
    {
        this.tos = tos;
        return this;
    }

    /**
     * @param dontFragment whether to set DF (the default: the OOB path never fragments).
     * @return this.
     */
    public UdpFrameBuilder dontFragment(final boolean dontFragment)
    {
        this.dontFragment = dontFragment;
        return this;
    }

    /**
     * @param udpChecksum false to send a zero UDP checksum ("none"), which IPv4 allows.
     * @return this.
     */
    public UdpFrameBuilder udpChecksum(final boolean udpChecksum)
    {
        this.udpChecksum = udpChecksum;
        return this;
    }

    /**
     * @return the destination address.
     */
    public int dstAddress()
    {
        return dstAddress;
    }

    /**
     * @return the destination port.
     */
    public int dstPort()
    {
        return dstPort;
    }

    /**
     * @return the bytes of headers {@link #write} puts before the payload (42, or 46 with a VLAN tag).
     */
    public int headerLength()
    {
        return HEADERS_LENGTH + (vlanId >= 0 ? 4 : 0);
    }

    /**
     * Writes the headers at {@code offset}; the payload must already be at {@code offset + headerLength()}.
     *
     * @param buffer        the frame's buffer.
     * @param offset        where the frame starts.
     * @param payloadLength the payload's length.
     * @return the frame's length.
     */
    public int write(final MutableDirectBuffer buffer, final int offset, final int payloadLength)
    {
        ethernet.wrap(buffer, offset);
        final int linkLength = vlanId >= 0 ?
            ethernet.putTaggedHeader(dstMac, srcMac, vlanId & 0x0FFF, EthernetHeaderFlyweight.ETH_P_IP) :
            ethernet.putHeader(dstMac, srcMac, EthernetHeaderFlyweight.ETH_P_IP);

        final int udpLength = UdpFlyweight.HEADER_LENGTH + payloadLength;
        final int ipOffset = offset + linkLength;
        ip.wrap(buffer, ipOffset)
            .versionAndHeaderLength(Ipv4Flyweight.MIN_HEADER_LENGTH)
            .tos(tos)
            .totalLength(Ipv4Flyweight.MIN_HEADER_LENGTH + udpLength)
            .id(nextId)
            .flagsAndFragmentOffset(dontFragment ? Ipv4Flyweight.FLAG_DF : 0)
            .ttl(ttl)
            .protocol(Ipv4Flyweight.PROTOCOL_UDP)
            .srcAddress(srcAddress)
            .dstAddress(dstAddress)
            .updateChecksum();
        nextId = (nextId + 1) & 0xFFFF;

        udp.wrap(buffer, ipOffset + Ipv4Flyweight.MIN_HEADER_LENGTH)
            .srcPort(srcPort)
            .dstPort(dstPort)
            .length(udpLength);
        if (udpChecksum)
        {
            udp.updateChecksum(srcAddress, dstAddress);
        }
        else
        {
            udp.checksum(0);
        }
        return linkLength + Ipv4Flyweight.MIN_HEADER_LENGTH + udpLength;
    }

    /**
     * Copies the payload after the headers' place, then writes the headers.
     *
     * @param buffer        the frame's buffer.
     * @param offset        where the frame starts.
     * @param payload       the payload.
     * @param payloadOffset where it starts.
     * @param payloadLength its length.
     * @return the frame's length.
     */
    public int write(
        final MutableDirectBuffer buffer,
        final int offset,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        buffer.putBytes(offset + headerLength(), payload, payloadOffset, payloadLength);
        return write(buffer, offset, payloadLength);
    }
}
