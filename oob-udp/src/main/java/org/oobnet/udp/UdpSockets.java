package org.oobnet.udp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.udp.frag.MtuDiscovery;
import org.oobnet.udp.frame.UdpFrameBuilder;
import org.oobnet.udp.route.NextHop;

/**
 * The datagram calls of OOB UDP sockets over the core's rings: {@code sendTo} from any thread through the send
 * ring, and the record layout helpers for {@code recvFrom} (the peer is in each received record's
 * {@link UdpAddressHeader}).
 * <p>
 * <b>Note:</b> stateless, thread safe; each call follows the threading rule of the {@link OobSocket} method it
 * uses.
 */
public final class UdpSockets
{
    private UdpSockets()
    {
    }

    /**
     * In-band: a new OOB UDP socket ({@code AF_INET}, {@code SOCK_DGRAM | SOCK_OOB}) on a transport, not bound yet.
     *
     * @param transport packet or kernel.
     * @return the socket (the caller closes it).
     * @throws ErrnoException when the socket cannot be made or given the transport (it is closed then).
     */
    public static KSocket open(final UdpTransport transport) throws ErrnoException
    {
        final KSocket socket = KSocket.socket(SocketConstants.AF_INET,
            SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_OOB, 0);
        try
        {
            useTransport(socket, transport);
            return socket;
        }
        catch (final ErrnoException | RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
    }

    /**
     * In-band: joins or leaves a group on an interface for any source ({@code IP_ADD_MEMBERSHIP} /
     * {@code IP_DROP_MEMBERSHIP} with an {@code ip_mreqn}); the kernel socket and the stage's filter both follow.
     *
     * @param socket           an OOB UDP socket.
     * @param join             true to join, false to leave.
     * @param group            the group, host order.
     * @param interfaceAddress an IPv4 address of the interface, host order.
     * @param ifindex          the interface's index (0: the address decides).
     * @throws ErrnoException {@code EINVAL} (not a group), {@code ENODEV}, {@code ENOBUFS} (past
     *                        {@code udp.max_memberships}), {@code EADDRINUSE}, {@code EADDRNOTAVAIL}...
     */
    public static void membership(
        final KSocket socket, final boolean join, final int group, final int interfaceAddress, final int ifindex)
        throws ErrnoException
    {
        final ValueLayout.OfInt networkInt = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment request = arena.allocate(12, 4);
            request.set(networkInt, 0, group);
            request.set(networkInt, 4, interfaceAddress);
            request.set(ValueLayout.JAVA_INT_UNALIGNED, 8, ifindex);
            socket.setOption(SocketConstants.SOL_IP,
                join ? SocketConstants.IP_ADD_MEMBERSHIP : SocketConstants.IP_DROP_MEMBERSHIP, request);
        }
    }

    /**
     * In-band: the datagrams the kernel dropped on a kernel-transport socket because its receive buffer was full
     * (the stage fell behind): {@code SO_MEMINFO}'s {@code SK_MEMINFO_DROPS}.
     *
     * @param socket an OOB UDP socket on the kernel transport (or any kernel socket).
     * @return the count since the socket was made.
     * @throws ErrnoException when {@code getsockopt} fails.
     */
    public static long kernelReceiveDrops(final KSocket socket) throws ErrnoException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment meminfo = arena.allocate(4L * SocketConstants.SK_MEMINFO_VARS, 4).fill((byte)0);
            socket.getOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_MEMINFO, meminfo);
            return meminfo.getAtIndex(ValueLayout.JAVA_INT, SocketConstants.SK_MEMINFO_DROPS) & 0xffff_ffffL;
        }
    }

    /**
     * In-band, before {@code bind}/{@code connect}: chooses the socket's transport.
     *
     * @param socket    an {@code AF_INET}/{@code SOCK_DGRAM | SOCK_OOB} socket.
     * @param transport packet or kernel.
     * @throws ErrnoException {@code EISCONN} once bound.
     */
    public static void useTransport(final KSocket socket, final UdpTransport transport) throws ErrnoException
    {
        socket.setOption(SocketConstants.SOL_UDP, UdpOobProtocol.UDP_OOB_TRANSPORT,
            UdpTransport.PACKET == transport ? 0 : 1);
    }

    /**
     * The OOB state of a socket, for its transport and counters.
     *
     * @param socket an OOB UDP socket.
     * @return its state.
     */
    public static UdpSocketState state(final OobSocket socket)
    {
        return socket.protocolState();
    }

    /**
     * Stage, from the socket's stage receive handler: the kernel's receive time of the datagram being handled, ns
     * since the epoch: the RX ring header's {@code tp_sec/tp_nsec} (packet transport), the {@code SCM_TIMESTAMPING}
     * control message of {@code recvmmsg} (kernel transport). Allocation-free. Outside a handler it is the time of
     * the last datagram delivered on the stage (queued ones included), not of the one a consumer reads.
     *
     * @param socket an OOB UDP socket.
     * @return the time, 0 when none ({@link #rxTimestampSource} says {@link RxTimestampSource#NONE}).
     */
    public static long rxTimestampNs(final OobSocket socket)
    {
        final UdpSocketState state = socket.protocolState();
        return state.rxTimestampNs;
    }

    /**
     * Stage, from the socket's stage receive handler: where {@link #rxTimestampNs} comes from (software, hardware
     * or none). Allocation-free. On the kernel transport the first datagrams after the system's first
     * timestamping socket opened can be {@code NONE}: the kernel switches software RX timestamps on from a
     * workqueue ({@code net_enable_timestamp}), not at once.
     *
     * @param socket an OOB UDP socket.
     * @return the source.
     */
    public static RxTimestampSource rxTimestampSource(final OobSocket socket)
    {
        final UdpSocketState state = socket.protocolState();
        return state.rxTimestampSource;
    }

    /**
     * In-band, before sending: turns per-send transmit timestamps on ({@code handler} not null) or off
     * ({@code setsockopt(SOL_UDP, }{@link UdpOobProtocol#UDP_OOB_TX_TIMESTAMPS}{@code )}); each datagram sent
     * afterwards gets exactly one report on the stage: to {@code handler}, and in {@link UdpSocketState#txSendId()},
     * {@link UdpSocketState#txTimestampNs()}, {@link UdpSocketState#txTimestampSource()}. Send ids restart at 0.
     *
     * @param socket  an OOB UDP socket.
     * @param handler takes the reports (allocation-free, on the stage), or null to turn them off.
     * @throws ErrnoException when the kernel socket refuses {@code SO_TIMESTAMPING} (kernel transport).
     */
    public static void txTimestamps(final KSocket socket, final TxTimestampHandler handler) throws ErrnoException
    {
        final UdpSocketState state = OobSocket.of(socket).protocolState();
        if (null != handler)
        {
            // set first: the stage may report as soon as the option is on
            state.txTimestampHandler = handler;
        }
        socket.setOption(SocketConstants.SOL_UDP, UdpOobProtocol.UDP_OOB_TX_TIMESTAMPS, null == handler ? 0 : 1);
        if (null == handler)
        {
            state.txTimestampHandler = null;
        }
    }

    /**
     * Any thread: queues a datagram on the socket's send ring; the stage sends it on its next cycle.
     *
     * @param socket        an OOB UDP socket.
     * @param address       destination IPv4 address, 0 for the connected peer.
     * @param port          destination port.
     * @param payload       the payload.
     * @param payloadOffset where it starts.
     * @param payloadLength its length.
     * @return 0; {@code -EMSGSIZE} beyond the path MTU, {@code -EWOULDBLOCK} when the ring is full, or another
     * negative errno of {@link OobSocket#tryClaim}.
     */
    public static int sendTo(
        final OobSocket socket,
        final int address,
        final int port,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final UdpSocketState state = socket.protocolState();
        if (0 == state.localPort)
        {
            // EVL: an unbound socket is auto-bound; here in-band, on the caller's thread, so that the OOB path
            // knows its source port (the bind hook records it)
            final int rc = autoBind(socket);
            if (rc < 0)
            {
                return rc;
            }
        }
        if (payloadLength > maxPayload(state, address))
        {
            return -Errno.EMSGSIZE;
        }
        final int index = socket.tryClaim(UdpAddressHeader.LENGTH + payloadLength);
        if (index < 0)
        {
            return index;
        }
        final MutableDirectBuffer ring = socket.sendBuffer();
        UdpAddressHeader.write(ring, index, address, port);
        ring.putBytes(index + UdpAddressHeader.LENGTH, payload, payloadOffset, payloadLength);
        socket.commit(index);
        return 0;
    }

    /**
     * In-band: binds an unbound socket to an ephemeral port on every address, as the kernel's auto-bind does.
     *
     * @param socket an OOB UDP socket.
     * @return 0, or a negative errno.
     */
    public static int autoBind(final OobSocket socket)
    {
        final UdpSocketState state = socket.protocolState();
        if (0 != state.localPort)
        {
            return 0;
        }
        try
        {
            socket.ksocket().bind(new java.net.InetSocketAddress(0));
            return 0;
        }
        catch (final ErrnoException ex)
        {
            // EINVAL: another thread bound it meanwhile, which is as good
            return 0 != state.localPort ? 0 : -ex.errno();
        }
    }

    /**
     * In-band: resolves a peer's route and MAC now, so that the first datagram to it takes the fast path
     * ({@code evl_net_solicit}).
     *
     * @param socket    an OOB UDP socket (names the stack).
     * @param peer      the peer's IPv4 address.
     * @param permanent keep the cache entries even when the kernel drops its own.
     * @throws ErrnoException {@code ENETUNREACH}, {@code EHOSTUNREACH}, or the kernel's errno.
     */
    public static void solicit(final OobSocket socket, final int peer, final boolean permanent) throws ErrnoException
    {
        final UdpSocketState state = socket.protocolState();
        state.stack.resolver().solicit(peer, permanent);
    }

    /**
     * The largest payload the socket can send to {@code address}: its own limit, and when it may not fragment
     * (kernel transport, {@code IP_PMTUDISC_DO}/{@code PROBE}) the route's MTU less the IPv4 and UDP headers when
     * the route is cached.
     *
     * @param state   the socket's state.
     * @param address the destination, 0 for the connected peer.
     * @return bytes.
     */
    static int maxPayload(final UdpSocketState state, final int address)
    {
        final int destination = 0 == address ? state.peerAddress : address;
        final NextHop hop = 0 == destination ? null : state.stack.resolver().routes().lookup(destination);
        final boolean fragments = UdpTransport.PACKET == state.transport && MtuDiscovery.fragments(state.mtuDiscover);
        final int pathLimit = null == hop || fragments ? Integer.MAX_VALUE :
            hop.mtu() - UdpFrameBuilder.IP_UDP_HEADERS_LENGTH;
        return Math.min(state.maxPayload, pathLimit);
    }

    /**
     * Stage: writes a record (header and payload) into {@code scratch} and sends it now with
     * {@link OobSocket#oobSend}.
     *
     * @param socket        an OOB UDP socket.
     * @param scratch       the caller's buffer for the record, at least 8 + payload bytes.
     * @param address       destination address, 0 for the connected peer.
     * @param port          destination port.
     * @param payload       the payload.
     * @param payloadOffset where it starts.
     * @param payloadLength its length.
     * @return the payload length sent, {@code -EINPROGRESS} when it went in-band (a cache miss), or a negative errno.
     */
    public static int oobSendTo(
        final OobSocket socket,
        final MutableDirectBuffer scratch,
        final int address,
        final int port,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        UdpAddressHeader.write(scratch, 0, address, port);
        scratch.putBytes(UdpAddressHeader.LENGTH, payload, payloadOffset, payloadLength);
        return socket.oobSend(scratch, 0, UdpAddressHeader.LENGTH + payloadLength);
    }

    /**
     * @param record the record's buffer (a received message).
     * @param offset where it starts.
     * @return the peer's address.
     */
    public static int peerAddress(final DirectBuffer record, final int offset)
    {
        return UdpAddressHeader.address(record, offset);
    }

    /**
     * @param record the record's buffer (a received message).
     * @param offset where it starts.
     * @return the peer's port.
     */
    public static int peerPort(final DirectBuffer record, final int offset)
    {
        return UdpAddressHeader.port(record, offset);
    }
}
