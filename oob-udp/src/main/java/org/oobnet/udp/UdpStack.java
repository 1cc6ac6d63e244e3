package org.oobnet.udp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.oobnet.config.InterfaceConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobStage;
import org.oobnet.core.RuntimeStage;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.packet.capture.CaptureTaps;
import org.oobnet.udp.demux.DemuxTable;
import org.oobnet.udp.route.Link;
import org.oobnet.udp.route.RouteResolver;
import org.oobnet.udp.route.RtnetlinkSocket;

/**
 * Everything OOB UDP shares within one network namespace: the route and neighbour resolver with its front caches,
 * the demultiplexing table, the packet ports of the enabled interfaces, and the {@link UdpOobProtocol} to register
 * with the core ({@code registry.register(AF_INET, stack.protocol())}).
 * <p>
 * The ports are the stack's {@link org.oobnet.core.StageDevice devices}: they go on the stage of the runtime with
 * the first OOB UDP socket attached and leave it after the last one is destroyed, so the stage polls each port once
 * per cycle whatever the number of sockets, and never polls a port no socket uses. One port per (stage, interface):
 * each enabled interface has its port on the stage serving it ({@code OobRuntime.stageForInterface}); a socket
 * placed on another stage that receives on the interface (named onto that stage, then bound to the interface's
 * address or device, or wildcard-bound) gets a port of its own stage on it ({@link #servePorts}), opened then and
 * closed after the last socket. Each port delivers only to its own stage's sockets, so no ring and no device is
 * shared between stages; the kernel copies each frame of that interface into both rings.
 * <p>
 * <b>Note:</b> open and close in-band, on a thread inside the namespace it serves; close it after every socket it
 * served was closed (the stage then no longer reads the ports' rings), before or after the runtime closes.
 */
public final class UdpStack implements AutoCloseable
{
    private final UdpStackConfig config;
    private final RouteResolver resolver;
    private final DemuxTable<UdpSocketState> demux;
    private final PacketPort[] portsByIfindex;
    private final List<PacketPort> ports;
    private final UdpOobProtocol protocol;
    private final AtomicInteger liveSockets = new AtomicInteger();
    private final int minPortMtu;
    private final Object devicesLock = new Object();
    // in-band, under devicesLock: the runtime whose stages poll the ports, null when none does
    private OobRuntime portsOn;
    private final List<InterfaceConfig> settings;
    // each stage's ports by ifindex, swapped in-band under devicesLock (read by the stages); a port is used only
    // from its own stage
    private volatile StagePorts table = StagePorts.EMPTY;
    // in-band, under devicesLock: the ports opened for a stage that does not serve their interface (servePorts)
    private final List<PacketPort> extraPorts = new ArrayList<>();
    // per stage (RuntimeStage.index()): the in-band fallback's scratch, each stage's own
    private volatile StageScratch[] scratch = new StageScratch[0];
    private int socketsOnPorts;

    /**
     * Opens the stack in the calling thread's network namespace: the resolver (its thread started) and a packet
     * port per enabled interface.
     *
     * @param config the settings.
     * @return the stack.
     * @throws ErrnoException naming the interface and step that failed.
     */
    public static UdpStack open(final UdpStackConfig config) throws ErrnoException
    {
        final RouteResolver resolver = new RouteResolver();
        final List<PacketPort> ports = new ArrayList<>();
        final UdpStack stack;
        try
        {
            final ErrnoCapture errno = ErrnoCapture.current();
            int minMtu = Integer.MAX_VALUE;
            // the demux table is shared by every port: create the stack's table first, then the ports on it
            final DemuxTable<UdpSocketState> demux = new DemuxTable<>();
            // the TX kicks run on the stage serving the port: one capture block per port (stages may differ)
            try (RtnetlinkSocket netlink = RtnetlinkSocket.open(0))
            {
                for (final InterfaceConfig settings : config.interfaces())
                {
                    final int ifindex = ifindexOf(errno, settings.name());
                    final Link link = netlink.getLink(ifindex);
                    minMtu = Math.min(minMtu, link.mtu());
                    ports.add(PacketPort.open(settings, link.mtu(), demux, config.verifyUdpChecksum(),
                        config.reassembly()));
                }
            }
            stack = new UdpStack(config, resolver, ports, Integer.MAX_VALUE == minMtu ? 65535 : minMtu, demux);
        }
        catch (final ErrnoException | RuntimeException ex)
        {
            for (final PacketPort port : ports)
            {
                port.close();
            }
            resolver.close();
            throw ex;
        }
        resolver.start(config.refreshIntervalMs());
        return stack;
    }

    private UdpStack(
        final UdpStackConfig config,
        final RouteResolver resolver,
        final List<PacketPort> ports,
        final int minPortMtu,
        final DemuxTable<UdpSocketState> demux)
    {
        this.config = config;
        this.resolver = resolver;
        this.ports = List.copyOf(ports);
        int maxIfindex = 0;
        for (final PacketPort port : ports)
        {
            maxIfindex = Math.max(maxIfindex, port.ifindex());
        }
        this.portsByIfindex = new PacketPort[maxIfindex + 1];
        this.settings = List.copyOf(config.interfaces());
        for (final PacketPort port : ports)
        {
            portsByIfindex[port.ifindex()] = port;
            port.servedBy(this, config.rxPollLimit());
        }
        this.minPortMtu = minPortMtu;
        this.demux = demux;
        this.protocol = new UdpOobProtocol(this);
    }

    /**
     * @return the settings.
     */
    public UdpStackConfig config()
    {
        return config;
    }

    /**
     * @return the protocol to register under {@code AF_INET}.
     */
    public UdpOobProtocol protocol()
    {
        return protocol;
    }

    /**
     * @return the resolver and its front caches.
     */
    public RouteResolver resolver()
    {
        return resolver;
    }

    /**
     * @return the demultiplexing table.
     */
    public DemuxTable<UdpSocketState> demux()
    {
        return demux;
    }

    /**
     * @return the packet ports, one per enabled interface.
     */
    public List<PacketPort> ports()
    {
        return ports;
    }

    /**
     * Stage or any thread: the port of an interface.
     *
     * @param ifindex the interface index.
     * @return the port, or null when the interface is not enabled.
     */
    public PacketPort port(final int ifindex)
    {
        final PacketPort[] ports = portsByIfindex;
        return ifindex >= 0 && ifindex < ports.length ? ports[ifindex] : null;
    }

    /**
     * Stage: the port of an interface if the given stage serves it (a port is used only from its own stage).
     *
     * @param ifindex the interface index.
     * @param stage   the stage asking (the socket's).
     * @return the port, or null when the interface is not enabled or another stage serves it.
     */
    public PacketPort port(final int ifindex, final OobStage stage)
    {
        final PacketPort[] ports = table.of(stage);
        return null != ports && ifindex >= 0 && ifindex < ports.length ? ports[ifindex] : null;
    }

    /**
     * Stage, at a switch of a socket's TX timestamps or as it leaves the stage: each of the stage's ports reports
     * what it still owes the socket ({@link PacketPort#settleTxSends}), so none reports to it later.
     *
     * @param stage the stage (the caller's).
     * @param state the socket.
     */
    void settleTxSends(final OobStage stage, final UdpSocketState state)
    {
        final PacketPort[] ports = table.of(stage);
        if (null == ports)
        {
            return;
        }
        for (int i = 0; i < ports.length; i++)
        {
            final PacketPort port = ports[i];
            if (null != port)
            {
                port.settleTxSends(state);
            }
        }
    }

    /**
     * @param ifname an interface name.
     * @return its port, or null when the interface is not enabled.
     */
    PacketPort portNamed(final String ifname)
    {
        for (final PacketPort port : ports)
        {
            if (port.name().equals(ifname))
            {
                return port;
            }
        }
        return null;
    }

    /**
     * Stage: the first port the given stage serves.
     *
     * @param stage the stage asking.
     * @return the port, or null when it serves none.
     */
    PacketPort firstPort(final OobStage stage)
    {
        final PacketPort[] own = table.of(stage);
        if (null != own)
        {
            for (int i = 0, n = ports.size(); i < n; i++)
            {
                final PacketPort port = own[ports.get(i).ifindex()];
                if (null != port)
                {
                    return port;
                }
            }
        }
        return null;
    }

    /**
     * @return the smallest MTU of the enabled interfaces (65535 when none).
     */
    public int minPortMtu()
    {
        return minPortMtu;
    }

    /**
     * @return OOB UDP sockets attached and not yet destroyed.
     */
    public int liveSockets()
    {
        return liveSockets.get();
    }

    // stage: the in-band fallback send's scratch of the stage serving the socket
    InbandSend inbandSend(final org.oobnet.core.OobSocket socket)
    {
        return scratch[socket.runtimeStage().index()].send;
    }

    // what a stage's sends use: made in-band when the first socket arrives, never shared between stages
    private static final class StageScratch
    {
        final InbandSend send = new InbandSend();
    }

    /**
     * In-band, from the attach hook: the first socket puts the ports on its runtime's stages, each on the stage
     * that serves its interface.
     *
     * @param runtime the runtime serving the socket.
     * @return 0, or the negative errno of adding a port ({@code -ENOSPC}).
     */
    int onAttach(final OobRuntime runtime)
    {
        synchronized (devicesLock)
        {
            if (0 == socketsOnPorts)
            {
                final StageScratch[] scratch = new StageScratch[runtime.stages().size()];
                for (int i = 0; i < scratch.length; i++)
                {
                    scratch[i] = new StageScratch();
                }
                this.scratch = scratch;
                StagePorts next = StagePorts.of(runtime.stages(), portsByIfindex.length);
                for (int i = 0; i < ports.size(); i++)
                {
                    final PacketPort port = ports.get(i);
                    final RuntimeStage stage = runtime.stageForInterface(port.name());
                    port.servedOn(stage.stage());
                    final int rc = stage.addDevice(port);
                    if (rc < 0)
                    {
                        for (int j = 0; j < i; j++)
                        {
                            runtime.stageForInterface(ports.get(j).name()).removeDevice(ports.get(j));
                        }
                        return rc;
                    }
                    next = next.with(stage.index(), port);
                }
                table = next;
                portsOn = runtime;
                // the ports' rings become capturable by oobnet capture (the file beside the counters file)
                CaptureTaps.serve(runtime.countersPath().getParent());
            }
            else if (portsOn != runtime)
            {
                // FIXME: one runtime at a time serves a stack; sockets of two live runtimes would need the ports twice
                return -Errno.EBUSY;
            }
            socketsOnPorts++;
            liveSockets.incrementAndGet();
            return 0;
        }
    }

    /**
     * In-band, from the socket's bind, connect or {@code SO_BINDTODEVICE} hook once it is placed: gives its stage a
     * port on each interface the socket receives on, unless the stage has one (the interface's own port when the
     * stage serves it). Opened in the calling thread's network namespace, which must be the stack's.
     *
     * @param stage  the socket's stage, or the one it is about to move to.
     * @param ifname the interface, or null for every enabled interface (a wildcard-bound socket).
     * @param socket the socket: a failure is named on it ({@link OobSocket#failInband}: stage, interface, step).
     * @return 0; {@code -EXDEV} when the interface seen from this thread is not the stack's (another namespace),
     * or the negative errno of opening the port or adding it to the stage. Ports opened before a failure stay
     * (closed with the stack's last socket, as the others).
     */
    int servePorts(final RuntimeStage stage, final String ifname, final OobSocket socket)
    {
        synchronized (devicesLock)
        {
            if (null == portsOn || portsOn.stage(stage.name()) != stage)
            {
                return 0; // the ports are on no stage of this runtime: the socket's attach did not put them there
            }
            for (int i = 0; i < ports.size(); i++)
            {
                final PacketPort primary = ports.get(i);
                if ((null != ifname && !ifname.equals(primary.name())) || null != port(primary.ifindex(), stage.stage()))
                {
                    continue;
                }
                final PacketPort port;
                try
                {
                    port = PacketPort.open(settings.get(i), primary.mtu(), demux, config.verifyUdpChecksum(),
                        config.reassembly());
                }
                catch (final ErrnoException ex)
                {
                    return socket.failInband(-ex.errno(), portFailure(stage, primary, "open port"));
                }
                if (port.ifindex() != primary.ifindex() || port.mac() != primary.mac())
                {
                    port.close(); // the caller's namespace has another interface of that name
                    return socket.failInband(-Errno.EXDEV, portFailure(stage, primary, "same interface"));
                }
                port.servedBy(this, config.rxPollLimit());
                port.servedOn(stage.stage());
                final int rc = stage.addDevice(port);
                if (rc < 0)
                {
                    port.close();
                    return socket.failInband(rc, portFailure(stage, primary, "add device"));
                }
                extraPorts.add(port);
                table = table.with(stage.index(), port);
            }
            return 0;
        }
    }

    private static String portFailure(final RuntimeStage stage, final PacketPort primary, final String step)
    {
        return "stage=" + stage.name() + " interface=" + primary.name() + " step=" + step;
    }

    /**
     * In-band, from the destroy hook (the stage let go of the socket): after the last socket the ports leave the
     * stages, and those opened for a stage that does not serve their interface are closed; when this returns no
     * stage reads their rings.
     */
    void onDestroy()
    {
        synchronized (devicesLock)
        {
            liveSockets.decrementAndGet();
            if (0 == --socketsOnPorts)
            {
                for (final PacketPort port : ports)
                {
                    portsOn.stageForInterface(port.name()).removeDevice(port);
                }
                final StagePorts on = table;
                table = StagePorts.EMPTY;
                for (final PacketPort port : extraPorts)
                {
                    portsOn.stages().get(on.indexOf(port)).removeDevice(port);
                    port.close();
                }
                extraPorts.clear();
                portsOn = null;
            }
        }
    }

    /**
     * Stage: kicks every TX ring of the calling stage's ports that has frames pending now, before the cycle's own flush (stage code that
     * wants a reply out at once).
     *
     * @param nowNs the stage's clock.
     * @return frames kicked.
     */
    int flushPorts(final long nowNs, final OobStage stage)
    {
        final PacketPort[] own = table.of(stage);
        int work = 0;
        if (null != own)
        {
            for (int i = 0, n = own.length; i < n; i++)
            {
                final PacketPort port = own[i];
                if (null != port)
                {
                    work += Math.max(0, port.flush(nowNs));
                }
            }
        }
        return work;
    }

    // each stage's ports by ifindex (rows by RuntimeStage.index()); immutable, swapped whole
    private record StagePorts(OobStage[] stages, PacketPort[][] ports)
    {
        static final StagePorts EMPTY = new StagePorts(new OobStage[0], new PacketPort[0][]);

        static StagePorts of(final List<RuntimeStage> stages, final int ifindexes)
        {
            final OobStage[] keys = new OobStage[stages.size()];
            final PacketPort[][] rows = new PacketPort[stages.size()][];
            for (int i = 0; i < keys.length; i++)
            {
                keys[i] = stages.get(i).stage();
                rows[i] = new PacketPort[ifindexes];
            }
            return new StagePorts(keys, rows);
        }

        // stage: the row of a stage, null when it has none (identity: a handful of stages)
        PacketPort[] of(final OobStage stage)
        {
            final OobStage[] stages = this.stages;
            for (int i = 0; i < stages.length; i++)
            {
                if (stages[i] == stage)
                {
                    return ports[i];
                }
            }
            return null;
        }

        StagePorts with(final int stageIndex, final PacketPort port)
        {
            final PacketPort[][] rows = ports.clone();
            rows[stageIndex] = rows[stageIndex].clone();
            rows[stageIndex][port.ifindex()] = port;
            return new StagePorts(stages, rows);
        }

        int indexOf(final PacketPort port)
        {
            for (int i = 0; i < ports.length; i++)
            {
                if (ports[i][port.ifindex()] == port)
                {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * In-band: stops the resolver and closes the ports. Refuses to unmap rings while OOB UDP sockets live (the
     * stage could still read them): those ports are left mapped and the refusal is reported.
     *
     * @throws IllegalStateException when sockets are still open (after stopping the resolver).
     */
    @Override
    public void close()
    {
        resolver.close();
        final int live = liveSockets.get();
        if (0 != live)
        {
            throw new IllegalStateException("UdpStack.close with liveSockets=" + live +
                ": rings left mapped (close the sockets first)");
        }
        for (final PacketPort port : ports)
        {
            port.close();
        }
    }

    private static int ifindexOf(final ErrnoCapture errno, final String name) throws ErrnoException
    {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined())
        {
            final int ifindex = LibC.ifNameToIndex(errno, arena.allocateFrom(name));
            if (ifindex <= 0)
            {
                throw new ErrnoException("if_nametoindex", 0 == ifindex ? Errno.ENODEV : -ifindex,
                    "interface=" + name);
            }
            return ifindex;
        }
    }
}
