package org.oobnet.packet.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.SockAddr;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.PacketMreqDescriptor;
import org.oobnet.inband.sys.SockaddrLlDescriptor;
import org.oobnet.packet.bpf.SockFilters;
import org.oobnet.packet.capture.CaptureTap;
import org.oobnet.packet.capture.CaptureTaps;
import org.oobnet.packet.port.InterfaceInfo;
import org.oobnet.packet.stats.PacketCounters;

import static org.oobnet.inband.SocketConstants.AF_PACKET;
import static org.oobnet.inband.SocketConstants.PACKET_ADD_MEMBERSHIP;
import static org.oobnet.inband.SocketConstants.PACKET_MR_MULTICAST;
import static org.oobnet.inband.SocketConstants.PACKET_MR_PROMISC;
import static org.oobnet.inband.SocketConstants.SOCK_CLOEXEC;
import static org.oobnet.inband.SocketConstants.SOCK_RAW;
import static org.oobnet.inband.SocketConstants.SOL_PACKET;

/**
 * The one way this runtime opens a PACKET_MMAP socket: {@code AF_PACKET} socket, filter, memberships,
 * TPACKET_V2 rings and their options, {@code mmap}, bind, then the {@link RxRing}, {@link TxRing} and
 * {@link KernelDropReader} over them; and the one close path.
 * <p>
 * {@link #open} makes and owns the socket. It is created with protocol 0, which taps nothing, and bound to the
 * EtherType only once the filter and the rings are in place, so that neither a foreign frame nor one from another
 * interface ever lands in the ring. {@link #attach} sets up the rings of a socket someone else made and bound (the
 * {@code bind} hook of an OOB packet socket) and leaves that socket open at close.
 * <p>
 * Closing: a read of unmapped ring memory is a JVM crash, and a kick on a closed and reused descriptor would send
 * on someone else's socket. So the rings are unmapped, and an owned socket closed, only once both happened: the
 * rings' user let go of them ({@link #release}: the stage acknowledged its detach, or the owning thread stopped
 * polling) and the owner asked for the close ({@link #close}), in either order, exactly once. Just before the unmap,
 * the RX ring's frames nobody read are counted ({@link RxRing#countUnreadAtClose}), as the TX ring's user counts
 * the frames the kernel never sent ({@link TxRing#flushAtClose}).
 * <p>
 * Errors: {@link ErrnoException} naming the step ({@code socket}, {@code setsockopt PACKET_RX_RING}, {@code bind},
 * ...), the errno and the interface; bad options are an {@link IllegalArgumentException} naming every value,
 * before any system call. A failed open leaves nothing mapped or open.
 * <p>
 * <b>Note:</b> opened and closed in-band; {@link #release} and {@link #close} are thread safe. The rings are
 * used by one thread at a time (the stage, or the owning thread).
 */
public final class PacketRingSocket implements AutoCloseable
{
    private static final int ETHERNET_HEADER_LENGTH = 14;

    private final int fd;
    private final boolean ownsSocket;
    private final InterfaceInfo link;
    private final PacketRingMapping mapping;
    private final PacketCounters counters;
    private final RxRing rx;
    private final TxRing tx;
    private final KernelDropReader kernelDrops;
    private final CaptureTap rxCapture;
    private final CaptureTap txCapture;

    // in-band, under this
    private boolean released;
    private boolean closeRequested;
    private boolean closed;

    private PacketRingSocket(
        final int fd, final boolean ownsSocket, final InterfaceInfo link, final PacketRingMapping mapping,
        final PacketRingOptions options)
    {
        this.fd = fd;
        this.ownsSocket = ownsSocket;
        this.link = link;
        this.mapping = mapping;
        this.counters = null == options.counters() ? new PacketCounters() : options.counters();
        this.rx = new RxRing(mapping.rxRing(), mapping.rxGeometry(), counters);
        final int maxFrame = options.txMaxFrameLength() > 0 ? options.txMaxFrameLength() :
            link.mtu() + ETHERNET_HEADER_LENGTH;
        this.tx = null == mapping.txRing() ? null : new TxRing(mapping.txRing(), mapping.txGeometry(), fd, maxFrame,
            counters);
        this.kernelDrops = new KernelDropReader(fd, counters, Arena.ofAuto());
        // every ring has a tap: raw OOB packet sockets and oob-udp's ports alike (oobnet capture); an RX ring that
        // receives what another one on the interface does (a port of each stage) records only if that one does not
        this.rxCapture = CaptureTaps.register(link.name(), receiveView(ownsSocket, link, options));
        rx.capture(rxCapture);
        this.txCapture = null == tx ? null : CaptureTaps.register(link.name());
        if (null != tx)
        {
            tx.capture(txCapture, link.ifIndex());
        }
    }

    // what the RX ring receives, known for a socket opened here (its EtherType and filter are ours); null for one a
    // caller made and bound, or when the namespace cannot be read
    private static CaptureTaps.ReceiveView receiveView(
        final boolean ownsSocket, final InterfaceInfo link, final PacketRingOptions options)
    {
        if (!ownsSocket)
        {
            return null;
        }
        try
        {
            // the calling thread's namespace: the one the socket was made in (one interface name per namespace)
            final String namespace = java.nio.file.Files.readSymbolicLink(
                java.nio.file.Path.of("/proc/thread-self/ns/net")).toString();
            return new CaptureTaps.ReceiveView(namespace, link.name(), options.etherType(), options.filter(),
                options.ignoreOutgoing(), options.promiscuous());
        }
        catch (final java.io.IOException | UnsupportedOperationException ex)
        {
            return null;
        }
    }

    private void unregisterTaps()
    {
        CaptureTaps.unregister(rxCapture);
        if (null != txCapture)
        {
            CaptureTaps.unregister(txCapture);
        }
    }

    /**
     * In-band: opens an {@code AF_PACKET} socket on {@link PacketRingOptions#interfaceName} of the calling thread's
     * network namespace, with its rings mapped, bound to {@link PacketRingOptions#etherType}.
     *
     * @param options what to open.
     * @return the socket and its rings.
     * @throws ErrnoException naming the step that failed, e.g. {@code if_nametoindex: ENODEV (No such device)
     * interface=eth9}; nothing is left open.
     * @throws IllegalArgumentException naming every bad option (a ring geometry the kernel would refuse).
     */
    public static PacketRingSocket open(final PacketRingOptions options) throws ErrnoException
    {
        options.validate(true);
        final ErrnoCapture errno = ErrnoCapture.current();
        final String name = options.interfaceName();
        final int ifIndex = InterfaceInfo.indexOf(errno, name);
        if (ifIndex <= 0)
        {
            throw new ErrnoException("if_nametoindex", ifIndex < 0 ? ifIndex : -Errno.ENODEV, "interface=" + name);
        }
        // protocol 0: no tap until the bind below, when the filter and the rings are in place
        final int fd = LibC.socket(errno, AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new ErrnoException("socket", fd, "family=AF_PACKET type=SOCK_RAW interface=" + name);
        }
        try
        {
            final InterfaceInfo link = InterfaceInfo.query(errno, fd, ifIndex);
            if (null == link)
            {
                // renamed or deleted between the two lookups
                throw new ErrnoException("ioctl SIOCGIFNAME", Errno.ENODEV, "interface=" + name + " ifindex=" + ifIndex);
            }
            if (null != options.filter())
            {
                check(SockFilters.attach(errno, fd, options.filter()), "setsockopt SO_ATTACH_FILTER", link);
            }
            final PacketRingSocket socket = setUp(errno, fd, true, link, options);
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment address = SockAddr.encodeLinkLayer(ifIndex, options.etherType(), null, arena);
                final int rc = LibC.bind(errno, fd, address, SockaddrLlDescriptor.LENGTH);
                if (rc < 0)
                {
                    socket.unregisterTaps();
                    socket.mapping.unmap(errno);
                    throw new ErrnoException("bind", rc, "interface=" + link.name() + " etherType=0x" +
                        Integer.toHexString(options.etherType()));
                }
            }
            return socket;
        }
        catch (final ErrnoException | RuntimeException ex)
        {
            LibC.close(errno, fd);
            throw ex;
        }
    }

    /**
     * In-band: sets up and maps the rings of a packet socket its caller made, owns and already bound (the
     * {@code bind} hook of an OOB packet socket); {@link #close} unmaps but leaves the socket open.
     *
     * @param fd      an {@code AF_PACKET}/{@code SOCK_RAW} socket without rings.
     * @param link    the interface it is bound to.
     * @param options the rings, options and memberships ({@link PacketRingOptions#interfaceName} and
     *                {@link PacketRingOptions#etherType} are the caller's business and ignored).
     * @return the rings.
     * @throws ErrnoException naming the step that failed; nothing is left mapped.
     * @throws IllegalArgumentException naming every bad option.
     */
    public static PacketRingSocket attach(final int fd, final InterfaceInfo link, final PacketRingOptions options)
        throws ErrnoException
    {
        options.validate(false);
        return setUp(ErrnoCapture.current(), fd, false, link, options);
    }

    // in-band: memberships, rings, mmap; on failure nothing is mapped
    private static PacketRingSocket setUp(
        final ErrnoCapture errno, final int fd, final boolean ownsSocket, final InterfaceInfo link,
        final PacketRingOptions options) throws ErrnoException
    {
        joinMemberships(errno, fd, link, options);
        final PacketRingMapping mapping = PacketRingMapping.mapOrThrow(errno, fd, options.rxGeometry(),
            options.txGeometry(), options.qdiscBypass(), options.ignoreOutgoing(), "interface=" + link.name());
        try
        {
            return new PacketRingSocket(fd, ownsSocket, link, mapping, options);
        }
        catch (final RuntimeException ex)
        {
            mapping.unmap(errno);
            throw ex;
        }
    }

    // PACKET_ADD_MEMBERSHIP: the kernel drops them when the socket closes
    private static void joinMemberships(
        final ErrnoCapture errno, final int fd, final InterfaceInfo link, final PacketRingOptions options)
        throws ErrnoException
    {
        if (!options.promiscuous() && 0 == options.multicastMacs().length)
        {
            return;
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment mreq = arena.allocate(PacketMreqDescriptor.LENGTH, 8);
            if (options.promiscuous())
            {
                addMembership(errno, fd, mreq, link, PACKET_MR_PROMISC, 0);
            }
            for (final long mac : options.multicastMacs())
            {
                addMembership(errno, fd, mreq, link, PACKET_MR_MULTICAST, mac);
            }
        }
    }

    private static void addMembership(
        final ErrnoCapture errno, final int fd, final MemorySegment mreq, final InterfaceInfo link, final int type,
        final long mac) throws ErrnoException
    {
        mreq.fill((byte)0);
        mreq.set(ValueLayout.JAVA_INT, PacketMreqDescriptor.IFINDEX_OFFSET, link.ifIndex());
        mreq.set(ValueLayout.JAVA_SHORT, PacketMreqDescriptor.TYPE_OFFSET, (short)type);
        if (type == PACKET_MR_MULTICAST)
        {
            mreq.set(ValueLayout.JAVA_SHORT, PacketMreqDescriptor.ALEN_OFFSET, (short)6);
            for (int i = 0; i < 6; i++)
            {
                mreq.set(ValueLayout.JAVA_BYTE, PacketMreqDescriptor.ADDRESS_OFFSET + i, (byte)(mac >>> (40 - 8 * i)));
            }
        }
        final int rc = LibC.setsockopt(errno, fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, mreq, PacketMreqDescriptor.LENGTH);
        check(rc, "setsockopt PACKET_ADD_MEMBERSHIP", link,
            type == PACKET_MR_PROMISC ? "PACKET_MR_PROMISC" : "PACKET_MR_MULTICAST mac=0x" + Long.toHexString(mac));
    }

    private static void check(final int rc, final String step, final InterfaceInfo link) throws ErrnoException
    {
        check(rc, step, link, null);
    }

    private static void check(final int rc, final String step, final InterfaceInfo link, final String detail)
        throws ErrnoException
    {
        if (rc < 0)
        {
            throw new ErrnoException(step, rc, "interface=" + link.name() + (null == detail ? "" : " " + detail));
        }
    }

    /**
     * The socket.
     *
     * @return its descriptor.
     */
    public int fd()
    {
        return fd;
    }

    /**
     * The interface the socket is bound to, as it was at open: index, name, MTU, MAC.
     *
     * @return the interface.
     */
    public InterfaceInfo link()
    {
        return link;
    }

    /**
     * The RX ring's consumer, for the one thread that polls it.
     *
     * @return the RX ring.
     */
    public RxRing rx()
    {
        return rx;
    }

    /**
     * The TX ring's producer, for the one thread that fills and kicks it.
     *
     * @return the TX ring, or null when the options asked for none.
     */
    public TxRing tx()
    {
        return tx;
    }

    /**
     * The reader of the kernel's RX drops ({@code PACKET_STATISTICS}), for the thread that polls the RX ring.
     *
     * @return the reader.
     */
    public KernelDropReader kernelDrops()
    {
        return kernelDrops;
    }

    /**
     * Where the rings count.
     *
     * @return the counters.
     */
    public PacketCounters counters()
    {
        return counters;
    }

    /**
     * The mapping.
     *
     * @return the mapped rings.
     */
    public PacketRingMapping mapping()
    {
        return mapping;
    }

    /**
     * In-band: the rings' user let go of them (the stage acknowledged that it no longer touches them, or the owning
     * thread stopped using them); unmaps now if {@link #close} was asked for. Idempotent.
     */
    public synchronized void release()
    {
        released = true;
        if (closeRequested)
        {
            finish();
        }
    }

    /**
     * In-band: the owner is done; unmaps the rings and closes an owned socket now if they were released, else at
     * {@link #release}. Idempotent.
     */
    @Override
    public synchronized void close()
    {
        closeRequested = true;
        if (released)
        {
            finish();
        }
    }

    /**
     * Whether the rings are unmapped.
     *
     * @return true once both {@link #release} and {@link #close} ran.
     */
    public synchronized boolean isUnmapped()
    {
        return closed;
    }

    private void finish()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        unregisterTaps();
        // the user let go and the memory is still mapped: what it left unread is counted, not lost silently
        rx.countUnreadAtClose();
        final ErrnoCapture errno = ErrnoCapture.current();
        mapping.unmap(errno);
        if (ownsSocket)
        {
            LibC.close(errno, fd);
        }
    }

    @Override
    public String toString()
    {
        return "PacketRingSocket{fd=" + fd + " interface=" + link.name() + " rx=" + mapping.rxGeometry() +
            (null == tx ? "" : " tx=" + mapping.txGeometry()) + "}";
    }
}
