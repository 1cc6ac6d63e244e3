package org.oobnet.udp.route;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.PollfdDescriptor;
import org.oobnet.inband.sys.SockaddrNlDescriptor;

import static org.oobnet.udp.route.RtnetlinkDescriptor.*;

/**
 * An {@code AF_NETLINK}/{@code NETLINK_ROUTE} socket that asks the kernel for routes ({@code RTM_GETROUTE}),
 * neighbours ({@code RTM_GETNEIGH}) and links ({@code RTM_GETLINK}), and can trigger neighbour resolution
 * ({@code RTM_NEWNEIGH} with {@code NTF_USE}). Opened with multicast groups, it also receives the kernel's change
 * notifications ({@link #awaitNotification}).
 * <p>
 * <b>Note:</b> in-band only, not thread safe: one owner thread. Requests are answered in the namespace the socket
 * was created in.
 */
public final class RtnetlinkSocket implements AutoCloseable
{
    private static final int BUFFER_LENGTH = 64 * 1024;

    private final Arena arena = Arena.ofShared();
    private final ErrnoCapture errno = new ErrnoCapture(arena);
    private final MemorySegment requestSegment = arena.allocate(1024, 8);
    private final MemorySegment responseSegment = arena.allocate(BUFFER_LENGTH, 8);
    private final UnsafeBuffer request = new UnsafeBuffer(requestSegment.address(), (int)requestSegment.byteSize());
    private final UnsafeBuffer response = new UnsafeBuffer(responseSegment.address(), BUFFER_LENGTH);
    private final MemorySegment pollfd = arena.allocate(PollfdDescriptor.LENGTH, 8);
    private final int fd;
    private int sequence = (int)System.nanoTime() & 0x7FFF_FFFF;

    private RtnetlinkSocket(final int fd)
    {
        this.fd = fd;
    }

    /**
     * Opens a socket in the calling thread's network namespace.
     *
     * @param groups rtnetlink multicast groups to receive ({@code RTMGRP_*} bits), 0 for requests only.
     * @return the socket.
     * @throws ErrnoException when the kernel refuses the socket or the bind.
     */
    public static RtnetlinkSocket open(final int groups) throws ErrnoException
    {
        final ErrnoCapture errno = ErrnoCapture.current();
        final int fd = LibC.socket(errno, SocketConstants.AF_NETLINK, SocketConstants.SOCK_RAW |
            SocketConstants.SOCK_CLOEXEC, SockaddrNlDescriptor.NETLINK_ROUTE);
        if (fd < 0)
        {
            throw new ErrnoException("socket", -fd, "family=AF_NETLINK protocol=NETLINK_ROUTE");
        }
        final RtnetlinkSocket socket = new RtnetlinkSocket(fd);
        try (Arena local = Arena.ofConfined())
        {
            final MemorySegment address = local.allocate(SockaddrNlDescriptor.LENGTH, 4);
            address.set(ValueLayout.JAVA_SHORT, SockaddrNlDescriptor.FAMILY_OFFSET, (short)SocketConstants.AF_NETLINK);
            address.set(ValueLayout.JAVA_INT, SockaddrNlDescriptor.GROUPS_OFFSET, groups);
            final int result = LibC.bind(errno, fd, address, SockaddrNlDescriptor.LENGTH);
            if (result < 0)
            {
                socket.close();
                throw new ErrnoException("bind", -result, "family=AF_NETLINK groups=0x" + Integer.toHexString(groups));
            }
        }
        return socket;
    }

    /**
     * Asks the kernel which route it would take to {@code dstAddress}, as {@code ip route get} does.
     *
     * @param dstAddress the destination.
     * @return the route.
     * @throws ErrnoException the kernel's errno, e.g. {@code ENETUNREACH}.
     */
    public Route getRoute(final int dstAddress) throws ErrnoException
    {
        int length = header(RTM_GETROUTE, NLM_F_REQUEST, RTMSG_LENGTH);
        request.putByte(NLMSG_HDR_LENGTH + RTM_FAMILY_OFFSET, (byte)SocketConstants.AF_INET);
        request.putByte(NLMSG_HDR_LENGTH + RTM_DST_LEN_OFFSET, (byte)32);
        length = putAddressAttribute(length, RTA_DST, dstAddress);
        sendRequest(length, "RTM_GETROUTE dst=" + Route.format(dstAddress));

        final int received = receiveReply("RTM_GETROUTE dst=" + Route.format(dstAddress));
        final int type = response.getShort(NLMSG_TYPE_OFFSET) & 0xFFFF;
        if (RTM_NEWROUTE != type)
        {
            throw new ErrnoException("RTM_GETROUTE", Errno.EPROTO, "reply type=" + type);
        }
        final int messageLength = Math.min(received, response.getInt(NLMSG_LEN_OFFSET));
        final int routeType = response.getByte(NLMSG_HDR_LENGTH + RTM_TYPE_OFFSET) & 0xFF;
        int ifindex = 0;
        int gateway = 0;
        int source = 0;
        for (int a = NLMSG_HDR_LENGTH + RTMSG_LENGTH; a + RTA_HDR_LENGTH <= messageLength; )
        {
            final int attributeLength = response.getShort(a + RTA_LEN_OFFSET) & 0xFFFF;
            if (attributeLength < RTA_HDR_LENGTH)
            {
                break;
            }
            final int value = a + RTA_HDR_LENGTH;
            switch (response.getShort(a + RTA_TYPE_OFFSET) & 0x3FFF)
            {
                case RTA_OIF -> ifindex = response.getInt(value);
                case RTA_GATEWAY -> gateway = response.getInt(value, ByteOrder.BIG_ENDIAN);
                case RTA_PREFSRC -> source = response.getInt(value, ByteOrder.BIG_ENDIAN);
                default ->
                {
                }
            }
            a += align(attributeLength);
        }
        return new Route(dstAddress, routeType, ifindex, gateway, source);
    }

    /**
     * Reads an interface's MAC and MTU, as {@code ip link show} does.
     *
     * @param ifindex the interface index.
     * @return the link.
     * @throws ErrnoException the kernel's errno, e.g. {@code ENODEV}.
     */
    public Link getLink(final int ifindex) throws ErrnoException
    {
        final int length = header(RTM_GETLINK, NLM_F_REQUEST, IFINFOMSG_LENGTH);
        request.putInt(NLMSG_HDR_LENGTH + IFI_INDEX_OFFSET, ifindex);
        sendRequest(length, "RTM_GETLINK ifindex=" + ifindex);
        final int received = receiveReply("RTM_GETLINK ifindex=" + ifindex);
        final int type = response.getShort(NLMSG_TYPE_OFFSET) & 0xFFFF;
        if (RTM_NEWLINK != type)
        {
            throw new ErrnoException("RTM_GETLINK", Errno.EPROTO, "reply type=" + type);
        }
        final int messageLength = Math.min(received, response.getInt(NLMSG_LEN_OFFSET));
        final int flags = response.getInt(NLMSG_HDR_LENGTH + IFI_FLAGS_OFFSET);
        long mac = 0;
        int mtu = 0;
        String name = "";
        for (int a = NLMSG_HDR_LENGTH + IFINFOMSG_LENGTH; a + RTA_HDR_LENGTH <= messageLength; )
        {
            final int attributeLength = response.getShort(a + RTA_LEN_OFFSET) & 0xFFFF;
            if (attributeLength < RTA_HDR_LENGTH)
            {
                break;
            }
            final int value = a + RTA_HDR_LENGTH;
            switch (response.getShort(a + RTA_TYPE_OFFSET) & 0x3FFF)
            {
                case IFLA_ADDRESS -> mac = attributeLength - RTA_HDR_LENGTH == 6 ? readMac(value) : 0;
                case IFLA_MTU -> mtu = response.getInt(value);
                case IFLA_IFNAME -> name = response.getStringWithoutLengthAscii(value, attributeLength - RTA_HDR_LENGTH - 1);
                default ->
                {
                }
            }
            a += align(attributeLength);
        }
        return new Link(ifindex, name, mac, mtu, flags);
    }

    /**
     * Looks up one IPv4 neighbour in the kernel's table (a dump filtered here).
     *
     * @param ifindex the interface.
     * @param address the neighbour's address.
     * @return the entry, or null when the kernel has none.
     * @throws ErrnoException the kernel's errno.
     */
    public Neighbour getNeighbour(final int ifindex, final int address) throws ErrnoException
    {
        final int length = header(RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, NDMSG_LENGTH);
        request.putByte(NLMSG_HDR_LENGTH + NDM_FAMILY_OFFSET, (byte)SocketConstants.AF_INET);
        request.putInt(NLMSG_HDR_LENGTH + NDM_IFINDEX_OFFSET, ifindex);
        sendRequest(length, "RTM_GETNEIGH");
        Neighbour found = null;
        while (true)
        {
            final int received = receive("RTM_GETNEIGH");
            for (int m = 0; m + NLMSG_HDR_LENGTH <= received; )
            {
                final int messageLength = response.getInt(m + NLMSG_LEN_OFFSET);
                final int type = response.getShort(m + NLMSG_TYPE_OFFSET) & 0xFFFF;
                if (NLMSG_DONE == type)
                {
                    return found;
                }
                if (NLMSG_ERROR == type)
                {
                    final int error = response.getInt(m + NLMSG_HDR_LENGTH);
                    throw new ErrnoException("RTM_GETNEIGH", -error, "ifindex=" + ifindex);
                }
                if (messageLength < NLMSG_HDR_LENGTH || m + messageLength > received)
                {
                    throw new ErrnoException("RTM_GETNEIGH", Errno.EPROTO, "message length=" + messageLength);
                }
                if (RTM_NEWNEIGH == type && null == found)
                {
                    found = matchNeighbour(m, messageLength, ifindex, address);
                }
                m += align(messageLength);
            }
        }
    }

    /**
     * Asks the kernel to resolve a neighbour now ({@code RTM_NEWNEIGH} with {@code NTF_USE}, as
     * {@code ip neigh replace ADDR dev IF use}): an ARP request goes out as if a packet were waiting.
     *
     * @param ifindex the interface.
     * @param address the neighbour's address.
     * @return 0, or a negative errno (e.g. {@code -EPERM} without {@code CAP_NET_ADMIN}).
     * @throws ErrnoException when the request cannot be sent.
     */
    public int useNeighbour(final int ifindex, final int address) throws ErrnoException
    {
        int length = header(RTM_NEWNEIGH, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE, NDMSG_LENGTH);
        request.putByte(NLMSG_HDR_LENGTH + NDM_FAMILY_OFFSET, (byte)SocketConstants.AF_INET);
        request.putInt(NLMSG_HDR_LENGTH + NDM_IFINDEX_OFFSET, ifindex);
        request.putShort(NLMSG_HDR_LENGTH + NDM_STATE_OFFSET, (short)0);
        request.putByte(NLMSG_HDR_LENGTH + NDM_FLAGS_OFFSET, (byte)NTF_USE);
        length = putAddressAttribute(length, NDA_DST, address);
        sendRequest(length, "RTM_NEWNEIGH");
        final int received = receive("RTM_NEWNEIGH");
        if (received >= NLMSG_HDR_LENGTH + 4 && NLMSG_ERROR == (response.getShort(NLMSG_TYPE_OFFSET) & 0xFFFF))
        {
            return response.getInt(NLMSG_HDR_LENGTH);
        }
        return -Errno.EPROTO;
    }

    /**
     * Waits for a change notification of the subscribed groups and discards it.
     *
     * @param timeoutMs how long to wait.
     * @return true when at least one notification came.
     * @throws ErrnoException when the socket fails.
     */
    public boolean awaitNotification(final int timeoutMs) throws ErrnoException
    {
        pollfd.set(ValueLayout.JAVA_INT, PollfdDescriptor.FD_OFFSET, fd);
        pollfd.set(ValueLayout.JAVA_SHORT, PollfdDescriptor.EVENTS_OFFSET, (short)0x1);
        pollfd.set(ValueLayout.JAVA_SHORT, PollfdDescriptor.REVENTS_OFFSET, (short)0);
        final int ready = LibC.poll(errno, pollfd, 1, timeoutMs);
        if (ready < 0)
        {
            if (-ready == Errno.EINTR)
            {
                return false;
            }
            throw new ErrnoException("poll", -ready, "netlink fd=" + fd);
        }
        if (0 == ready)
        {
            return false;
        }
        boolean any = false;
        while (true)
        {
            final long received = LibC.recv(errno, fd, responseSegment, BUFFER_LENGTH, SocketConstants.MSG_DONTWAIT);
            if (received < 0)
            {
                // ENOBUFS: notifications were lost; the caller refreshes everything anyway
                return any || -received == Errno.ENOBUFS;
            }
            any = true;
        }
    }

    @Override
    public void close()
    {
        LibC.close(errno, fd);
        arena.close();
    }

    private Neighbour matchNeighbour(final int m, final int messageLength, final int ifindex, final int address)
    {
        final int body = m + NLMSG_HDR_LENGTH;
        if (response.getInt(body + NDM_IFINDEX_OFFSET) != ifindex)
        {
            return null;
        }
        final int state = response.getShort(body + NDM_STATE_OFFSET) & 0xFFFF;
        int dst = 0;
        boolean hasDst = false;
        long mac = -1;
        for (int a = body + NDMSG_LENGTH; a + RTA_HDR_LENGTH <= m + messageLength; )
        {
            final int attributeLength = response.getShort(a + RTA_LEN_OFFSET) & 0xFFFF;
            if (attributeLength < RTA_HDR_LENGTH)
            {
                break;
            }
            final int value = a + RTA_HDR_LENGTH;
            final int type = response.getShort(a + RTA_TYPE_OFFSET) & 0x3FFF;
            if (NDA_DST == type && attributeLength - RTA_HDR_LENGTH == 4)
            {
                dst = response.getInt(value, ByteOrder.BIG_ENDIAN);
                hasDst = true;
            }
            else if (NDA_LLADDR == type && attributeLength - RTA_HDR_LENGTH == 6)
            {
                mac = readMac(value);
            }
            a += align(attributeLength);
        }
        return hasDst && dst == address ? new Neighbour(ifindex, address, mac, state) : null;
    }

    private long readMac(final int index)
    {
        final long high = response.getShort(index, ByteOrder.BIG_ENDIAN) & 0xFFFFL;
        final long low = response.getInt(index + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        return (high << 32) | low;
    }

    private int header(final int type, final int flags, final int bodyLength)
    {
        request.setMemory(0, NLMSG_HDR_LENGTH + bodyLength, (byte)0);
        request.putShort(NLMSG_TYPE_OFFSET, (short)type);
        request.putShort(NLMSG_FLAGS_OFFSET, (short)flags);
        request.putInt(NLMSG_SEQ_OFFSET, ++sequence);
        return NLMSG_HDR_LENGTH + bodyLength;
    }

    private int putAddressAttribute(final int offset, final int type, final int address)
    {
        request.putShort(offset + RTA_LEN_OFFSET, (short)(RTA_HDR_LENGTH + 4));
        request.putShort(offset + RTA_TYPE_OFFSET, (short)type);
        request.putInt(offset + RTA_HDR_LENGTH, address, ByteOrder.BIG_ENDIAN);
        return offset + RTA_HDR_LENGTH + 4;
    }

    private void sendRequest(final int length, final String what) throws ErrnoException
    {
        request.putInt(NLMSG_LEN_OFFSET, length);
        final long sent = LibC.send(errno, fd, requestSegment, length, 0);
        if (sent < 0)
        {
            throw new ErrnoException("send", (int)-sent, what);
        }
    }

    // Reads until the reply to the current request (skipping notifications and stale replies).
    private int receive(final String what) throws ErrnoException
    {
        while (true)
        {
            final long received = LibC.recv(errno, fd, responseSegment, BUFFER_LENGTH, 0);
            if (received < 0)
            {
                if (-received == Errno.EINTR)
                {
                    continue;
                }
                throw new ErrnoException("recv", (int)-received, what);
            }
            if (received >= NLMSG_HDR_LENGTH && response.getInt(NLMSG_SEQ_OFFSET) == sequence)
            {
                return (int)received;
            }
        }
    }

    private int receiveReply(final String what) throws ErrnoException
    {
        final int received = receive(what);
        if (NLMSG_ERROR == (response.getShort(NLMSG_TYPE_OFFSET) & 0xFFFF))
        {
            final int error = received >= NLMSG_HDR_LENGTH + 4 ? response.getInt(NLMSG_HDR_LENGTH) : -Errno.EPROTO;
            throw new ErrnoException(what.substring(0, what.indexOf(' ')), -error, what);
        }
        return received;
    }
}
