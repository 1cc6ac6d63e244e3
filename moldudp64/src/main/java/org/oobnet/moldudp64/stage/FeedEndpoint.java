package org.oobnet.moldudp64.stage;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.udp.UdpSockets;
import org.oobnet.udp.frame.Ipv4Flyweight;

/**
 * One MoldUDP64 feed socket's state: the OOB UDP sockets it stacks on (its children, opened in-band by
 * {@code bind} and closed by {@code release}) and what runs on the stage. A subscriber or a publisher.
 * <p>
 * <b>Note:</b> {@link #bind} and {@link #closeInBand} run in-band; the rest on the stage.
 */
abstract class FeedEndpoint
{
    private static final int MULTICAST_PREFIX = 0xE;

    final OobSocket socket;
    final MoldUdp64ProtocolConfig config;
    private final List<KSocket> children = new ArrayList<>();
    private boolean bound;

    FeedEndpoint(final OobSocket socket, final MoldUdp64ProtocolConfig config)
    {
        this.socket = socket;
        this.config = config;
    }

    /**
     * In-band, from the bind hook: opens the children and hands the stage its part.
     *
     * @param address the checked address.
     * @return 0 or a negative errno; on failure every child opened is closed again.
     */
    final synchronized int bind(final MoldUdp64Address address)
    {
        if (bound)
        {
            return -Errno.EINVAL;
        }
        try
        {
            final int rc = open(address);
            if (rc < 0)
            {
                closeChildren();
                return rc;
            }
            bound = true;
            return 0;
        }
        catch (final ErrnoException ex)
        {
            closeChildren();
            return -ex.errno();
        }
    }

    /**
     * In-band: opens the children for {@code address}, with {@link #openChild}.
     *
     * @param address the checked address.
     * @return 0 or a negative errno.
     * @throws ErrnoException when a child fails to open, bind or join.
     */
    abstract int open(MoldUdp64Address address) throws ErrnoException;

    /**
     * Stage, every cycle: timers, counters.
     *
     * @param nowNs the cycle's clock.
     * @return work done.
     */
    abstract int poll(long nowNs);

    /**
     * Stage, every cycle after the send ring was drained.
     *
     * @param nowNs the cycle's clock.
     * @return work done.
     */
    abstract int flush(long nowNs);

    /**
     * Stage: one message the application sent.
     *
     * @param buffer the message.
     * @param offset where it starts.
     * @param length its length.
     * @return bytes taken, or a negative errno.
     */
    abstract int send(DirectBuffer buffer, int offset, int length);

    /** Stage: the last call; stop delivering, publish the counters a last time. */
    abstract void onStageDetach();

    /**
     * In-band: an OOB UDP child socket on the feed socket's stage, bound to {@code localAddress:port} (0 for any of
     * each), joined to {@code group} on {@code interfaceAddress} when the group is a multicast address. The feed
     * socket's stage is fixed from here on: place it ({@code SO_OOB_STAGE}) before bind.
     * <p>
     * A multicast line's child shares its port ({@code SO_REUSEADDR}, and {@code SO_REUSEPORT} on the packet
     * transport): A and B may be two groups on one port, as Nasdaq runs them. Each child still gets only its own group's datagrams: on the
     * packet transport the demux hands a multicast datagram to every member of the port, each member's group
     * filter keeps its own group; on the kernel transport the kernel delivers multicast to every socket of the
     * port, and oob-udp's {@code IP_MULTICAST_ALL = 0} keeps the groups this socket joined
     * ({@code SamePortLinesTest} checks both). A unicast child does not share: the kernel and the demux would
     * hand each datagram to one socket of the port, which is why {@link MoldUdp64Address} refuses unicast lines
     * on a shared port.
     */
    // tag::child[]
    final KSocket openChild(final int localAddress, final int port, final int group, final int interfaceAddress)
        throws ErrnoException
    {
        final KSocket child = UdpSockets.open(config.transport());
        children.add(child);
        if (isMulticast(group))
        {
            child.setOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_REUSEADDR, 1);
            if (UdpTransport.PACKET == config.transport())
            {
                // oob-udp's demux shares a port only between SO_REUSEPORT sockets; the kernel transport's sockets
                // share it with SO_REUSEADDR alone, and must not have SO_REUSEPORT: with it, SamePortLinesTest saw
                // both groups' datagrams go to one line socket, or each group's to the other line's (3 runs of 3).
                // FIXME(issue 20): find out where (the kernel's reuseport group or oob-udp's kernel transport)
                child.setOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_REUSEPORT, 1);
            }
        }
        // the child delivers to the feed socket from its receive handler and the feed socket's stage runs the
        // receiver, so the child goes on that stage by name, before bind would place it by its interface (a packet
        // port on another stage then refuses the bind with EXDEV: a clear error, never a cross-stage delivery)
        final int placed = OobSocket.of(child).placeOnStage(socket.runtimeStage().name());
        if (placed < 0)
        {
            throw new ErrnoException("placeOnStage(" + socket.runtimeStage().name() + ")", -placed);
        }
        child.bind(new InetSocketAddress(Ipv4Flyweight.formatAddress(localAddress), port));
        if (isMulticast(group))
        {
            // oob-udp takes the membership to the kernel socket (IGMP, the interface's MAC filter) and into the
            // socket's own group filter, which the stage checks for each datagram
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment mreq = arena.allocate(8, 4);
                final ValueLayout.OfInt bigEndian = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
                mreq.set(bigEndian, 0, group);
                mreq.set(bigEndian, 4, interfaceAddress);
                child.setOption(SocketConstants.SOL_IP, SocketConstants.IP_ADD_MEMBERSHIP, mreq);
            }
        }
        return child;
    }
    // end::child[]

    /**
     * @param address an IPv4 address, host order.
     * @return whether it is a multicast group (224.0.0.0/4).
     */
    static boolean isMulticast(final int address)
    {
        return (address >>> 28) == MULTICAST_PREFIX;
    }

    /** In-band, from release or destroy, once the stage let go of the socket: closes the children. Idempotent. */
    final synchronized void closeInBand()
    {
        closeChildren();
    }

    private void closeChildren()
    {
        for (final KSocket child : children)
        {
            try
            {
                child.close();
            }
            catch (final ErrnoException ex)
            {
                // EBADF: already closed; nothing else is left to undo
            }
        }
        children.clear();
    }
}
