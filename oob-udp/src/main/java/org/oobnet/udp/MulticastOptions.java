package org.oobnet.udp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.oobnet.config.UdpTransport;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.OobHooks;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.udp.frame.Ipv4Flyweight;
import org.oobnet.udp.route.NextHop;
import org.oobnet.udp.route.RtnetlinkDescriptor;

/**
 * The multicast options of an OOB UDP socket, in-band: memberships ({@code IP_ADD_MEMBERSHIP},
 * {@code IP_DROP_MEMBERSHIP}, {@code IP_ADD_SOURCE_MEMBERSHIP}, {@code IP_DROP_SOURCE_MEMBERSHIP},
 * {@code IP_BLOCK_SOURCE}, {@code IP_UNBLOCK_SOURCE}) and the send options {@code IP_MULTICAST_IF},
 * {@code IP_MULTICAST_LOOP}.
 * <p>
 * A membership change is checked here first (a group address, an interface a port of the stack serves, the
 * stack's {@code maxMemberships}), then made on the kernel socket (so the kernel sends the IGMP reports and the
 * NIC's MAC filter takes the group), and only once the kernel took it copied into the socket's
 * {@link GroupFilter}, which the stage applies to every group datagram of the packet transport. A kernel-transport
 * socket reads its own kernel queue: the kernel filters for it, and its options go straight to the kernel.
 * <p>
 * Errors: {@code EINVAL} for a group outside 224.0.0.0/4 or a short option value, {@code ENODEV} for an interface
 * no port serves (or none found), {@code ENOBUFS} past {@code maxMemberships}; the kernel's own errnos otherwise
 * ({@code EADDRINUSE} for a second join, {@code EADDRNOTAVAIL} for leaving what was not joined...).
 * <p>
 * <b>Note:</b> in-band, thread safe (serialised per socket by the in-band caller; the filter is published with
 * one volatile store).
 */
final class MulticastOptions
{
    private static final ValueLayout.OfInt NETWORK_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int IN_ADDR_LENGTH = 4;
    private static final int IP_MREQ_LENGTH = 8;
    private static final int IP_MREQN_LENGTH = 12;
    private static final int IP_MREQ_SOURCE_LENGTH = 12;

    private final UdpStack stack;

    MulticastOptions(final UdpStack stack)
    {
        this.stack = stack;
    }

    /**
     * @param level an option level.
     * @param name  an option name.
     * @return whether this class serves the option.
     */
    static boolean serves(final int level, final int name)
    {
        return SocketConstants.SOL_IP == level && (SocketConstants.IP_MULTICAST_IF == name ||
            SocketConstants.IP_MULTICAST_LOOP == name || (name >= SocketConstants.IP_ADD_MEMBERSHIP &&
            name <= SocketConstants.IP_DROP_SOURCE_MEMBERSHIP));
    }

    /**
     * In-band: applies a multicast option to the kernel socket and to the socket's OOB state.
     *
     * @param state the socket.
     * @param name  the {@code SOL_IP} option, one {@link #serves} accepts.
     * @param value the option's value.
     * @return 0, a negative errno, or {@code -ENOIOCTLCMD} to let the kernel alone apply it.
     */
    int setopt(final UdpSocketState state, final int name, final MemorySegment value)
    {
        if (SocketConstants.IP_MULTICAST_LOOP == name)
        {
            final int rc = kernelSetopt(state, name, value);
            if (0 == rc)
            {
                state.multicastLoop = 0 != (value.byteSize() >= 4 ? value.get(ValueLayout.JAVA_INT_UNALIGNED, 0) :
                    value.get(ValueLayout.JAVA_BYTE, 0));
            }
            return rc;
        }
        if (SocketConstants.IP_MULTICAST_IF == name)
        {
            return multicastInterface(state, value);
        }
        if (UdpTransport.KERNEL == state.transport)
        {
            return -OobHooks.ENOIOCTLCMD;
        }
        final boolean sourceSpecific = name > SocketConstants.IP_DROP_MEMBERSHIP;
        if (value.byteSize() < (sourceSpecific ? IP_MREQ_SOURCE_LENGTH : IP_MREQ_LENGTH))
        {
            return -Errno.EINVAL;
        }
        final int group = value.get(NETWORK_INT, 0);
        if (!Ipv4Flyweight.isMulticast(group))
        {
            return -Errno.EINVAL;
        }
        final int ifindex = sourceSpecific || value.byteSize() < IP_MREQN_LENGTH ?
            joinInterface(value.get(NETWORK_INT, 4), 0, group) :
            joinInterface(value.get(NETWORK_INT, 4), value.get(ValueLayout.JAVA_INT_UNALIGNED, 8), group);
        if (ifindex < 0)
        {
            return ifindex;
        }
        final GroupFilter filter = state.groups;
        final boolean joins = SocketConstants.IP_ADD_MEMBERSHIP == name ||
            (SocketConstants.IP_ADD_SOURCE_MEMBERSHIP == name && !filter.has(group, ifindex));
        if (joins && filter.memberships() >= stack.config().maxMemberships())
        {
            return -Errno.ENOBUFS;
        }
        final int rc = kernelSetopt(state, name, value);
        if (rc < 0)
        {
            return rc;
        }
        final int[] errno = {0};
        final GroupFilter changed = switch (name)
        {
            case SocketConstants.IP_ADD_MEMBERSHIP -> filter.join(group, ifindex);
            case SocketConstants.IP_DROP_MEMBERSHIP -> filter.leave(group, ifindex);
            default -> filter.changeSource(group, ifindex, value.get(NETWORK_INT, 8),
                SocketConstants.IP_ADD_SOURCE_MEMBERSHIP == name || SocketConstants.IP_DROP_SOURCE_MEMBERSHIP == name,
                SocketConstants.IP_ADD_SOURCE_MEMBERSHIP == name || SocketConstants.IP_BLOCK_SOURCE == name, errno);
        };
        if (null == changed)
        {
            // the kernel took a change the filter's rules refuse: cannot happen while both follow RFC 3678
            return -(0 == errno[0] ? Errno.EINVAL : errno[0]);
        }
        state.groups = changed;
        return 0;
    }

    // IP_MULTICAST_IF: in_addr, ip_mreq (its second address) or ip_mreqn, as the kernel reads them; the OOB sends
    // to groups then leave by that interface's port (its address as the source), or through the kernel when no
    // port serves it
    private int multicastInterface(final UdpSocketState state, final MemorySegment value)
    {
        final long size = value.byteSize();
        if (size < IN_ADDR_LENGTH)
        {
            return -Errno.EINVAL;
        }
        final int address = value.get(NETWORK_INT, size >= IP_MREQ_LENGTH ? 4 : 0);
        final int requestedIndex = size >= IP_MREQN_LENGTH ? value.get(ValueLayout.JAVA_INT_UNALIGNED, 8) : 0;
        final int rc = kernelSetopt(state, SocketConstants.IP_MULTICAST_IF, value);
        if (rc < 0)
        {
            return rc;
        }
        if (0 == address && 0 == requestedIndex)
        {
            state.multicastHop = null;
            return 0;
        }
        final int ifindex = 0 != requestedIndex ? requestedIndex : interfaceOf(address);
        final PacketPort port = ifindex > 0 ? stack.port(ifindex) : null;
        final int source = 0 != address ? address : null == port ? 0 : port.firstAddress();
        state.multicastHop = null == port || 0 == source ? null : new NextHop(0, RtnetlinkDescriptor.RTN_MULTICAST,
            ifindex, 0, source, port.mac(), port.mtu(), false);
        return 0;
    }

    // the interface a join names (ip_mreqn's index, else the interface holding the address, else the route to the
    // group), which a port of the stack must serve
    private int joinInterface(final int address, final int requestedIndex, final int group)
    {
        int ifindex = requestedIndex;
        if (0 == ifindex && 0 != address)
        {
            ifindex = interfaceOf(address);
            if (0 == ifindex)
            {
                return -Errno.ENODEV;
            }
        }
        if (0 == ifindex)
        {
            try
            {
                ifindex = stack.resolver().solicit(group, false).ifindex();
            }
            catch (final ErrnoException ex)
            {
                return -Errno.ENODEV;
            }
        }
        return ifindex > 0 && null != stack.port(ifindex) ? ifindex : -Errno.ENODEV;
    }

    // the served interface holding the address (the ports know their addresses: the caller's thread may be in
    // another namespace than the socket)
    private int interfaceOf(final int address)
    {
        for (final PacketPort port : stack.ports())
        {
            if (port.hasAddress(address))
            {
                return port.ifindex();
            }
        }
        return 0;
    }

    private static int kernelSetopt(final UdpSocketState state, final int name, final MemorySegment value)
    {
        final int rc = LibC.setsockopt(ErrnoCapture.current(), state.fd, SocketConstants.SOL_IP, name, value,
            (int)value.byteSize());
        return Math.min(rc, 0);
    }
}
