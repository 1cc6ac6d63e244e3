package org.oobnet.moldudp64.stage;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.oobnet.core.OobRuntime;
import org.oobnet.inband.Errno;
import org.oobnet.moldudp64.MoldUdp64Descriptor;
import org.oobnet.moldudp64.MoldUdp64ReceiverConfig;
import org.oobnet.udp.frame.Ipv4Flyweight;

/**
 * The {@code sockaddr} a MoldUDP64 feed socket binds to, {@code struct sockaddr_moldudp64}: whether the socket
 * subscribes to a feed or publishes one, its lines, its request server and the local address its OOB UDP sockets
 * use. IPv4 addresses and ports are big-endian, as in {@code sockaddr_in}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+---------------+---------------+
 *  |  family (u16, host order, 46) |  role (u8)    |  lines (u8)   |  0
 *  +-------------------------------+---------------+---------------+
 *  |  local IPv4: the request socket's address, multicast interface|  4
 *  +---------------------------------------------------------------+
 *  |  request server IPv4 (subscribe) / 0 (publish)                |  8
 *  +-------------------------------+-------------------------------+
 *  |  request port                 |  0                            |  12
 *  +-------------------------------+-------------------------------+
 *  |  session (publish): 10 ASCII bytes, space padded, then 2 zero |  16
 *  |  ...                                                          |
 *  +---------------------------------------------------------------+
 *  |  line i (i = 0..7): IPv4 group or host, port (u16), 0 (u16)   |  28 + 8 i
 *  +---------------------------------------------------------------+
 * </pre>
 * A subscriber receives each line on the line's port (joining the group when it is a multicast address) and asks
 * the request server at request IPv4:port. Two lines are never the same address and port; a subscriber's lines
 * share a port only as different multicast groups (Nasdaq's A/B layout). A publisher sends each packet to every line's address and port, and
 * answers requests on the request port.
 * <p>
 * <b>Note:</b> immutable; {@link #decode} checks every field.
 *
 * @param role          {@link #ROLE_SUBSCRIBE} or {@link #ROLE_PUBLISH}.
 * @param localAddress  the local IPv4 address (host order, as {@code Ipv4Flyweight.parseAddress} gives it).
 * @param requestAddress the request server's IPv4 address, host order (subscribe), 0 (publish).
 * @param requestPort   the request server's port (subscribe) or the port to answer on (publish).
 * @param session       the session's name (publish), ignored when subscribing.
 * @param lineAddresses each line's IPv4 address, host order.
 * @param linePorts     each line's port.
 */
public record MoldUdp64Address(
    int role,
    int localAddress,
    int requestAddress,
    int requestPort,
    String session,
    int[] lineAddresses,
    int[] linePorts)
{
    /** Receive a feed: deliver its messages, once each, in order. */
    public static final int ROLE_SUBSCRIBE = 1;
    /** Publish a feed: what the application sends becomes its messages. */
    public static final int ROLE_PUBLISH = 2;
    /** The address's length. */
    public static final int LENGTH = 28 + 8 * MoldUdp64ReceiverConfig.MAX_LINES;

    private static final int ROLE_OFFSET = 2;
    private static final int LINES_OFFSET = 3;
    private static final int LOCAL_OFFSET = 4;
    private static final int REQUEST_ADDRESS_OFFSET = 8;
    private static final int REQUEST_PORT_OFFSET = 12;
    private static final int SESSION_OFFSET = 16;
    private static final int LINE_OFFSET = 28;
    private static final int LINE_LENGTH = 8;
    private static final ValueLayout.OfShort HOST_U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfShort NET_U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NET_U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException naming the first bad field.
     */
    public MoldUdp64Address
    {
        if (ROLE_SUBSCRIBE != role && ROLE_PUBLISH != role)
        {
            throw new IllegalArgumentException("role=" + role + " must be 1 (subscribe) or 2 (publish)");
        }
        if (lineAddresses.length != linePorts.length || lineAddresses.length < 1 ||
            lineAddresses.length > MoldUdp64ReceiverConfig.MAX_LINES)
        {
            throw new IllegalArgumentException("lines=" + lineAddresses.length + " (ports " + linePorts.length +
                ") must be 1 to " + MoldUdp64ReceiverConfig.MAX_LINES + ", one port each");
        }
        for (int i = 0; i < linePorts.length; i++)
        {
            checkPort("line " + i + " port", linePorts[i]);
            for (int j = 0; j < i; j++)
            {
                checkDistinct(role, j, i, lineAddresses, linePorts);
            }
        }
        checkPort("requestPort", requestPort);
        if (ROLE_SUBSCRIBE == role && 0 == requestAddress)
        {
            throw new IllegalArgumentException("requestAddress=0.0.0.0: a subscriber needs its request server");
        }
        if (ROLE_PUBLISH == role)
        {
            MoldUdp64Descriptor.checkSession(session);
        }
        lineAddresses = lineAddresses.clone();
        linePorts = linePorts.clone();
    }

    /**
     * A subscriber's address.
     *
     * @param localAddress   the local IPv4 address (host order).
     * @param requestAddress the request server's address (host order).
     * @param requestPort    its port.
     * @param lineAddresses  each line's group (or a local address for a unicast line), host order.
     * @param linePorts      each line's port.
     * @return the address.
     */
    public static MoldUdp64Address subscribe(
        final int localAddress, final int requestAddress, final int requestPort,
        final int[] lineAddresses, final int[] linePorts)
    {
        return new MoldUdp64Address(ROLE_SUBSCRIBE, localAddress, requestAddress, requestPort, "", lineAddresses, linePorts);
    }

    /**
     * A publisher's address.
     *
     * @param localAddress  the local IPv4 address (host order): lines and answers leave from it.
     * @param requestPort   the port requests come to.
     * @param session       the session's name, 1 to 10 ASCII characters.
     * @param lineAddresses each line's destination (group or host), host order.
     * @param linePorts     each line's port.
     * @return the address.
     */
    public static MoldUdp64Address publish(
        final int localAddress, final int requestPort, final String session,
        final int[] lineAddresses, final int[] linePorts)
    {
        return new MoldUdp64Address(ROLE_PUBLISH, localAddress, 0, requestPort, session, lineAddresses, linePorts);
    }

    /** @return the number of downstream lines. */
    public int lineCount()
    {
        return lineAddresses.length;
    }

    /**
     * Encodes the address.
     *
     * @param allocator where to allocate it.
     * @return {@link #LENGTH} bytes.
     */
    public MemorySegment encode(final SegmentAllocator allocator)
    {
        final MemorySegment address = allocator.allocate(LENGTH, 4).fill((byte)0);
        address.set(HOST_U16, 0, (short)OobRuntime.AF_OOB);
        address.set(ValueLayout.JAVA_BYTE, ROLE_OFFSET, (byte)role);
        address.set(ValueLayout.JAVA_BYTE, LINES_OFFSET, (byte)lineCount());
        address.set(NET_U32, LOCAL_OFFSET, localAddress);
        address.set(NET_U32, REQUEST_ADDRESS_OFFSET, requestAddress);
        address.set(NET_U16, REQUEST_PORT_OFFSET, (short)requestPort);
        final byte[] name = paddedSession(session).getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(name, 0, address, ValueLayout.JAVA_BYTE, SESSION_OFFSET, name.length);
        for (int i = 0; i < lineCount(); i++)
        {
            address.set(NET_U32, LINE_OFFSET + (long)i * LINE_LENGTH, lineAddresses[i]);
            address.set(NET_U16, LINE_OFFSET + (long)i * LINE_LENGTH + 4, (short)linePorts[i]);
        }
        return address;
    }

    /**
     * In-band, from the bind hook: reads and checks an address.
     *
     * @param address the {@code sockaddr} given to {@code bind}.
     * @return the address, or null when it is invalid (see {@link #check}).
     */
    public static MoldUdp64Address decode(final MemorySegment address)
    {
        if (0 != check(address))
        {
            return null;
        }
        final int lines = address.get(ValueLayout.JAVA_BYTE, LINES_OFFSET) & 0xFF;
        final int[] lineAddresses = new int[lines];
        final int[] linePorts = new int[lines];
        for (int i = 0; i < lines; i++)
        {
            lineAddresses[i] = address.get(NET_U32, LINE_OFFSET + (long)i * LINE_LENGTH);
            linePorts[i] = address.get(NET_U16, LINE_OFFSET + (long)i * LINE_LENGTH + 4) & 0xFFFF;
        }
        final byte[] name = new byte[MoldUdp64Descriptor.SESSION_LENGTH];
        MemorySegment.copy(address, ValueLayout.JAVA_BYTE, SESSION_OFFSET, name, 0, name.length);
        try
        {
            return new MoldUdp64Address(
                address.get(ValueLayout.JAVA_BYTE, ROLE_OFFSET) & 0xFF,
                address.get(NET_U32, LOCAL_OFFSET),
                address.get(NET_U32, REQUEST_ADDRESS_OFFSET),
                address.get(NET_U16, REQUEST_PORT_OFFSET) & 0xFFFF,
                new String(name, StandardCharsets.US_ASCII).stripTrailing(),
                lineAddresses,
                linePorts);
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    /**
     * Checks the shape of an address given to {@code bind}.
     *
     * @param address the {@code sockaddr}.
     * @return 0 when valid; {@code -EINVAL} when too short or a field is out of range, {@code -EAFNOSUPPORT}
     * when the family is not AF_OOB.
     */
    public static int check(final MemorySegment address)
    {
        if (null == address || address.byteSize() < LENGTH)
        {
            return -Errno.EINVAL;
        }
        if ((address.get(HOST_U16, 0) & 0xFFFF) != OobRuntime.AF_OOB)
        {
            return -Errno.EAFNOSUPPORT;
        }
        final int role = address.get(ValueLayout.JAVA_BYTE, ROLE_OFFSET) & 0xFF;
        final int lines = address.get(ValueLayout.JAVA_BYTE, LINES_OFFSET) & 0xFF;
        if ((ROLE_SUBSCRIBE != role && ROLE_PUBLISH != role) || lines < 1 || lines > MoldUdp64ReceiverConfig.MAX_LINES)
        {
            return -Errno.EINVAL;
        }
        return 0;
    }

    private static String paddedSession(final String session)
    {
        final StringBuilder padded = new StringBuilder(session);
        while (padded.length() < MoldUdp64Descriptor.SESSION_LENGTH)
        {
            padded.append(' ');
        }
        return padded.toString();
    }

    // two lines must differ; a subscriber's lines may share a port only as different multicast groups (a unicast
    // datagram goes to one socket of a shared port, so the lines could not be told apart)
    private static void checkDistinct(
        final int role, final int first, final int second, final int[] lineAddresses, final int[] linePorts)
    {
        if (linePorts[first] != linePorts[second])
        {
            return;
        }
        final String lines = "line " + first + " and line " + second + " (" +
            Ipv4Flyweight.formatAddress(lineAddresses[second]) + ":" + linePorts[second] + ")";
        if (lineAddresses[first] == lineAddresses[second])
        {
            throw new IllegalArgumentException(lines + " are the same line: A/B lines need different groups or ports");
        }
        if (ROLE_SUBSCRIBE == role &&
            (!FeedEndpoint.isMulticast(lineAddresses[first]) || !FeedEndpoint.isMulticast(lineAddresses[second])))
        {
            throw new IllegalArgumentException(lines + " share a port: only multicast lines (different groups) may");
        }
    }

    private static void checkPort(final String name, final int port)
    {
        if (port < 1 || port > 0xFFFF)
        {
            throw new IllegalArgumentException(name + "=" + port + " must be 1 to 65535");
        }
    }
}
