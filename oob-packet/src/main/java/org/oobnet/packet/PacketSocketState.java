package org.oobnet.packet;

import org.agrona.DirectBuffer;
import org.oobnet.inband.KSocketEvent;
import org.oobnet.core.DeviceHealth;
import org.oobnet.core.OobSocket;
import org.oobnet.core.StageDevice;
import org.oobnet.core.counters.StageHops;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.SockaddrLlDescriptor;
import org.oobnet.packet.bpf.BpfProgram;
import org.oobnet.packet.port.PortState;
import org.oobnet.packet.ring.KernelDropReader;
import org.oobnet.packet.ring.PacketFrameHandler;
import org.oobnet.packet.ring.PacketRingMapping;
import org.oobnet.packet.ring.PacketRingSocket;
import org.oobnet.packet.ring.RxRing;
import org.oobnet.packet.ring.TxRing;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.packet.stats.PacketCounters;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The per-socket state of an OOB packet socket: its rings, counters, port state and receive callback. Once bound
 * it is the socket's {@link StageDevice}: a raw socket owns its ring pair, so the stage polls it as a device of its
 * own (added when the rings are installed, removed when the socket leaves the stage).
 * <p>
 * In-band fields (mapping, interface) are written by the hooks under this object's monitor; stage fields
 * ({@link #rx}, {@link #tx}) are written only by stage commands and read only on the stage. Native scratch for
 * the stage's syscalls is allocated once here, so the stage allocates nothing.
 * <p>
 * <b>Note:</b> mixed: each method says its stage.
 */
public final class PacketSocketState implements PacketFrameHandler, StageDevice
{
    private final OobSocket socket;
    private final PacketConfig config;
    private final PacketCounters counters;
    private final MemorySegment scratch;
    private final MemorySegment scratchLength;
    private final KernelDropReader kernelDrops;

    // stage only
    RxRing rx;
    TxRing tx;
    private long nextHealthCheckNs;
    private boolean errorRaised;
    private boolean disconnectRaised;

    // in-band, under this
    private PacketRingSocket rings;
    private String interfaceName;
    private BpfProgram filter;

    private volatile int ifIndex;
    private volatile PortState portState = PortState.UNBOUND;
    private volatile int lastSocketErrno;
    private volatile PacketFrameHandler frameHandler;

    // whether onFrame is handling the first frame of this RX poll (stage only)
    private boolean firstOfPoll;

    PacketSocketState(final OobSocket socket, final PacketConfig config, final PacketCounters counters)
    {
        this.socket = socket;
        this.config = config;
        this.counters = counters;
        final Arena arena = Arena.ofAuto();
        this.scratch = arena.allocate(SockaddrLlDescriptor.LENGTH, 8);
        this.scratchLength = arena.allocate(ValueLayout.JAVA_INT);
        this.kernelDrops = new KernelDropReader(socket.ksocket().fd(), counters, arena);
    }

    /**
     * The packet state of an OOB packet socket.
     *
     * @param socket an OOB socket served by {@link PacketProtocol}.
     * @return its state, or null when the socket is not an OOB packet socket.
     */
    public static PacketSocketState of(final OobSocket socket)
    {
        return null != socket && socket.protocolState() instanceof final PacketSocketState state ? state : null;
    }

    /**
     * Any thread, before traffic: take received frames zero-copy with their metadata on the stage, instead of
     * {@link OobSocket#deliver} (stage receive handler or receive ring).
     *
     * @param handler the callback, run on the stage; null goes back to {@link OobSocket#deliver}.
     */
    public void frameHandler(final PacketFrameHandler handler)
    {
        this.frameHandler = handler;
    }

    /**
     * The socket's counters, in the runtime's counters file (freed by oob-core when the socket is destroyed).
     *
     * @return the counters, readable from any thread.
     */
    public PacketCounters counters()
    {
        return counters;
    }

    /**
     * The port's state.
     *
     * @return the state.
     */
    public PortState portState()
    {
        return portState;
    }

    /**
     * The errno of the last error the kernel reported on the socket, 0 when none.
     *
     * @return a positive errno or 0.
     */
    public int lastSocketErrno()
    {
        return lastSocketErrno;
    }

    /**
     * The interface the socket is bound to.
     *
     * @return its index, 0 when unbound.
     */
    public int ifIndex()
    {
        return ifIndex;
    }

    /**
     * The bound interface's name.
     *
     * @return the name, or null when unbound.
     */
    public synchronized String interfaceName()
    {
        return interfaceName;
    }

    /**
     * The ring mapping.
     *
     * @return the mapping, or null before bind.
     */
    public synchronized PacketRingMapping mapping()
    {
        return null == rings ? null : rings.mapping();
    }

    synchronized PacketRingSocket rings()
    {
        return rings;
    }

    /**
     * The configuration the socket was made with.
     *
     * @return the configuration.
     */
    public PacketConfig config()
    {
        return config;
    }

    /**
     * The OOB socket.
     *
     * @return the socket.
     */
    public OobSocket socket()
    {
        return socket;
    }

    synchronized void bound(final PacketRingSocket rings, final int ifIndex, final String interfaceName)
    {
        this.rings = rings;
        this.ifIndex = ifIndex;
        this.interfaceName = interfaceName;
        this.portState = PortState.UP;
    }

    synchronized void filter(final BpfProgram program)
    {
        this.filter = program;
    }

    synchronized BpfProgram filter()
    {
        return filter;
    }

    synchronized PacketRingSocket takeRings()
    {
        final PacketRingSocket taken = rings;
        rings = null;
        portState = PortState.CLOSED;
        return taken;
    }

    /**
     * Stage: a frame from the RX ring.
     */
    @Override
    public void onFrame(
        final DirectBuffer buffer, final int offset, final int length, final int wireLength, final long timestampNs,
        final int vlanTci, final int ifIndex)
    {
        // the pickup boundary (StageHops): the frame is off the ring; this socket is the one that delivers it
        final StageHops hops = socket.stage().hops();
        final long pickupNs = hops.pickupNs();
        final TxRing tx = this.tx;
        final int pending = null == tx ? 0 : tx.pending();
        final PacketFrameHandler handler = frameHandler;
        if (null != handler)
        {
            handler.onFrame(buffer, offset, length, wireLength, timestampNs, vlanTci, ifIndex);
        }
        else if (socket.deliver(buffer, offset, length) < 0)
        {
            return;
        }
        // FIXME: a socket that asked for raw hardware stamps gets the NIC's clock here, not CLOCK_REALTIME
        final boolean replied = null != tx && tx.pending() != pending;
        hops.onDelivered(timestampNs, pickupNs, replied);
        if (replied && firstOfPoll)
        {
            // the first frame's reply leaves now, as the C floor's does: before this frame goes back to the kernel
            // and before the next slot's header is read (a line one ring lap cold, a cache miss on the round trip),
            // and before the rest of the duty cycle; a burst's later replies leave together at the cycle's flush
            flush(socket.stage().nowNs());
        }
        firstOfPoll = false;
    }

    @Override
    public String name()
    {
        return "packet socket fd=" + socket.ksocket().fd() + " " + (null == interfaceName ? "-" : interfaceName);
    }

    @Override
    public DeviceHealth health()
    {
        return switch (portState)
        {
            case UP, UNBOUND -> DeviceHealth.UP;
            case ERROR -> DeviceHealth.ERROR;
            case DISCONNECTED, CLOSED -> DeviceHealth.DOWN;
        };
    }

    @Override
    public int attachedSockets()
    {
        return 1;
    }

    /**
     * Stage: the RX work of one cycle, with the kernel's RX drops read when the ring says they are due
     * ({@link RxRing#takeDropsDue()}: a burst that overflowed it was drained, or a frame came flagged
     * {@code TP_STATUS_LOSING}); and, every health-check interval, the kernel's socket error and binding (and the
     * drops again).
     */
    @Override
    public int poll(final long nowNs)
    {
        final RxRing rx = this.rx;
        if (null == rx)
        {
            return 0;
        }
        firstOfPoll = true;
        final int frames = rx.poll(this, config.rxBatchLimit());
        if (frames > 0 && portState == PortState.ERROR)
        {
            portState = PortState.UP;
            errorRaised = false;
        }
        if (rx.takeDropsDue())
        {
            collectKernelDrops();
        }
        if (nowNs - nextHealthCheckNs >= 0)
        {
            nextHealthCheckNs = nowNs + config.healthCheckIntervalNs();
            checkHealth();
        }
        return frames;
    }

    /**
     * Stage: one kick for every frame committed and not yet sent (a failed kick is retried, backed off).
     */
    @Override
    public int flush(final long nowNs)
    {
        final TxRing tx = this.tx;
        if (null == tx)
        {
            return 0;
        }
        return afterKick(tx.flush(nowNs, socket.stage().hops()));
    }

    // stage, the socket leaving the stage: a last kick whatever the back-off, then count what stays unsent
    void flushAtDetach()
    {
        final TxRing tx = this.tx;
        if (null != tx)
        {
            afterKick(tx.flushAtClose());
        }
    }

    private int afterKick(final int rc)
    {
        if (rc < 0)
        {
            // the ring counted the failed kick
            raiseError(-rc);
            return 0;
        }
        if (rc > 0 && portState == PortState.ERROR)
        {
            portState = PortState.UP;
            errorRaised = false;
        }
        return rc;
    }

    // stage: read PACKET_STATISTICS (reset on read) into the drop counter
    void collectKernelDrops()
    {
        kernelDrops.collect();
    }

    // any thread: drops read from PACKET_STATISTICS
    void addKernelDrops(final long drops)
    {
        if (drops > 0)
        {
            counters.addAtomic(PacketCounter.KERNEL_DROPS, drops);
        }
    }

    // stage: the kernel's pending socket error (interface down) and binding (interface deleted)
    private void checkHealth()
    {
        final int fd = socket.ksocket().fd();
        collectKernelDrops();
        scratchLength.set(ValueLayout.JAVA_INT, 0, 4);
        if (0 == LibC.getsockoptQuiet(fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_ERROR, scratch, scratchLength))
        {
            final int error = scratch.get(ValueLayout.JAVA_INT, 0);
            if (0 != error)
            {
                reportError(error);
            }
        }
        if (!disconnectRaised && portState != PortState.UNBOUND)
        {
            scratchLength.set(ValueLayout.JAVA_INT, 0, SockaddrLlDescriptor.LENGTH);
            if (0 == LibC.getsocknameQuiet(fd, scratch, scratchLength))
            {
                final int boundIndex = scratch.get(ValueLayout.JAVA_INT, SockaddrLlDescriptor.IFINDEX_OFFSET);
                // NETDEV_UNREGISTER leaves the packet socket bound to ifindex -1
                if (boundIndex <= 0 && ifIndex > 0)
                {
                    disconnectRaised = true;
                    portState = PortState.DISCONNECTED;
                    socket.raise(KSocketEvent.DISCONNECTED, 0);
                }
            }
        }
    }

    private void reportError(final int errno)
    {
        counters.increment(PacketCounter.SOCKET_ERRORS);
        raiseError(errno);
    }

    private void raiseError(final int errno)
    {
        lastSocketErrno = errno;
        if (portState == PortState.UP)
        {
            portState = PortState.ERROR;
        }
        if (!errorRaised)
        {
            // raise once per episode: a down interface makes every kick fail
            errorRaised = true;
            socket.raise(KSocketEvent.ERROR, errno);
        }
    }

    @Override
    public String toString()
    {
        return "packet " + (null == interfaceName ? "-" : interfaceName) + " fd=" + socket.ksocket().fd() + " " +
            portState;
    }
}
