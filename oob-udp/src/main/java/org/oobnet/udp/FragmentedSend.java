package org.oobnet.udp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.oobnet.udp.frag.Ipv4Fragmenter;
import org.oobnet.udp.frame.Ipv4Flyweight;
import org.oobnet.udp.frame.UdpFlyweight;
import org.oobnet.udp.frame.UdpFrameBuilder;

/**
 * Stage: a UDP datagram larger than the path MTU sent as IPv4 fragments on a port's TX ring ({@code IP_MTU_DISCOVER}
 * allowing it, see {@link org.oobnet.udp.frag.MtuDiscovery}): the whole datagram is built once in the port's
 * scratch (UDP checksum over all of it), stamped with the port's next IP identification, then cut into one TX frame
 * per fragment.
 * <p>
 * FIXME: the TX ring cannot say ahead whether it has a free frame for every fragment; when it fills part way, the
 * fragments already committed leave (the receiver times that datagram out) and the send returns
 * {@code -EWOULDBLOCK}, so the core retries the whole datagram with a new identification.
 * <p>
 * <b>Note:</b> stage only, allocation-free.
 */
final class FragmentedSend
{
    private FragmentedSend()
    {
    }

    /**
     * @param port          the port of the route's interface.
     * @param builder       the socket's builder, addressed for this datagram (DF off).
     * @param payload       the payload's buffer.
     * @param payloadOffset where it starts.
     * @param payloadLength its length.
     * @param mtu           the path MTU.
     * @return fragments sent, or a negative errno of the TX ring's claim.
     */
    static int send(
        final PacketPort port,
        final UdpFrameBuilder builder,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength,
        final int mtu)
    {
        final Ipv4Fragmenter fragmenter = port.fragmenter();
        final MutableDirectBuffer datagram = fragmenter.datagram();
        builder.write(datagram, 0, payload, payloadOffset, payloadLength);
        final int linkLength = builder.headerLength() - UdpFrameBuilder.IP_UDP_HEADERS_LENGTH;
        fragmenter.stampId(datagram, linkLength);
        final int ipPayloadLength = UdpFlyweight.HEADER_LENGTH + payloadLength;
        final int chunk = Ipv4Fragmenter.fragmentPayloadBytes(mtu, Ipv4Flyweight.MIN_HEADER_LENGTH);
        final int count = Ipv4Fragmenter.fragmentCount(ipPayloadLength, chunk);
        for (int i = 0; i < count; i++)
        {
            final int length = linkLength + Ipv4Flyweight.MIN_HEADER_LENGTH + Math.min(chunk, ipPayloadLength - i * chunk);
            final int claimed = port.claimFrame(length);
            if (claimed < 0)
            {
                return claimed;
            }
            fragmenter.writeFragment(datagram, 0, linkLength, i, chunk, port.frameBuffer(), 0);
            port.commitFrame(length);
        }
        return count;
    }
}
