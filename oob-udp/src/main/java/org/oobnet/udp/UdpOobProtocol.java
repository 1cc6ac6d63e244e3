package org.oobnet.udp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobClaim;
import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobStage;
import org.oobnet.core.RuntimeStage;
import org.oobnet.core.StageCommand;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.OobHooks;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.packet.bpf.BpfFilterBuilder;
import org.oobnet.packet.bpf.SockFilters;
import org.oobnet.udp.frame.Ipv4Flyweight;
import org.oobnet.udp.frag.MtuDiscovery;
import org.oobnet.udp.frame.UdpFrameBuilder;
import org.oobnet.udp.transport.KernelBusyPollTransport;
import org.oobnet.udp.route.NeighbourEntry;
import org.oobnet.udp.route.NextHop;
import org.oobnet.udp.route.RtnetlinkDescriptor;

/**
 * {@code AF_INET}/{@code SOCK_DGRAM | SOCK_OOB}: UDP/IPv4 with out-of-band I/O, EVL's {@code ipv4/udp.c} for the
 * JVM. The kernel UDP socket is created, bound and connected in-band as usual (the port is reserved, ICMP stays
 * the kernel's); the stage moves the datagrams over one of two transports:
 * <ul>
 *   <li><b>packet</b>: frames built in place in the TX ring of the output interface's {@link PacketPort} (the
 *       port of the route's interface, zero-copy claims included), and taken from the RX ring by the port (a
 *       stage device), validated and demultiplexed to the socket; the kernel socket gets a filter that accepts nothing
 *       so its queue stays empty. A destination whose route or neighbour is not in the front caches goes through
 *       the kernel socket (a non-blocking {@code sendto}, which also makes the kernel resolve it), the resolver is
 *       asked to solicit it, and the send returns {@code -EINPROGRESS}; the next sends take the fast path.</li>
 *   <li><b>kernel</b>: the kernel socket busy-polled with {@code recvmmsg} and fed with {@code sendmmsg}
 *       ({@link org.oobnet.udp.transport.KernelBusyPollTransport}), a stage device of its own
 *       ({@link KernelSocketDevice}).</li>
 * </ul>
 * Messages in both rings (and the zero-copy views) are records: a {@link UdpAddressHeader} (peer address and
 * port; 0 on send means the connected peer) and the payload. A payload larger than the path MTU less 28 bytes
 * is sent as IPv4 fragments on the packet transport ({@link FragmentedSend}), or gets {@code -EMSGSIZE} with
 * {@code IP_PMTUDISC_DO}/{@code PROBE} ({@link MtuDiscovery}), on the kernel transport and on a zero-copy claim;
 * sending to a broadcast address needs {@code SO_BROADCAST} ({@code -EACCES}).
 * <p>
 * The transport is the stack's default ({@code udp.transport}) or chosen per socket before {@code bind} with
 * {@code setsockopt(SOL_UDP, }{@link #UDP_OOB_TRANSPORT}{@code , 0 packet | 1 kernel)} ({@link UdpSockets}).
 * <p>
 * <b>Note:</b> one instance per {@link UdpStack}; in-band hooks thread safe, stage methods on the stage only.
 */
public final class UdpOobProtocol implements OobProtocol
{
    /** Private {@code SOL_UDP} option choosing a socket's transport: 0 packet, 1 kernel. */
    public static final int UDP_OOB_TRANSPORT = 0x4F55;
    /**
     * Private {@code SOL_UDP} option turning per-send transmit timestamps on (1) or off (0); each datagram the
     * socket sends then gets exactly one report, to its {@link TxTimestampHandler} ({@link UdpSockets#txTimestamps})
     * and the {@link UdpSocketState#txSendId()} accessors, with a send id counted from 0 at the switch-on. Packet
     * transport: from the TX-ring frame's completion ({@code TP_STATUS_TS_*} when the driver stamped it, else
     * {@link TxTimestampSource#STAGE}); kernel transport: {@code SO_TIMESTAMPING} {@code TX_SOFTWARE | OPT_ID |
     * OPT_TSONLY} off the error queue. EVL's {@code SO_TIMESTAMP_OOB} is the model.
     */
    public static final int UDP_OOB_TX_TIMESTAMPS = 0x4F56;
    /** {@code IP_MULTICAST_TTL}. */
    public static final int IP_MULTICAST_TTL = SocketConstants.IP_MULTICAST_TTL;
    private static final int ETH_IP_UDP_HEADERS = UdpFrameBuilder.HEADERS_LENGTH;
    private static final int CLAIM_RECORD_OFFSET = ETH_IP_UDP_HEADERS - UdpAddressHeader.LENGTH;
    // no destination MAC cached: the datagram goes in-band
    private static final long NO_MAC = -1L;

    private final UdpStack stack;
    private final MulticastOptions multicast;

    UdpOobProtocol(final UdpStack stack)
    {
        this.stack = stack;
        this.multicast = new MulticastOptions(stack);
    }

    @Override
    public int family()
    {
        return SocketConstants.AF_INET;
    }

    @Override
    public String name()
    {
        return "udp";
    }

    @Override
    public int match(final int type, final int protocol)
    {
        if (SocketConstants.SOCK_DGRAM != type)
        {
            return -Errno.ESOCKTNOSUPPORT;
        }
        return 0 == protocol || SocketConstants.IPPROTO_UDP == protocol ? 0 : -Errno.EPROTONOSUPPORT;
    }

    // in-band, the kernel socket fully built, before socket() returns
    @Override
    public int attach(final OobSocket socket)
    {
        final UdpSocketState state = new UdpSocketState(socket, stack, stack.config().transport());
        final ErrnoCapture errno = ErrnoCapture.current();
        // IP_MTU_DISCOVER stays the kernel's default (IP_PMTUDISC_WANT): the OOB path and the in-band fallback both
        // fragment a datagram past the path MTU, and both refuse it after IP_PMTUDISC_DO (MtuDiscovery)
        // a socket gets the groups it joined, not those of other sockets on its port (the packet transport's filter
        // works so; the kernel transport reads the kernel's queue, which Linux fills for every join by default)
        setIntOption(errno, state.fd, SocketConstants.SOL_IP, SocketConstants.IP_MULTICAST_ALL, 0);
        int rc = applyTransport(state, state.transport);
        if (rc >= 0)
        {
            // the first socket puts the stack's ports on the stage
            rc = stack.onAttach(socket.runtime());
        }
        if (rc < 0)
        {
            state.free();
            return rc;
        }
        socket.protocolState(state);
        return 0;
    }

    // in-band, after the kernel bound the socket (the port is reserved)
    @Override
    public int bind(final OobSocket socket, final MemorySegment address)
    {
        final UdpSocketState state = socket.protocolState();
        final int rc = learnLocal(state);
        return rc < 0 ? rc : StagePlacement.onLocalAddress(state);
    }

    // in-band, after the kernel connected the socket (and auto-bound it when it was not bound)
    @Override
    public int connect(final OobSocket socket, final MemorySegment address)
    {
        final UdpSocketState state = socket.protocolState();
        final int rc = learnLocal(state);
        if (rc < 0)
        {
            return rc;
        }
        final int placed = StagePlacement.onLocalAddress(state);
        if (placed < 0)
        {
            return placed;
        }
        final InetSocketAddress peer;
        try
        {
            peer = socket.ksocket().peerName();
        }
        catch (final ErrnoException ex)
        {
            return -ex.errno();
        }
        if (null == peer || !(peer.getAddress() instanceof Inet4Address))
        {
            // AF_UNSPEC: disconnected
            state.peerAddress = 0;
            state.peerPort = 0;
            return reportKernelErrors(state, false);
        }
        final int peerAddress = toInt(peer.getAddress());
        try
        {
            // warm the caches now, so the first send takes the fast path (EVL's solicit at connect)
            final NextHop hop = stack.resolver().solicit(peerAddress, false);
            if (UdpTransport.KERNEL == state.transport)
            {
                // the packet transport fragments past the path MTU, or refuses per send (IP_MTU_DISCOVER)
                state.maxPayload = Math.min(UdpSocketState.MAX_UDP_PAYLOAD,
                    hop.mtu() - UdpFrameBuilder.IP_UDP_HEADERS_LENGTH);
            }
            final int placedByRoute = StagePlacement.onRoute(state, hop.ifindex());
            if (placedByRoute < 0)
            {
                return placedByRoute;
            }
        }
        catch (final ErrnoException ex)
        {
            // no route or no ARP answer yet: sends go in-band until the resolver gets it
        }
        state.peerPort = peer.getPort();
        state.peerAddress = peerAddress;
        return reportKernelErrors(state, true);
    }

    // in-band: a connected kernel-transport socket reads the ICMP errors off its kernel socket's error queue (the
    // packet transport reads them off its ports' rings); both report them through UdpSocketState.onAsyncError
    private static int reportKernelErrors(final UdpSocketState state, final boolean connected)
    {
        final KernelBusyPollTransport kernel = state.kernel;
        if (null == kernel || UdpTransport.KERNEL != state.transport)
        {
            return 0;
        }
        return kernel.reportErrors(connected ? state : null);
    }

    // in-band, before the core moves the socket to another stage
    @Override
    public int beforeStageMove(final OobSocket socket, final RuntimeStage to, final boolean byName)
    {
        return StagePlacement.beforeMove(socket.protocolState(), to, byName);
    }

    @Override
    public int setopt(final OobSocket socket, final int level, final int name, final MemorySegment value)
    {
        final UdpSocketState state = socket.protocolState();
        if (OobSocket.SOL_OOB == level && OobSocket.SO_OOB_STAGE == name)
        {
            // the core has moved the socket to the named stage; its port there opened before (beforeStageMove)
            return 0;
        }
        final int intValue = value.byteSize() >= 4 ? value.get(ValueLayout.JAVA_INT_UNALIGNED, 0) : 0;
        if (SocketConstants.SOL_UDP == level && UDP_OOB_TRANSPORT == name)
        {
            if (0 != state.localPort)
            {
                return -Errno.EISCONN;
            }
            if (intValue < 0 || intValue > 1)
            {
                return -Errno.EINVAL;
            }
            final UdpTransport wanted = 0 == intValue ? UdpTransport.PACKET : UdpTransport.KERNEL;
            if (wanted == state.transport)
            {
                // already so (UdpSockets.open sets it on every socket): no stage round trip, which costs an idle
                // strategy's wake-up for each socket opened
                return 0;
            }
            final int rc = applyTransport(state, wanted);
            if (rc < 0)
            {
                return rc;
            }
            // the kernel socket's device follows the transport (a no-op until the socket is on the stage)
            socket.runtimeStage().callOnStage(new SyncKernelDevice(state));
            // TX timestamps turned on before: the kernel socket's SO_TIMESTAMPING follows too
            return state.txTimestampsOn && UdpTransport.KERNEL == wanted ? switchTxTimestamps(state, true) : 0;
        }
        if (SocketConstants.SOL_UDP == level && UDP_OOB_TX_TIMESTAMPS == name)
        {
            return txTimestamps(state, intValue);
        }
        if (MulticastOptions.serves(level, name))
        {
            return multicast.setopt(state, name, value);
        }
        if (SocketConstants.SOL_SOCKET == level && SocketConstants.SO_BINDTODEVICE == name)
        {
            final int rc = StagePlacement.onBindToDevice(state, value);
            if (rc < 0)
            {
                return rc;
            }
        }
        else if (SocketConstants.SOL_SOCKET == level && SocketConstants.SO_BROADCAST == name)
        {
            state.broadcast = 0 != intValue;
        }
        else if (SocketConstants.SOL_IP == level && SocketConstants.IP_TTL == name)
        {
            state.ttl = intValue < 0 ? UdpFrameBuilder.DEFAULT_TTL : intValue;
        }
        else if (SocketConstants.SOL_IP == level && SocketConstants.IP_MTU_DISCOVER == name &&
            MtuDiscovery.isValid(intValue))
        {
            state.mtuDiscover = intValue;
        }
        else if (SocketConstants.SOL_IP == level && IP_MULTICAST_TTL == name)
        {
            state.multicastTtl = value.byteSize() >= 4 ? intValue : value.get(ValueLayout.JAVA_BYTE, 0) & 0xFF;
        }
        // the kernel applies every option too (memberships, buffers, the options above)
        return -OobHooks.ENOIOCTLCMD;
    }

    // in-band: UDP_OOB_TX_TIMESTAMPS; the switch is a stage command (SwitchTxTimestamps), between two send batches
    private static int txTimestamps(final UdpSocketState state, final int value)
    {
        if (value < 0 || value > 1)
        {
            return -Errno.EINVAL;
        }
        final boolean on = 1 == value;
        if (on == state.txTimestampsOn)
        {
            return 0;
        }
        return switchTxTimestamps(state, on);
    }

    // in-band: a kernel-transport socket's error queue is the stage's while its TX timestamps are on
    // (KSocket.errorQueueOnStage), given before the first record can come and taken back after they went off
    private static int switchTxTimestamps(final UdpSocketState state, final boolean on)
    {
        final KSocket ksocket = state.socket.ksocket();
        final boolean kernel = UdpTransport.KERNEL == state.transport && null != state.kernel;
        if (on && kernel)
        {
            ksocket.errorQueueOnStage(true);
        }
        final int rc = state.socket.runtimeStage().callOnStage(new SwitchTxTimestamps(state, on));
        if (kernel)
        {
            ksocket.errorQueueOnStage(state.txTimestampsOn);
        }
        return rc;
    }

    // stage, the socket joining it: a kernel-transport socket's device goes on the stage with it
    @Override
    public void onStageAttach(final OobSocket socket)
    {
        final UdpSocketState state = socket.protocolState();
        if (null != state)
        {
            syncKernelDevice(socket.stage(), state);
        }
    }

    // stage, the socket leaving it: its kernel device leaves the stage; the ports report the TX timestamps they
    // still owe it (none after close); the kernel transport's last batch goes out;
    // what the kernel still does not take is counted as closed with messages queued (the packet transport's frames
    // are in the port's TX ring, counted by the port when it closes)
    @Override
    public void onStageDetach(final OobSocket socket)
    {
        final UdpSocketState state = socket.protocolState();
        final KernelSocketDevice device = null == state ? null : state.kernelDevice;
        if (null != device && device.onStage)
        {
            socket.stage().removeDevice(device);
            device.onStage = false;
        }
        if (null != state && state.txTimestampsOn && UdpTransport.PACKET == state.transport)
        {
            stack.settleTxSends(socket.stage(), state);
        }
        final KernelBusyPollTransport kernel = null == state ? null : state.kernel;
        if (null != kernel && kernel.pending() > 0)
        {
            kernel.flush();
            final int unsent = kernel.pending();
            if (unsent > 0)
            {
                socket.counters().dropsClosed().getAndAddRelease(unsent);
            }
        }
    }

    // in-band, after the stage let go of the socket
    @Override
    public void release(final OobSocket socket)
    {
        final UdpSocketState state = socket.protocolState();
        if (null != state && state.boundInDemux)
        {
            stack.demux().unbind(state.localAddress, state.localPort, state);
            state.boundInDemux = false;
        }
    }

    @Override
    public void destroy(final OobSocket socket)
    {
        final UdpSocketState state = socket.protocolState();
        if (null != state)
        {
            state.free();
            stack.onDestroy();
        }
    }

    // stage: one record (address header + payload), copied into a frame or a kernel batch
    @Override
    public int send(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
    {
        final UdpSocketState state = socket.protocolState();
        final int payloadLength = length - UdpAddressHeader.LENGTH;
        if (payloadLength < 0)
        {
            return -Errno.EINVAL;
        }
        final int pending = state.takeError();
        if (0 != pending)
        {
            // an ICMP error reported once, as the kernel's sock_error does
            return -pending;
        }
        int dstAddress = UdpAddressHeader.address(buffer, offset);
        int dstPort = UdpAddressHeader.port(buffer, offset);
        if (0 == dstAddress)
        {
            dstAddress = state.peerAddress;
            dstPort = state.peerPort;
            if (0 == dstAddress)
            {
                return -Errno.EDESTADDRREQ;
            }
        }
        if (payloadLength > state.maxPayload)
        {
            return -Errno.EMSGSIZE;
        }
        final NextHop hop = stack.resolver().routes().lookup(dstAddress);
        if (UdpTransport.KERNEL == state.transport)
        {
            if (null == hop)
            {
                // learn the path MTU for the next sends to this destination
                stack.resolver().requestSolicit(dstAddress);
            }
            else if (payloadLength > hop.mtu() - UdpFrameBuilder.IP_UDP_HEADERS_LENGTH)
            {
                return -Errno.EMSGSIZE;
            }
            return state.kernel.queue(buffer, offset, length);
        }

        final NextHop groupHop = Ipv4Flyweight.isMulticast(dstAddress) ? state.multicastHop : null;
        final NextHop route = null == groupHop ? hop : groupHop;
        final int check = null == groupHop ? checkFastPath(state, hop, dstAddress) : 0 == state.localPort ? 1 : 0;
        if (check < 0)
        {
            return check;
        }
        final long dstMac = 0 == check ? nextHopMac(route, groupHop, dstAddress) : NO_MAC;
        final PacketPort port = NO_MAC == dstMac ? null : stack.port(route.ifindex(), state.socket.stage());
        if (null == port)
        {
            return sendInband(state, buffer, offset + UdpAddressHeader.LENGTH, payloadLength, dstAddress, dstPort);
        }
        final boolean fragment = payloadLength > route.mtu() - UdpFrameBuilder.IP_UDP_HEADERS_LENGTH;
        if (fragment && !MtuDiscovery.fragments(state.mtuDiscover))
        {
            return -Errno.EMSGSIZE;
        }
        final int frameLength = ETH_IP_UDP_HEADERS + payloadLength;
        final int claimed = fragment ? 0 : port.claimFrame(frameLength);
        if (claimed < 0)
        {
            return claimed;
        }
        final int srcAddress = prepare(state, route, dstMac, dstAddress, dstPort);
        if (fragment)
        {
            state.builder.dontFragment(false);
            final int sent = FragmentedSend.send(port, state.builder, buffer, offset + UdpAddressHeader.LENGTH,
                payloadLength, route.mtu());
            if (sent < 0)
            {
                return sent;
            }
        }
        else
        {
            state.builder.write(port.frameBuffer(), 0, buffer, offset + UdpAddressHeader.LENGTH, payloadLength);
            port.commitFrame(frameLength);
        }
        state.fastSends++;
        state.lastPort = port;
        port.trackTxSend(state);
        if (state.multicastLoop && Ipv4Flyweight.isMulticast(dstAddress))
        {
            port.loopbackCopy(srcAddress, state.localPort, buffer, offset + UdpAddressHeader.LENGTH, payloadLength);
            port.loopbackDeliver(dstAddress, dstPort);
        }
        return payloadLength;
    }

    // stage: zero copy, step one: a TX frame whose UDP header slot is the caller's record header, on the port the
    // datagram most likely leaves by (the connected peer's route, else the port of the last fast send)
    @Override
    public int claim(final OobSocket socket, final int length, final OobClaim claim)
    {
        final UdpSocketState state = socket.protocolState();
        if (UdpTransport.KERNEL == state.transport)
        {
            return -Errno.EOPNOTSUPP;
        }
        final int payloadLength = length - UdpAddressHeader.LENGTH;
        if (payloadLength < 0)
        {
            return -Errno.EINVAL;
        }
        if (payloadLength > state.maxPayload)
        {
            return -Errno.EMSGSIZE;
        }
        final PacketPort port = claimPort(state);
        if (null == port)
        {
            return -Errno.EOPNOTSUPP;
        }
        final int rc = port.claimFrame(ETH_IP_UDP_HEADERS + payloadLength);
        if (rc < 0)
        {
            return rc;
        }
        state.claimPort = port;
        claim.wrap(port.frameBuffer(), CLAIM_RECORD_OFFSET, length, 0);
        return 0;
    }

    // stage: zero copy, step two: read the record header in place, then write the real headers over it; a datagram
    // whose route leaves by another port than the claimed one is copied once into a frame of that port
    @Override
    public int commit(final OobSocket socket, final OobClaim claim)
    {
        final UdpSocketState state = socket.protocolState();
        final MutableDirectBuffer frame = claim.buffer();
        final PacketPort port = state.claimPort;
        state.claimPort = null;
        final int payloadLength = claim.length() - UdpAddressHeader.LENGTH;
        int dstAddress = UdpAddressHeader.address(frame, CLAIM_RECORD_OFFSET);
        int dstPort = UdpAddressHeader.port(frame, CLAIM_RECORD_OFFSET);
        if (0 == dstAddress)
        {
            dstAddress = state.peerAddress;
            dstPort = state.peerPort;
        }
        if (0 == dstAddress)
        {
            port.abortFrame();
            return -Errno.EDESTADDRREQ;
        }
        final NextHop groupHop = Ipv4Flyweight.isMulticast(dstAddress) ? state.multicastHop : null;
        final NextHop hop = null == groupHop ? stack.resolver().routes().lookup(dstAddress) : groupHop;
        final int check = null == groupHop ? checkFastPath(state, hop, dstAddress) : 0 == state.localPort ? 1 : 0;
        if (check < 0)
        {
            port.abortFrame();
            return check;
        }
        final long dstMac = 0 == check ? nextHopMac(hop, groupHop, dstAddress) : NO_MAC;
        final PacketPort target = NO_MAC == dstMac ? null : stack.port(hop.ifindex(), state.socket.stage());
        if (null == target)
        {
            final int rc = sendInband(state, frame, ETH_IP_UDP_HEADERS, payloadLength, dstAddress, dstPort);
            port.abortFrame();
            return rc;
        }
        if (payloadLength > hop.mtu() - UdpFrameBuilder.IP_UDP_HEADERS_LENGTH)
        {
            port.abortFrame();
            return -Errno.EMSGSIZE;
        }
        final int frameLength = ETH_IP_UDP_HEADERS + payloadLength;
        final int srcAddress = prepare(state, hop, dstMac, dstAddress, dstPort);
        final boolean loop = state.multicastLoop && Ipv4Flyweight.isMulticast(dstAddress);
        if (loop)
        {
            // copied while the claimed frame is ours, delivered once it is committed (a member's handler may send)
            target.loopbackCopy(srcAddress, state.localPort, frame, ETH_IP_UDP_HEADERS, payloadLength);
        }
        if (target != port)
        {
            final int claimed = target.claimFrame(frameLength);
            if (claimed < 0)
            {
                port.abortFrame();
                return claimed;
            }
            state.builder.write(target.frameBuffer(), 0, frame, ETH_IP_UDP_HEADERS, payloadLength);
            port.abortFrame();
            target.commitFrame(frameLength);
        }
        else
        {
            state.builder.write(frame, 0, payloadLength);
            port.commitFrame(frameLength);
        }
        state.fastSends++;
        state.lastPort = target;
        target.trackTxSend(state);
        if (loop)
        {
            target.loopbackDeliver(dstAddress, dstPort);
        }
        return payloadLength;
    }

    @Override
    public void abort(final OobSocket socket, final OobClaim claim)
    {
        final UdpSocketState state = socket.protocolState();
        final PacketPort port = state.claimPort;
        state.claimPort = null;
        if (null != port)
        {
            port.abortFrame();
        }
    }

    // stage: one kick (packet) or one sendmmsg (kernel) for what the cycle queued
    @Override
    public int flush(final OobSocket socket, final long nowNs)
    {
        final UdpSocketState state = socket.protocolState();
        if (UdpTransport.KERNEL == state.transport)
        {
            return state.kernel.flush(nowNs);
        }
        return stack.flushPorts(nowNs, socket.stage());
    }

    /**
     * @return the stack this protocol serves.
     */
    public UdpStack stack()
    {
        return stack;
    }

    // stage: the port a claim goes to before the destination is known
    private PacketPort claimPort(final UdpSocketState state)
    {
        final int peer = state.peerAddress;
        if (0 != peer)
        {
            final NextHop hop = stack.resolver().routes().lookup(peer);
            final PacketPort port = null == hop ? null : stack.port(hop.ifindex(), state.socket.stage());
            if (null != port)
            {
                return port;
            }
        }
        final PacketPort last = state.lastPort;
        if (null != last)
        {
            return last;
        }
        // FIXME: an unconnected socket's first claim guesses its stage's first port; commit copies the frame when wrong
        return stack.firstPort(state.socket.stage());
    }

    // stage: the kernel socket's device on the stage exactly while the socket is there with the kernel transport
    private static void syncKernelDevice(final OobStage stage, final UdpSocketState state)
    {
        final KernelSocketDevice device = state.kernelDevice;
        if (null == device)
        {
            return;
        }
        final boolean wanted = state.socket.isOnStage() && UdpTransport.KERNEL == state.transport;
        if (wanted && !device.onStage)
        {
            device.onStage = 0 == stage.addDevice(device);
        }
        else if (!wanted && device.onStage)
        {
            stage.removeDevice(device);
            device.onStage = false;
        }
    }

    // 0: fast path possible; 1: go in-band; < 0: refuse
    private int checkFastPath(final UdpSocketState state, final NextHop hop, final int dstAddress)
    {
        if (null == hop)
        {
            stack.resolver().requestSolicit(dstAddress);
            return 1;
        }
        if (RtnetlinkDescriptor.RTN_BROADCAST == hop.routeType() && !state.broadcast)
        {
            return -Errno.EACCES;
        }
        if (RtnetlinkDescriptor.RTN_LOCAL == hop.routeType() || 0 == state.localPort)
        {
            // a local peer is reached through loopback, an unbound socket needs the kernel to pick its port
            return 1;
        }
        if (null == stack.resolver().neighbours().lookup(hop.nextHop()))
        {
            stack.resolver().requestSolicit(dstAddress);
            return 1;
        }
        return 0;
    }

    // the frame's headers; returns the source address
    private static int prepare(
        final UdpSocketState state,
        final NextHop hop,
        final long dstMac,
        final int dstAddress,
        final int dstPort)
    {
        final int srcAddress = 0 != state.localAddress && !Ipv4Flyweight.isMulticast(state.localAddress) ?
            state.localAddress : hop.srcAddress();
        final boolean multicast = Ipv4Flyweight.isMulticast(dstAddress);
        state.builder
            .macs(hop.srcMac(), dstMac)
            .source(srcAddress, state.localPort)
            .destination(dstAddress, dstPort)
            .ttl(multicast ? state.multicastTtl : state.ttl)
            .dontFragment(MtuDiscovery.dontFragment(state.mtuDiscover));
        return srcAddress;
    }

    // the destination MAC: the group's own with IP_MULTICAST_IF, else the cached neighbour's; NO_MAC when not cached
    private long nextHopMac(final NextHop hop, final NextHop groupHop, final int dstAddress)
    {
        if (null != groupHop)
        {
            return Ipv4Flyweight.groupMac(dstAddress);
        }
        final NeighbourEntry neighbour = stack.resolver().neighbours().lookup(hop.nextHop());
        return null == neighbour ? NO_MAC : neighbour.mac();
    }

    // EVL: on a miss the send is handed to in-band; EINPROGRESS tells a non-blocking caller it went that way
    private static int sendInband(
        final UdpSocketState state,
        final DirectBuffer buffer,
        final int payloadOffset,
        final int payloadLength,
        final int dstAddress,
        final int dstPort)
    {
        final long rc = state.sendInband(buffer, payloadOffset, payloadLength, dstAddress, dstPort);
        if (rc >= 0)
        {
            final long sendId = state.nextTxSendId();
            if (sendId >= 0)
            {
                // the kernel socket's send leaves no completion the stage can see: reported now, without a time
                state.reportTxTimestamp(sendId, 0L, TxTimestampSource.NONE);
            }
        }
        return rc < 0 ? (int)rc : -Errno.EINPROGRESS;
    }

    private int applyTransport(final UdpSocketState state, final UdpTransport transport)
    {
        final ErrnoCapture errno = ErrnoCapture.current();
        if (UdpTransport.KERNEL == transport)
        {
            if (null == state.kernel)
            {
                final KernelBusyPollTransport kernel = new KernelBusyPollTransport(state.fd,
                    stack.config().kernelBatch(), UdpSocketState.KERNEL_MAX_PAYLOAD);
                state.kernel = kernel;
                state.kernelDevice = new KernelSocketDevice(state, kernel);
            }
            // the kernel transport reads the kernel queue: take the packet transport's filter off
            setIntOption(errno, state.fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_DETACH_FILTER, 0);
            state.maxPayload = UdpSocketState.KERNEL_MAX_PAYLOAD;
        }
        else
        {
            // the OOB path carries the data: the kernel socket keeps its port and an empty queue
            final int rc = SockFilters.attach(errno, state.fd, BpfFilterBuilder.acceptNothing());
            if (rc < 0)
            {
                return rc;
            }
            // past the path MTU a datagram is fragmented or refused per send (IP_MTU_DISCOVER)
            state.maxPayload = UdpSocketState.MAX_UDP_PAYLOAD;
        }
        state.transport = transport;
        return 0;
    }

    private int learnLocal(final UdpSocketState state)
    {
        final InetSocketAddress local;
        final boolean reusePort;
        try
        {
            local = state.socket.ksocket().localName();
            reusePort = 0 != state.socket.ksocket().getOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_REUSEPORT);
        }
        catch (final ErrnoException ex)
        {
            return -ex.errno();
        }
        final int address = toInt(local.getAddress());
        final int port = local.getPort();
        if (state.boundInDemux && (address != state.localAddress || port != state.localPort))
        {
            stack.demux().unbind(state.localAddress, state.localPort, state);
            state.boundInDemux = false;
        }
        // only the packet transport receives through the ports; a kernel-transport socket reads its own queue
        if (!state.boundInDemux && 0 != port && UdpTransport.PACKET == state.transport)
        {
            // the kernel already enforced the port's sharing rules; the table follows them
            final int rc = stack.demux().bind(address, port, state, reusePort);
            if (rc < 0)
            {
                return rc;
            }
            state.boundInDemux = true;
        }
        state.localAddress = address;
        state.localPort = port;
        return 0;
    }

    static void setIntOption(
        final ErrnoCapture errno, final int fd, final int level, final int name, final int value)
    {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined())
        {
            final MemorySegment segment = arena.allocate(ValueLayout.JAVA_INT);
            segment.set(ValueLayout.JAVA_INT, 0, value);
            org.oobnet.inband.sys.LibC.setsockopt(errno, fd, level, name, segment, 4);
        }
    }

    static int toInt(final java.net.InetAddress address)
    {
        final byte[] bytes = address.getAddress();
        if (4 != bytes.length)
        {
            return 0;
        }
        return ((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
    }

    // stage, between two send batches: TX timestamps on or off. What the old setting still owes is reported first
    // (the kernel transport's queued records, the ports' completed frames; the rest without a time); when on, ids
    // count from 0 (the kernel's OPT_ID restarts too)
    private static final class SwitchTxTimestamps extends StageCommand
    {
        private final UdpSocketState state;
        private final boolean on;

        SwitchTxTimestamps(final UdpSocketState state, final boolean on)
        {
            this.state = state;
            this.on = on;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            final KernelBusyPollTransport kernel = state.kernel;
            if (null != kernel && UdpTransport.KERNEL == state.transport)
            {
                final int rc = kernel.switchTxTimestamps(on ? state : null, nowNs);
                if (rc < 0)
                {
                    state.txTimestampsOn = false;
                    return rc;
                }
            }
            else if (state.txTimestampsOn)
            {
                state.stack.settleTxSends(stage, state);
            }
            if (on)
            {
                state.txNextSendId = 0;
            }
            state.txTimestampsOn = on;
            return 0;
        }
    }

    // stage: adds or removes the kernel socket's device after a transport change
    private static final class SyncKernelDevice extends StageCommand
    {
        private final UdpSocketState state;

        SyncKernelDevice(final UdpSocketState state)
        {
            this.state = state;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            syncKernelDevice(stage, state);
            return 0;
        }
    }
}
