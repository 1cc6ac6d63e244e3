package org.oobnet.udp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.SockaddrInDescriptor;

/**
 * The stage's in-band fallback send: a non-blocking {@code sendto} on a socket's kernel UDP socket, for a
 * datagram whose route or neighbour the front caches miss (the kernel then resolves them too). The native payload
 * and address buffers are allocated once per {@link UdpStack}, not per socket: an idle socket costs them nothing.
 * <p>
 * <b>Note:</b> stage only (one stage serves a stack's sockets), allocation-free.
 */
final class InbandSend
{
    private final MemorySegment payload;
    private final UnsafeBuffer payloadBuffer;
    private final MemorySegment address;
    private final UnsafeBuffer addressBuffer;

    InbandSend()
    {
        final Arena arena = Arena.ofAuto();
        this.payload = arena.allocate(UdpSocketState.MAX_UDP_PAYLOAD, 64);
        this.payloadBuffer = new UnsafeBuffer(payload.address(), UdpSocketState.MAX_UDP_PAYLOAD);
        this.address = arena.allocate(SockaddrInDescriptor.LENGTH, 8);
        this.addressBuffer = new UnsafeBuffer(address.address(), SockaddrInDescriptor.LENGTH);
    }

    /**
     * Stage: copies the payload and sends it with {@code sendto(MSG_DONTWAIT)}.
     *
     * @return the bytes sent, or a negative errno.
     */
    long send(
        final int fd,
        final DirectBuffer buffer,
        final int payloadOffset,
        final int payloadLength,
        final int dstAddress,
        final int dstPort)
    {
        payloadBuffer.putBytes(0, buffer, payloadOffset, payloadLength);
        addressBuffer.putShort(SockaddrInDescriptor.FAMILY_OFFSET, (short)SocketConstants.AF_INET);
        addressBuffer.putShort(SockaddrInDescriptor.PORT_OFFSET, (short)dstPort, ByteOrder.BIG_ENDIAN);
        addressBuffer.putInt(SockaddrInDescriptor.ADDR_OFFSET, dstAddress, ByteOrder.BIG_ENDIAN);
        // not capturing errno: this rare path runs interpreted, where a capturing downcall allocates (see LibC)
        return LibC.sendtoQuiet(fd, payload, payloadLength, SocketConstants.MSG_DONTWAIT, address,
            SockaddrInDescriptor.LENGTH);
    }
}
