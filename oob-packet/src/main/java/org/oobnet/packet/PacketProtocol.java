package org.oobnet.packet;

import org.agrona.DirectBuffer;
import org.oobnet.core.OobClaim;
import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobStage;
import org.oobnet.core.StageCommand;
import org.oobnet.core.counters.ProtocolCounters;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.OobHooks;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.SockaddrLlDescriptor;
import org.oobnet.inband.sys.TpacketStatsDescriptor;
import org.oobnet.packet.bpf.BpfProgram;
import org.oobnet.packet.bpf.SockFilters;
import org.oobnet.packet.port.InterfaceInfo;
import org.oobnet.packet.port.PacketPorts;
import org.oobnet.packet.capture.CaptureTaps;
import org.oobnet.packet.ring.PacketRingOptions;
import org.oobnet.packet.ring.PacketRingSocket;
import org.oobnet.packet.ring.RxRing;
import org.oobnet.packet.ring.TxRing;
import org.oobnet.packet.stats.PacketCounters;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.oobnet.inband.SocketConstants.*;

/**
 * {@code AF_PACKET}/{@code SOCK_RAW} with out-of-band I/O over PACKET_MMAP TPACKET_V2 rings: EVL's packet
 * protocol ({@code kernel/evl/net/packet/packet.c}) for the JVM.
 * <p>
 * In-band, the {@link #bind} post-hook sets TPACKET_V2, creates and maps the RX and TX rings, applies the options
 * and memberships of the {@link PacketConfig}, and hands the rings to the stage with a {@link StageCommand}. At
 * close, oob-core takes the socket off the stage (the stage stops touching the rings and acknowledges) before
 * {@link #release} runs; only then are the rings unmapped. Each bound socket's {@link PacketSocketState} is a
 * {@link org.oobnet.core.StageDevice} of its own (it owns its ring pair): the stage polls its RX ring (zero copy)
 * and kicks its TX ring once per cycle ({@code send(fd, NULL, 0, MSG_DONTWAIT)}); {@link #send}/{@link #claim}/
 * {@link #commit} fill TX frames.
 * <p>
 * <b>Note:</b> one instance serves every packet socket of a runtime; per-socket state is a
 * {@link PacketSocketState}.
 */
public final class PacketProtocol implements OobProtocol
{
    private final PacketConfig config;
    private final PacketPorts ports = new PacketPorts();

    /**
     * The protocol with the default configuration (what {@link java.util.ServiceLoader} makes).
     */
    public PacketProtocol()
    {
        this(PacketConfig.defaults());
    }

    /**
     * The protocol with a configuration.
     *
     * @param config ring geometry, options, enabled interfaces.
     */
    public PacketProtocol(final PacketConfig config)
    {
        this.config = config;
    }

    /**
     * The configuration.
     *
     * @return the configuration sockets are made with.
     */
    public PacketConfig config()
    {
        return config;
    }

    /**
     * The bound sockets of this protocol, by interface ({@code oobnet net query}).
     *
     * @return the ports.
     */
    public PacketPorts ports()
    {
        return ports;
    }

    @Override
    public int family()
    {
        return AF_PACKET;
    }

    @Override
    public String name()
    {
        return "packet";
    }

    @Override
    public int match(final int type, final int protocol)
    {
        if (type != SOCK_RAW)
        {
            // EVL serves raw frames only; SOCK_DGRAM packet sockets stay in-band
            return -Errno.ESOCKTNOSUPPORT;
        }
        return 0 <= protocol && protocol <= 0xffff ? 0 : -Errno.EPROTONOSUPPORT;
    }

    /**
     * In-band, before {@code socket()} returns: the per-socket state and its counters in the runtime's counters
     * file ({@code -ENOBUFS} when the file is full).
     */
    @Override
    public int attach(final OobSocket socket)
    {
        final ProtocolCounters counters = socket.newProtocolCounters(PacketCounters.types());
        if (null == counters)
        {
            // the runtime's counters file is full
            return -Errno.ENOBUFS;
        }
        socket.protocolState(new PacketSocketState(socket, config, new PacketCounters(counters)));
        // the runtime's capture file, beside its counters file, so that oobnet capture can reach the rings
        CaptureTaps.serve(socket.runtime().countersPath().getParent());
        return 0;
    }

    /**
     * In-band, after the kernel bound the socket to an interface: rings, options, memberships, then the rings go
     * to the stage. A second bind (to another interface) keeps the rings: they belong to the socket.
     */
    @Override
    public int bind(final OobSocket socket, final MemorySegment address)
    {
        final PacketSocketState state = PacketSocketState.of(socket);
        if (address.byteSize() < SockaddrLlDescriptor.LENGTH)
        {
            return -Errno.EINVAL;
        }
        final int ifIndex = address.get(ValueLayout.JAVA_INT, SockaddrLlDescriptor.IFINDEX_OFFSET);
        final ErrnoCapture errno = ErrnoCapture.current();
        final int fd = socket.ksocket().fd();
        final InterfaceInfo info = ifIndex > 0 ? InterfaceInfo.query(errno, fd, ifIndex) : null;
        if (null == info)
        {
            // EVL binds packet sockets to one device; ifindex 0 (all devices) has no single ring to serve
            return -Errno.ENODEV;
        }
        if (!config.isEnabled(info.name()))
        {
            // not an OOB port: the configuration did not enable this interface
            return -Errno.ENODEV;
        }

        synchronized (state)
        {
            if (null != state.rings())
            {
                state.bound(state.rings(), ifIndex, info.name());
                ports.register(state);
                return 0;
            }
            // the first bind puts the socket on the stage serving its interface, before its rings go there
            final int placed = socket.placeOnInterface(info.name());
            if (placed < 0)
            {
                return placed;
            }
            final PacketRingSocket rings;
            try
            {
                rings = PacketRingSocket.attach(fd, info, ringOptions(state));
            }
            catch (final ErrnoException ex)
            {
                return -ex.errno();
            }
            final RxRing rx = rings.rx();
            // a socket sees frames addressed to its interface only, unless it asked for promiscuous membership
            rx.acceptOtherHost(config.promiscuous());
            if (config.verifyFilter())
            {
                rx.verifyFilter(state.filter());
            }
            state.bound(rings, ifIndex, info.name());
            final int installed = socket.runtimeStage().callOnStage(new InstallRings(state, rx, rings.tx()));
            if (installed < 0)
            {
                // -ENOSPC: the stage's device table is full; the rings are unmapped at release
                return installed;
            }
        }
        ports.register(state);
        return 0;
    }

    /**
     * In-band, after the stage acknowledged it no longer touches the socket: the rings are released and unmapped.
     */
    @Override
    public void release(final OobSocket socket)
    {
        final PacketSocketState state = PacketSocketState.of(socket);
        if (null != state)
        {
            unmap(state);
        }
    }

    /**
     * In-band, last reference: unmap if release did not (a failed attach path), forget the port.
     */
    @Override
    public void destroy(final OobSocket socket)
    {
        final PacketSocketState state = PacketSocketState.of(socket);
        if (null != state)
        {
            unmap(state);
            ports.unregister(state);
        }
    }

    private static void unmap(final PacketSocketState state)
    {
        final PacketRingSocket rings = state.takeRings();
        if (null != rings)
        {
            // the stage let go (release and destroy run after its detach): unmap now; the socket stays the caller's
            rings.release();
            rings.close();
        }
    }

    // in-band: the rings, options and memberships of the configuration, counted in the socket's counters
    private PacketRingOptions ringOptions(final PacketSocketState state)
    {
        final long[] macs = config.multicastGroups().stream().mapToLong(PacketConfig::multicastMac).toArray();
        return new PacketRingOptions()
            .rxRing(config.rxGeometry())
            .txRing(config.txGeometry())
            .qdiscBypass(config.qdiscBypass())
            .ignoreOutgoing(config.ignoreOutgoing())
            .promiscuous(config.promiscuous())
            .multicastMacs(macs)
            .counters(state.counters());
    }

    /**
     * In-band option redirect: the rings belong to the runtime ({@code PACKET_RX_RING}, {@code PACKET_TX_RING},
     * {@code PACKET_VERSION} give {@code EBUSY}); {@code SO_ATTACH_FILTER}/{@code SO_DETACH_FILTER} go to the kernel
     * and the attached program is recorded for the stage's re-check.
     */
    @Override
    public int setopt(final OobSocket socket, final int level, final int name, final MemorySegment value)
    {
        final PacketSocketState state = PacketSocketState.of(socket);
        if (level == SOL_PACKET && (name == PACKET_RX_RING || name == PACKET_TX_RING || name == PACKET_VERSION))
        {
            return -Errno.EBUSY;
        }
        if (level == SOL_SOCKET && (name == SO_ATTACH_FILTER || name == SO_DETACH_FILTER))
        {
            // The kernel attaches first: it validates the caller's sock_fprog and the pointer inside it (a bad one
            // is EFAULT, not a read of wild memory here); the stage's copy is then read back from the kernel.
            final ErrnoCapture errno = ErrnoCapture.current();
            final int fd = socket.ksocket().fd();
            final int rc = LibC.setsockopt(errno, fd, level, name, value, (int)value.byteSize());
            if (rc < 0)
            {
                return rc;
            }
            final BpfProgram program = name == SO_ATTACH_FILTER ? SockFilters.attached(errno, fd) : null;
            state.filter(program);
            if (config.verifyFilter())
            {
                socket.runtimeStage().callOnStage(new SetVerifyFilter(state, program));
            }
            return 0;
        }
        return -OobHooks.ENOIOCTLCMD;
    }

    /**
     * In-band option redirect: {@code PACKET_STATISTICS} is read from the kernel (which resets it) and its drops
     * are added to the socket's counters before the caller gets the values.
     */
    @Override
    public int getopt(
        final OobSocket socket, final int level, final int name, final MemorySegment value, final MemorySegment length)
    {
        if (level != SOL_PACKET || name != PACKET_STATISTICS)
        {
            return -OobHooks.ENOIOCTLCMD;
        }
        final int rc = LibC.getsockopt(ErrnoCapture.current(), socket.ksocket().fd(), level, name, value, length);
        if (rc == 0 && value.byteSize() >= TpacketStatsDescriptor.LENGTH)
        {
            PacketSocketState.of(socket).addKernelDrops(
                value.get(ValueLayout.JAVA_INT, TpacketStatsDescriptor.DROPS_OFFSET) & 0xffff_ffffL);
        }
        return rc;
    }

    @Override
    public void onStageDetach(final OobSocket socket)
    {
        final PacketSocketState state = PacketSocketState.of(socket);
        // stage: push what is committed (frames the kernel still refuses are counted) and take the kernel's last RX
        // drops, then let go of the rings; release unmaps them after this cycle's ack
        socket.stage().removeDevice(state);
        state.flushAtDetach();
        state.collectKernelDrops();
        state.rx = null;
        state.tx = null;
    }

    /**
     * Stage: pushes the socket's committed frames now (stage code that wants a reply out before the cycle's flush).
     */
    @Override
    public int flush(final OobSocket socket, final long nowNs)
    {
        return ((PacketSocketState)socket.protocolState()).flush(nowNs);
    }

    /**
     * Stage: copy one whole Ethernet frame into the TX ring.
     *
     * @return the length, {@code -EWOULDBLOCK} when the TX ring is full, {@code -EMSGSIZE}/{@code -EINVAL} for a
     * length the interface cannot send, {@code -ENXIO} before bind (no interface, no ring).
     */
    @Override
    public int send(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
    {
        final TxRing tx = ((PacketSocketState)socket.protocolState()).tx;
        if (null == tx)
        {
            return -Errno.ENXIO;
        }
        return tx.send(buffer, offset, length);
    }

    @Override
    public int claim(final OobSocket socket, final int length, final OobClaim claim)
    {
        final TxRing tx = ((PacketSocketState)socket.protocolState()).tx;
        if (null == tx)
        {
            return -Errno.ENXIO;
        }
        final int rc = tx.claim(length);
        if (rc < 0)
        {
            return rc;
        }
        claim.wrap(tx.buffer(), 0, length, 0);
        return 0;
    }

    @Override
    public int commit(final OobSocket socket, final OobClaim claim)
    {
        final TxRing tx = ((PacketSocketState)socket.protocolState()).tx;
        return null == tx ? -Errno.ENXIO : tx.commit(claim.length());
    }

    @Override
    public void abort(final OobSocket socket, final OobClaim claim)
    {
        final TxRing tx = ((PacketSocketState)socket.protocolState()).tx;
        if (null != tx)
        {
            tx.abort();
        }
    }

    // stage: the rings made in-band start being polled, the socket's state as its device
    private static final class InstallRings extends StageCommand
    {
        private final PacketSocketState state;
        private final RxRing rx;
        private final TxRing tx;

        InstallRings(final PacketSocketState state, final RxRing rx, final TxRing tx)
        {
            this.state = state;
            this.rx = rx;
            this.tx = tx;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            state.rx = rx;
            state.tx = tx;
            if (!state.socket().isOnStage())
            {
                // not on the stage (its table was full): no detach would ever remove the device
                return 0;
            }
            final int rc = stage.addDevice(state);
            return rc == -Errno.EEXIST ? 0 : rc;
        }
    }

    // stage: the filter the stage re-runs over frames already in the ring
    private static final class SetVerifyFilter extends StageCommand
    {
        private final PacketSocketState state;
        private final BpfProgram program;

        SetVerifyFilter(final PacketSocketState state, final BpfProgram program)
        {
            this.state = state;
            this.program = program;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            final RxRing rx = state.rx;
            if (null != rx)
            {
                rx.verifyFilter(program);
            }
            return 0;
        }
    }
}
