package org.oobnet.udp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.SockaddrInDescriptor;
import org.oobnet.udp.frame.UdpFrameBuilder;
import org.oobnet.udp.transport.DatagramHandler;
import org.oobnet.udp.transport.KernelBusyPollTransport;

/**
 * The OOB side of one UDP socket: its addresses and options as the in-band hooks learnt them (volatile fields
 * written in-band, read by the stage), its transport, and the stage's per-socket scratch (frame builder, the
 * native buffer of the in-band fallback send).
 * <p>
 * <b>Note:</b> in-band fields are written by the hooks; stage fields are touched by the stage only.
 */
public final class UdpSocketState implements DatagramHandler
{
    /** Largest UDP payload over IPv4. */
    public static final int MAX_UDP_PAYLOAD = 65507;
    /**
     * Largest payload of the kernel transport: its batch slots are sized for jumbo frames (9000 - 28), not for
     * 64 KiB, which would cost 4 MiB of native memory per socket; larger received datagrams are dropped and
     * counted ({@link KernelBusyPollTransport#truncatedCount()}).
     */
    public static final int KERNEL_MAX_PAYLOAD = 8972;

    final OobSocket socket;
    final UdpStack stack;
    final int fd;

    volatile UdpTransport transport;
    volatile KernelBusyPollTransport kernel;
    volatile int localAddress;
    volatile int localPort;
    volatile int peerAddress;
    volatile int peerPort;
    volatile boolean boundInDemux;
    volatile boolean broadcast;
    volatile int ttl = UdpFrameBuilder.DEFAULT_TTL;
    volatile int multicastTtl = 1;
    volatile int maxPayload;

    // stage only
    final UdpFrameBuilder builder = new UdpFrameBuilder();
    long fastSends;
    long inbandSends;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment fallbackPayload;
    private final UnsafeBuffer fallbackBuffer;
    private final MemorySegment fallbackAddress;
    private final UnsafeBuffer fallbackAddressBuffer;

    UdpSocketState(final OobSocket socket, final UdpStack stack, final UdpTransport transport)
    {
        this.socket = socket;
        this.stack = stack;
        this.fd = socket.ksocket().fd();
        this.transport = transport;
        this.maxPayload = MAX_UDP_PAYLOAD;
        this.fallbackPayload = arena.allocate(MAX_UDP_PAYLOAD, 64);
        this.fallbackBuffer = new UnsafeBuffer(fallbackPayload.address(), MAX_UDP_PAYLOAD);
        this.fallbackAddress = arena.allocate(SockaddrInDescriptor.LENGTH, 8);
        this.fallbackAddressBuffer = new UnsafeBuffer(fallbackAddress.address(), SockaddrInDescriptor.LENGTH);
    }

    /**
     * @return the socket's transport.
     */
    public UdpTransport transport()
    {
        return transport;
    }

    /**
     * @return datagrams sent on the stage's fast path.
     */
    public long fastSends()
    {
        return fastSends;
    }

    /**
     * @return the kernel transport's batches, or null on the packet transport (and before bind/connect).
     */
    public KernelBusyPollTransport kernelTransport()
    {
        return kernel;
    }

    /**
     * @return datagrams handed to the in-band kernel path (route or neighbour miss, unbound socket, local peer).
     */
    public long inbandSends()
    {
        return inbandSends;
    }

    /**
     * @return the local port learnt from the kernel (0 before bind or connect).
     */
    public int localPort()
    {
        return localPort;
    }

    @Override
    public void onDatagram(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        socket.deliver(buffer, offset, length);
    }

    /**
     * Stage: delivers a record (zero copy to a stage handler, or one copy into the receive ring).
     *
     * @param buffer the record's buffer.
     * @param offset where it starts.
     * @param length its length.
     * @return the length, or a negative errno when the socket cannot take it.
     */
    int deliverCopy(final DirectBuffer buffer, final int offset, final int length)
    {
        return socket.deliver(buffer, offset, length);
    }

    /**
     * Stage: sends a payload through the kernel socket with a non-blocking {@code sendto}: the in-band path, which
     * also makes the kernel resolve the route and the neighbour.
     *
     * @return the bytes sent, or a negative errno.
     */
    long sendInband(
        final DirectBuffer buffer, final int payloadOffset, final int payloadLength, final int address, final int port)
    {
        fallbackBuffer.putBytes(0, buffer, payloadOffset, payloadLength);
        fallbackAddressBuffer.putShort(SockaddrInDescriptor.FAMILY_OFFSET, (short)SocketConstants.AF_INET);
        fallbackAddressBuffer.putShort(SockaddrInDescriptor.PORT_OFFSET, (short)port, ByteOrder.BIG_ENDIAN);
        fallbackAddressBuffer.putInt(SockaddrInDescriptor.ADDR_OFFSET, address, ByteOrder.BIG_ENDIAN);
        inbandSends++;
        return LibC.sendtoCritical(stack.stageErrno(), fd, fallbackPayload, payloadLength,
            SocketConstants.MSG_DONTWAIT, fallbackAddress, SockaddrInDescriptor.LENGTH);
    }

    /**
     * In-band, after the stage let go: frees native memory.
     */
    void free()
    {
        final KernelBusyPollTransport kernel = this.kernel;
        if (null != kernel)
        {
            kernel.close();
        }
        arena.close();
    }
}
