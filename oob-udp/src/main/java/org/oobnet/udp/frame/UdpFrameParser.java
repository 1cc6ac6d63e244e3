package org.oobnet.udp.frame;

import org.agrona.MutableDirectBuffer;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;

/**
 * Validates a received Ethernet frame as one UDP/IPv4 datagram and exposes its fields, or says why it is not
 * one ({@link DropReason}). Every check reads only bytes the frame holds, so no input can make it throw.
 * <p>
 * IPv4 options are skipped (the UDP header starts at IHL × 4); Ethernet padding after the IPv4 total length is
 * ignored; a UDP length shorter than the IPv4 payload trims the datagram as Linux does; a fragment is
 * {@link DropReason#FRAGMENT} with its IPv4 fields readable, for reassembly ({@code org.oobnet.udp.frag}).
 * <p>
 * <b>Note:</b> not thread safe; one parser per stage, reused per frame, no allocation.
 */
public final class UdpFrameParser
{
    private final EthernetHeaderFlyweight ethernet = new EthernetHeaderFlyweight();
    private final Ipv4Flyweight ip = new Ipv4Flyweight();
    private final UdpFlyweight udp = new UdpFlyweight();
    private final boolean verifyUdpChecksum;

    private long dstMac;
    private long srcMac;
    private int vlanId;
    private int srcAddress;
    private int dstAddress;
    private int ttl;
    private int srcPort;
    private int dstPort;
    private int ipOffset;
    private int ipProtocol;
    private int ipPayloadOffset;
    private int ipPayloadLength;
    private int payloadOffset;
    private int payloadLength;
    private int fragmentId;
    private int flagsAndFragmentOffset;

    /**
     * A parser that verifies UDP checksums.
     */
    public UdpFrameParser()
    {
        this(true);
    }

    /**
     * @param verifyUdpChecksum false to trust the UDP checksum (e.g. when the NIC verified it).
     */
    public UdpFrameParser(final boolean verifyUdpChecksum)
    {
        this.verifyUdpChecksum = verifyUdpChecksum;
    }

    /**
     * Parses one frame.
     *
     * @param buffer holding the frame.
     * @param offset where the Ethernet header starts.
     * @param length the bytes of the frame that are present (the capture length).
     * @return {@link DropReason#NONE} when the frame is a valid UDP/IPv4 datagram, else why it is not.
     */
    public DropReason parse(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        return parse(buffer, offset, length, verifyUdpChecksum);
    }

    /**
     * Parses one frame, verifying the UDP checksum or not for this frame only: a frame the kernel marked
     * "checksum not ready" (a local peer's, e.g. over veth, whose checksum offload left the field partial) cannot
     * be verified.
     *
     * @param buffer         holding the frame.
     * @param offset         where the Ethernet header starts.
     * @param length         the bytes of the frame that are present.
     * @param verifyChecksum whether to verify the UDP checksum of this frame (and only when the parser does).
     * @return {@link DropReason#NONE} when the frame is a valid UDP/IPv4 datagram, else why it is not.
     */
    public DropReason parse(
        final MutableDirectBuffer buffer, final int offset, final int length, final boolean verifyChecksum)
    {
        if (length < EthernetHeaderFlyweight.HEADER_LENGTH + Ipv4Flyweight.MIN_HEADER_LENGTH)
        {
            return DropReason.RUNT;
        }
        ethernet.wrap(buffer, offset);
        int linkLength = EthernetHeaderFlyweight.HEADER_LENGTH;
        vlanId = -1;
        // 802.1Q only: an 802.1ad (QinQ) frame is not IPv4 to this stack, nor to the kernel without a VLAN device
        final boolean vlanTagged = EthernetHeaderFlyweight.ETH_P_8021Q == ethernet.outerType();
        if (vlanTagged)
        {
            linkLength = EthernetHeaderFlyweight.TAGGED_HEADER_LENGTH;
            if (length < linkLength + Ipv4Flyweight.MIN_HEADER_LENGTH)
            {
                return DropReason.RUNT;
            }
            vlanId = ethernet.vlanId();
        }
        if (EthernetHeaderFlyweight.ETH_P_IP != (vlanTagged ? ethernet.etherType() : ethernet.outerType()))
        {
            return DropReason.NOT_IPV4;
        }

        final int ipOffset = offset + linkLength;
        final int ipAvailable = length - linkLength;
        ip.wrap(buffer, ipOffset);
        if (4 != ip.version())
        {
            return DropReason.BAD_IP_VERSION;
        }
        final int ipHeaderLength = ip.headerLength();
        if (ipHeaderLength < Ipv4Flyweight.MIN_HEADER_LENGTH || ipHeaderLength > ipAvailable)
        {
            return DropReason.BAD_IHL;
        }
        if (!ip.isChecksumValid())
        {
            return DropReason.BAD_IP_CHECKSUM;
        }
        final int totalLength = ip.totalLength();
        if (totalLength < ipHeaderLength)
        {
            return DropReason.TOTAL_LENGTH_MISMATCH;
        }
        if (totalLength > ipAvailable)
        {
            return DropReason.TRUNCATED;
        }
        ipPayloadOffset = ipOffset + ipHeaderLength;
        ipPayloadLength = totalLength - ipHeaderLength;
        ipProtocol = ip.protocol();
        if (ip.isFragment())
        {
            // the IPv4 fields stay readable for reassembly (ipOffset, the ipPayload*, the fragment's)
            this.ipOffset = ipOffset;
            this.srcAddress = ip.srcAddress();
            this.dstAddress = ip.dstAddress();
            this.fragmentId = ip.id();
            this.flagsAndFragmentOffset = ip.flagsAndFragmentOffset();
            return DropReason.FRAGMENT;
        }
        if (Ipv4Flyweight.PROTOCOL_UDP != ipProtocol)
        {
            return DropReason.NOT_UDP;
        }
        final int ipPayloadLength = totalLength - ipHeaderLength;
        if (ipPayloadLength < UdpFlyweight.HEADER_LENGTH)
        {
            return DropReason.TRUNCATED;
        }

        final int udpOffset = ipOffset + ipHeaderLength;
        udp.wrap(buffer, udpOffset);
        final int udpLength = udp.length();
        if (udpLength < UdpFlyweight.HEADER_LENGTH || udpLength > ipPayloadLength)
        {
            return DropReason.BAD_UDP_LENGTH;
        }
        final int srcAddress = ip.srcAddress();
        final int dstAddress = ip.dstAddress();
        if (verifyChecksum && verifyUdpChecksum && !udp.isChecksumValid(srcAddress, dstAddress))
        {
            return DropReason.BAD_UDP_CHECKSUM;
        }

        this.dstMac = ethernet.destination();
        this.srcMac = ethernet.source();
        this.srcAddress = srcAddress;
        this.dstAddress = dstAddress;
        this.ttl = ip.ttl();
        this.srcPort = udp.srcPort();
        this.dstPort = udp.dstPort();
        this.ipOffset = ipOffset;
        this.payloadOffset = udpOffset + UdpFlyweight.HEADER_LENGTH;
        this.payloadLength = udpLength - UdpFlyweight.HEADER_LENGTH;
        return DropReason.NONE;
    }

    /**
     * @return the destination MAC of the last accepted frame.
     */
    public long dstMac()
    {
        return dstMac;
    }

    /**
     * @return the source MAC of the last accepted frame.
     */
    public long srcMac()
    {
        return srcMac;
    }

    /**
     * @return the VLAN id of the last accepted frame, -1 when untagged.
     */
    public int vlanId()
    {
        return vlanId;
    }

    /**
     * @return the IPv4 source address of the last accepted frame.
     */
    public int srcAddress()
    {
        return srcAddress;
    }

    /**
     * @return the IPv4 destination address of the last accepted frame.
     */
    public int dstAddress()
    {
        return dstAddress;
    }

    /**
     * @return the TTL of the last accepted frame.
     */
    public int ttl()
    {
        return ttl;
    }

    /**
     * @return the UDP source port of the last accepted frame.
     */
    public int srcPort()
    {
        return srcPort;
    }

    /**
     * @return the UDP destination port of the last accepted frame.
     */
    public int dstPort()
    {
        return dstPort;
    }

    /**
     * @return the IPv4 protocol, after a parse that returned {@link DropReason#NONE}, {@link DropReason#NOT_UDP}
     * (an ICMP error is read from there) or {@link DropReason#FRAGMENT}.
     */
    public int ipProtocol()
    {
        return ipProtocol;
    }

    /**
     * @return where the IPv4 payload starts (as {@link #ipProtocol()}).
     */
    public int ipPayloadOffset()
    {
        return ipPayloadOffset;
    }

    /**
     * @return the IPv4 payload's length (as {@link #ipProtocol()}).
     */
    public int ipPayloadLength()
    {
        return ipPayloadLength;
    }

    /**
     * @return the IPv4 identification, after a parse that returned {@link DropReason#FRAGMENT}.
     */
    public int fragmentId()
    {
        return fragmentId;
    }

    /**
     * @return the IPv4 flags and fragment offset (8-byte units), after a parse that returned
     * {@link DropReason#FRAGMENT}.
     */
    public int flagsAndFragmentOffset()
    {
        return flagsAndFragmentOffset;
    }

    /**
     * @return where the IPv4 header of the last accepted frame (or fragment) starts in the buffer.
     */
    public int ipOffset()
    {
        return ipOffset;
    }

    /**
     * @return where the UDP payload of the last accepted frame starts in the buffer.
     */
    public int payloadOffset()
    {
        return payloadOffset;
    }

    /**
     * @return the UDP payload length of the last accepted frame.
     */
    public int payloadLength()
    {
        return payloadLength;
    }
}
