package org.oobnet.udp.frag;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.udp.frame.Ipv4Flyweight;

/**
 * Cuts a whole IPv4 datagram frame (link header, IPv4 header without options, payload) into fragments of a path
 * MTU, as the kernel's {@code ip_do_fragment} does: every fragment but the last carries a multiple of 8 payload
 * bytes, all share the datagram's identification, none carries DF. The UDP header and checksum are the whole
 * datagram's, written once before cutting (in {@link #datagram()}), so the receiver verifies them after
 * reassembly.
 * <p>
 * IP identification: one counter per port, started at a random value and stepped once per datagram that may be
 * fragmented (non-DF), so that two sockets sending to one peer by the same interface never reuse an identification
 * within 65536 datagrams (RFC 6864: only non-atomic datagrams need unique ones).
 * <p>
 * <b>Note:</b> not thread safe; one per port, used by its stage only.
 */
public final class Ipv4Fragmenter
{
    /** Room for a VLAN-tagged Ethernet header and the largest IPv4 datagram. */
    public static final int DATAGRAM_ROOM = 18 + 65535;

    private final UnsafeBuffer datagram = new UnsafeBuffer(ByteBuffer.allocateDirect(DATAGRAM_ROOM));
    private final Ipv4Flyweight ip = new Ipv4Flyweight();
    private int nextId = ThreadLocalRandom.current().nextInt(0x10000);

    /**
     * @return the scratch the whole datagram frame is written into before it is cut.
     */
    public MutableDirectBuffer datagram()
    {
        return datagram;
    }

    /**
     * @return the next IP identification (16 bits).
     */
    public int nextId()
    {
        final int id = nextId;
        nextId = (id + 1) & 0xFFFF;
        return id;
    }

    /**
     * Gives the datagram frame in {@code buffer} the next IP identification (each fragment's header checksum is
     * made when it is cut).
     *
     * @param buffer     the datagram's frame.
     * @param linkLength its link header's length.
     */
    public void stampId(final MutableDirectBuffer buffer, final int linkLength)
    {
        ip.wrap(buffer, linkLength).id(nextId());
    }

    /**
     * @param mtu            the path MTU.
     * @param ipHeaderLength the IPv4 header's length.
     * @return payload bytes per fragment but the last: what fits the MTU, rounded down to 8.
     */
    public static int fragmentPayloadBytes(final int mtu, final int ipHeaderLength)
    {
        return (mtu - ipHeaderLength) & ~7;
    }

    /**
     * @param ipPayloadLength the datagram's IPv4 payload (UDP header included).
     * @param chunk           {@link #fragmentPayloadBytes}.
     * @return fragments needed.
     */
    public static int fragmentCount(final int ipPayloadLength, final int chunk)
    {
        return (ipPayloadLength + chunk - 1) / chunk;
    }

    /**
     * Writes fragment {@code index} of the datagram frame at {@code src} into {@code dst}: the same link and IPv4
     * header with the fragment's total length, MF flag and offset, and checksum; then its slice of the payload.
     *
     * @param src        the whole datagram's frame.
     * @param srcOffset  where its link header starts.
     * @param linkLength its link header's length (14, or 18 with a VLAN tag).
     * @param index      the fragment, from 0.
     * @param chunk      {@link #fragmentPayloadBytes} (a multiple of 8).
     * @param dst        where the fragment goes (a TX frame).
     * @param dstOffset  where its link header goes.
     * @return the fragment frame's length.
     */
    public int writeFragment(
        final DirectBuffer src,
        final int srcOffset,
        final int linkLength,
        final int index,
        final int chunk,
        final MutableDirectBuffer dst,
        final int dstOffset)
    {
        final int ipOffset = srcOffset + linkLength;
        final int ipHeaderLength = (src.getByte(ipOffset) & 0x0F) << 2;
        final int totalLength = src.getShort(ipOffset + Ipv4Flyweight.TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int payloadLength = totalLength - ipHeaderLength;
        final int start = index * chunk;
        final int length = Math.min(chunk, payloadLength - start);
        final boolean more = start + length < payloadLength;
        final int headers = linkLength + ipHeaderLength;
        dst.putBytes(dstOffset, src, srcOffset, headers);
        dst.putBytes(dstOffset + headers, src, ipOffset + ipHeaderLength + start, length);
        ip.wrap(dst, dstOffset + linkLength)
            .totalLength(ipHeaderLength + length)
            .flagsAndFragmentOffset((more ? Ipv4Flyweight.FLAG_MF : 0) | (start >> 3))
            .updateChecksum();
        return headers + length;
    }

}
