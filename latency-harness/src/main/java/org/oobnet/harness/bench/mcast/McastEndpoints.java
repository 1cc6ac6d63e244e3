package org.oobnet.harness.bench.mcast;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.udp.UdpSockets;
import org.oobnet.udp.frame.Ipv4Flyweight;
import org.oobnet.udp.route.RtnetlinkSocket;

/**
 * What {@code oobnet mcast send|dump} parse and set up: {@code GROUP[:PORT]} arguments, the interface (named, or
 * the one the route to the group leaves by) and its address, and memberships on a socket.
 * <p>
 * <b>Note:</b> in-band, stateless.
 */
public final class McastEndpoints
{
    private static final ValueLayout.OfInt NETWORK_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /**
     * A group and port.
     *
     * @param group the group, host order.
     * @param port  the UDP port.
     */
    public record GroupPort(int group, int port)
    {
        @Override
        public String toString()
        {
            return Ipv4Flyweight.formatAddress(group) + ":" + port;
        }
    }

    /**
     * An interface the traffic uses.
     *
     * @param name    its name.
     * @param index   its index.
     * @param address its first IPv4 address, host order.
     */
    record Interface(String name, int index, int address)
    {
    }

    private McastEndpoints()
    {
    }

    /**
     * @param option      the option's name, for errors.
     * @param text        {@code GROUP[:PORT]}.
     * @param defaultPort the port when the text has none, 0 when a port is required.
     * @return the group and port.
     * @throws IllegalArgumentException naming the option and the value.
     */
    public static GroupPort parseGroup(final String option, final String text, final int defaultPort)
    {
        final int colon = text.indexOf(':');
        final String address = colon < 0 ? text : text.substring(0, colon);
        final int group;
        try
        {
            group = Ipv4Flyweight.parseAddress(address);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException(option + "=" + text + ": not an IPv4 address");
        }
        if (!Ipv4Flyweight.isMulticast(group))
        {
            throw new IllegalArgumentException(option + "=" + text + ": not a multicast group (224.0.0.0/4)");
        }
        int port = defaultPort;
        if (colon >= 0)
        {
            try
            {
                port = Integer.parseInt(text.substring(colon + 1));
            }
            catch (final NumberFormatException ex)
            {
                port = -1;
            }
        }
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException(option + "=" + text + ": needs a port 1..65535 (GROUP:PORT or --port)");
        }
        return new GroupPort(group, port);
    }

    /**
     * @param option the option's name, for errors.
     * @param text   an IPv4 address.
     * @return it, host order.
     */
    public static int parseAddress(final String option, final String text)
    {
        try
        {
            return Ipv4Flyweight.parseAddress(text);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException(option + "=" + text + ": not an IPv4 address");
        }
    }

    /**
     * In the caller's network namespace: the named interface, or the one the kernel's route to {@code group}
     * leaves by.
     *
     * @param name  the interface, or null.
     * @param group the group.
     * @return the interface.
     * @throws IllegalArgumentException when there is no such interface, no route, or no IPv4 address.
     */
    static Interface resolve(final String name, final int group) throws SocketException
    {
        NetworkInterface nif;
        if (null != name)
        {
            nif = NetworkInterface.getByName(name);
            if (null == nif)
            {
                throw new IllegalArgumentException("--interface=" + name + ": no such interface");
            }
        }
        else
        {
            try (RtnetlinkSocket routes = RtnetlinkSocket.open(0))
            {
                nif = NetworkInterface.getByIndex(routes.getRoute(group).ifindex());
            }
            catch (final ErrnoException ex)
            {
                throw new IllegalArgumentException("no route to " + Ipv4Flyweight.formatAddress(group) +
                    " (" + ex.getMessage() + "): name the interface with --interface");
            }
            if (null == nif)
            {
                throw new IllegalArgumentException("no interface for the route to " +
                    Ipv4Flyweight.formatAddress(group) + ": name it with --interface");
            }
        }
        for (final InterfaceAddress address : nif.getInterfaceAddresses())
        {
            if (address.getAddress() instanceof Inet4Address inet)
            {
                return new Interface(nif.getName(), nif.getIndex(), Ipv4Flyweight.parseAddress(inet.getHostAddress()));
            }
        }
        throw new IllegalArgumentException("--interface=" + nif.getName() + ": has no IPv4 address");
    }

    /**
     * Joins {@code group} on the interface: any source ({@code IP_ADD_MEMBERSHIP}, {@code ip_mreqn}) or one source
     * ({@code IP_ADD_SOURCE_MEMBERSHIP}).
     *
     * @param socket the socket.
     * @param group  the group.
     * @param nif    the interface.
     * @param source the source, 0 for any.
     */
    static void join(final KSocket socket, final int group, final Interface nif, final int source) throws ErrnoException
    {
        if (0 == source)
        {
            UdpSockets.membership(socket, true, group, nif.address(), nif.index());
            return;
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment request = arena.allocate(12, 4);
            request.set(NETWORK_INT, 0, group);
            request.set(NETWORK_INT, 4, nif.address());
            request.set(NETWORK_INT, 8, source);
            socket.setOption(SocketConstants.SOL_IP, SocketConstants.IP_ADD_SOURCE_MEMBERSHIP, request);
        }
    }

    /**
     * @param address host order.
     * @return the {@link InetAddress}.
     */
    static InetAddress inet(final int address)
    {
        try
        {
            return InetAddress.getByAddress(new byte[]{
                (byte)(address >>> 24), (byte)(address >>> 16), (byte)(address >>> 8), (byte)address});
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
