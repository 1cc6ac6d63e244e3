package org.oobnet.udp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.udp.frag.MtuDiscovery;
import org.oobnet.udp.frame.UdpFrameBuilder;
import org.oobnet.udp.transport.DatagramHandler;
import org.oobnet.udp.transport.KernelBusyPollTransport;

/**
 * The OOB side of one UDP socket: its addresses and options as the in-band hooks learnt them (volatile fields
 * written in-band, read by the stage), its transport, and the stage's per-socket scratch (the frame builder). A
 * packet-transport socket is a thin endpoint of its stack's ports: it owns no rings and no native memory.
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
    volatile KernelSocketDevice kernelDevice;
    volatile int localAddress;
    volatile int localPort;
    volatile int peerAddress;
    volatile int peerPort;
    volatile boolean boundInDemux;
    // SO_BINDTODEVICE set: the device's stage serves the socket (StagePlacement)
    volatile boolean boundToDevice;
    // its name, while boundToDevice: a stage named later opens its port there (StagePlacement.beforeMove)
    volatile String boundDevice;
    // the interface holding localAddress, found at bind in the binding thread's namespace (null: none or wildcard):
    // a stage named later opens its port there (StagePlacement.beforeMove)
    volatile String boundInterface;
    volatile boolean broadcast;
    volatile int ttl = UdpFrameBuilder.DEFAULT_TTL;
    volatile int multicastTtl = 1;
    // the largest payload whatever the path: the transport's limit (a path MTU check depends on mtuDiscover)
    volatile int maxPayload;
    // IP_MTU_DISCOVER: DF, and whether a datagram past the path MTU is fragmented or refused (MtuDiscovery)
    volatile int mtuDiscover = MtuDiscovery.IP_PMTUDISC_WANT;
    // multicast: the memberships the stage filters group datagrams by, whether OOB group sends loop back to local
    // members, the IP_MULTICAST_IF interface (null: the route decides)
    volatile GroupFilter groups = GroupFilter.EMPTY;
    volatile boolean multicastLoop = true;
    volatile org.oobnet.udp.route.NextHop multicastHop;
    // UDP_OOB_TX_TIMESTAMPS: on (switched by the stage, UdpOobProtocol.SwitchTxTimestamps), who takes the reports
    // (null: only the accessors)
    volatile boolean txTimestampsOn;
    volatile TxTimestampHandler txTimestampHandler;

    // stage only
    final UdpFrameBuilder builder = new UdpFrameBuilder();
    long fastSends;
    long inbandSends;
    // the port of the open zero-copy claim, and the port of the last fast send (where the next claim goes)
    PacketPort claimPort;
    PacketPort lastPort;
    // an ICMP error on the connected peer not yet reported by a send (0: none)
    int pendingErrno;
    // the kernel receive time of the datagram being delivered (UdpSockets.rxTimestampNs)
    long rxTimestampNs;
    RxTimestampSource rxTimestampSource = RxTimestampSource.NONE;
    // TX timestamps: the packet transport's next send id; the last report and the count of reports
    long txNextSendId;
    long txSendId = -1;
    long txTimestampNs;
    TxTimestampSource txTimestampSource = TxTimestampSource.NONE;
    long txTimestamps;

    UdpSocketState(final OobSocket socket, final UdpStack stack, final UdpTransport transport)
    {
        this.socket = socket;
        this.stack = stack;
        this.fd = socket.ksocket().fd();
        this.transport = transport;
        this.maxPayload = MAX_UDP_PAYLOAD;
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

    /**
     * Stage: the kernel's receive time of the datagram being delivered, ns since the epoch.
     *
     * @return the time, 0 when none ({@link #rxTimestampSource()} {@code NONE}).
     */
    public long rxTimestampNs()
    {
        return rxTimestampNs;
    }

    /**
     * Stage: where {@link #rxTimestampNs()} comes from.
     *
     * @return the source.
     */
    public RxTimestampSource rxTimestampSource()
    {
        return rxTimestampSource;
    }

    /**
     * Stage: the send id of the last transmit timestamp reported ({@link TxTimestampHandler}).
     *
     * @return the id, -1 before the first report.
     */
    public long txSendId()
    {
        return txSendId;
    }

    /**
     * Stage: the last transmit timestamp reported, ns since the epoch (0 with {@link TxTimestampSource#NONE}).
     *
     * @return the time.
     */
    public long txTimestampNs()
    {
        return txTimestampNs;
    }

    /**
     * Stage: where {@link #txTimestampNs()} comes from.
     *
     * @return the source.
     */
    public TxTimestampSource txTimestampSource()
    {
        return txTimestampSource;
    }

    /**
     * Any thread (a plain read of a stage counter): transmit timestamps reported so far.
     *
     * @return the count.
     */
    public long txTimestampCount()
    {
        return txTimestamps;
    }

    // stage, packet transport: the id of a datagram just sent (its frame committed, or handed in-band), -1 when
    // TX timestamps are off
    long nextTxSendId()
    {
        if (!txTimestampsOn)
        {
            return -1L;
        }
        return txNextSendId++;
    }

    /**
     * Stage: one send's transmit timestamp, to the accessors and the handler.
     *
     * @param sendId      the send's id.
     * @param timestampNs the time, 0 when none.
     * @param source      where it comes from.
     */
    void reportTxTimestamp(final long sendId, final long timestampNs, final TxTimestampSource source)
    {
        txSendId = sendId;
        txTimestampNs = timestampNs;
        txTimestampSource = source;
        txTimestamps++;
        final TxTimestampHandler handler = txTimestampHandler;
        if (null != handler)
        {
            handler.onTxTimestamp(socket, sendId, timestampNs, source);
        }
    }

    // stage: the kernel transport's transmit timestamp off the error queue
    @Override
    public void onTxTimestamp(final long sendId, final long timestampNs, final boolean hardware)
    {
        // a record without its SCM_TIMESTAMPING (never seen) is still the send's one report
        reportTxTimestamp(sendId, timestampNs, 0 == timestampNs ? TxTimestampSource.NONE :
            hardware ? TxTimestampSource.HARDWARE : TxTimestampSource.SOFTWARE);
    }

    // stage: the kernel transport's datagram, with the timestamp its control message carried
    @Override
    public void onDatagram(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final KernelBusyPollTransport kernel = this.kernel;
        deliverCopy(buffer, offset, length, kernel.rxTimestampNs(), kernel.rxTimestampSource());
    }

    // stage: the kernel transport's ICMP error, reported as the packet transport reports one it reads off its ring
    @Override
    public void onError(final int errno)
    {
        onAsyncError(errno);
    }

    /**
     * Stage: delivers a record (zero copy to a stage handler, or one copy into the receive ring), the handler
     * reading its receive timestamp through {@link UdpSockets#rxTimestampNs}.
     *
     * @param buffer      the record's buffer.
     * @param offset      where it starts.
     * @param length      its length.
     * @param timestampNs the kernel's receive time, 0 when none.
     * @param source      where the time comes from.
     * @return the length, or a negative errno when the socket cannot take it.
     */
    int deliverCopy(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long timestampNs,
        final RxTimestampSource source)
    {
        rxTimestampNs = timestampNs;
        rxTimestampSource = source;
        return socket.deliver(buffer, offset, length);
    }

    /**
     * Stage: an asynchronous error (ICMP unreachable on the connected peer): {@code ERROR} to the socket's event
     * handlers now, and the next send fails with it once.
     *
     * @param errno the errno, positive.
     */
    void onAsyncError(final int errno)
    {
        pendingErrno = errno;
        socket.raise(org.oobnet.inband.KSocketEvent.ERROR, errno);
    }

    /**
     * Stage: takes the pending asynchronous error.
     *
     * @return it (positive), 0 when none.
     */
    int takeError()
    {
        final int errno = pendingErrno;
        pendingErrno = 0;
        return errno;
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
        inbandSends++;
        return stack.inbandSend(socket).send(fd, buffer, payloadOffset, payloadLength, address, port);
    }

    /**
     * In-band, after the stage let go: frees the kernel transport's native batches.
     */
    void free()
    {
        final KernelBusyPollTransport kernel = this.kernel;
        if (null != kernel)
        {
            kernel.close();
        }
    }
}
