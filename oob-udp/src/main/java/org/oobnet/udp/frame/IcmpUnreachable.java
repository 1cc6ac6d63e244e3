package org.oobnet.udp.frame;

import org.agrona.MutableDirectBuffer;
import org.oobnet.inband.Errno;

/**
 * Reads an ICMP destination-unreachable message (RFC 792, type 3) about a UDP datagram this host sent: the errno it
 * means for the sender's socket and the quoted datagram's addresses and ports, which name that socket. The codes
 * the kernel reports to a connected UDP socket without {@code IP_RECVERR} and the host/net ones issue 15 asks for:
 * net → {@code ENETUNREACH}, host → {@code EHOSTUNREACH}, protocol → {@code ENOPROTOOPT}, port →
 * {@code ECONNREFUSED}; others (fragmentation needed, source route failed, administratively prohibited...) are
 * not reported.
 * <p>
 * <b>Note:</b> stage, allocation-free; not thread safe (one per port).
 */
public final class IcmpUnreachable
{
    /** IPv4 protocol number of ICMP. */
    public static final int PROTOCOL_ICMP = 1;
    private static final int TYPE_UNREACHABLE = 3;
    private static final int ICMP_HEADER_LENGTH = 8;

    private final Ipv4Flyweight quoted = new Ipv4Flyweight();
    private final UdpFlyweight quotedUdp = new UdpFlyweight();
    private int srcAddress;
    private int srcPort;
    private int dstAddress;
    private int dstPort;

    /**
     * @param buffer the frame.
     * @param offset where the ICMP message starts (after the outer IPv4 header).
     * @param length the ICMP message's length.
     * @return the errno (positive) the message reports, 0 when it is not an unreachable about UDP worth reporting
     * or is too short.
     */
    public int read(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (length < ICMP_HEADER_LENGTH + Ipv4Flyweight.MIN_HEADER_LENGTH + UdpFlyweight.HEADER_LENGTH ||
            TYPE_UNREACHABLE != (buffer.getByte(offset) & 0xFF))
        {
            return 0;
        }
        final int errno = errnoOf(TYPE_UNREACHABLE, buffer.getByte(offset + 1) & 0xFF);
        if (0 == errno)
        {
            return 0;
        }
        quoted.wrap(buffer, offset + ICMP_HEADER_LENGTH);
        final int quotedHeaderLength = quoted.headerLength();
        if (4 != quoted.version() || Ipv4Flyweight.PROTOCOL_UDP != quoted.protocol() ||
            quotedHeaderLength < Ipv4Flyweight.MIN_HEADER_LENGTH ||
            ICMP_HEADER_LENGTH + quotedHeaderLength + UdpFlyweight.HEADER_LENGTH > length)
        {
            return 0;
        }
        quotedUdp.wrap(buffer, offset + ICMP_HEADER_LENGTH + quotedHeaderLength);
        srcAddress = quoted.srcAddress();
        dstAddress = quoted.dstAddress();
        srcPort = quotedUdp.srcPort();
        dstPort = quotedUdp.dstPort();
        return errno;
    }

    /**
     * The errno an ICMP message reports to a connected UDP socket: the one rule of both transports (the packet
     * transport reads the message off its ring, the kernel transport gets its type and code from the socket's
     * error queue).
     *
     * @param type the ICMP type.
     * @param code the ICMP code.
     * @return the errno (positive), 0 when the message is not one worth reporting.
     */
    public static int errnoOf(final int type, final int code)
    {
        if (TYPE_UNREACHABLE != type)
        {
            return 0;
        }
        return switch (code)
        {
            case 0 -> Errno.ENETUNREACH;
            case 1 -> Errno.EHOSTUNREACH;
            case 2 -> Errno.ENOPROTOOPT;
            case 3 -> Errno.ECONNREFUSED;
            default -> 0;
        };
    }

    /** @return the quoted datagram's source address: this host's socket. */
    public int srcAddress()
    {
        return srcAddress;
    }

    /** @return the quoted datagram's source port: this host's socket. */
    public int srcPort()
    {
        return srcPort;
    }

    /** @return the quoted datagram's destination address: the peer. */
    public int dstAddress()
    {
        return dstAddress;
    }

    /** @return the quoted datagram's destination port: the peer's. */
    public int dstPort()
    {
        return dstPort;
    }
}
