package org.oobnet.harness.cli;

import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

import org.oobnet.inband.ErrnoException;
import org.oobnet.udp.frame.Ipv4Flyweight;
import org.oobnet.udp.route.RtnetlinkSocket;

/**
 * Which interface oob-udp's stack serves for a run, when the user did not name one with {@code --interface}: for a
 * peer, the interface of the kernel's route to it ({@code RTM_GETROUTE} through oob-udp's {@link RtnetlinkSocket},
 * as {@code ip route get} does); for a bind address, the interface that holds the address. It says which it chose
 * (one line on {@code notes}), and fails with one line naming the address when the kernel knows no answer.
 * <p>
 * <b>Note:</b> in-band; stateless.
 */
public final class StackInterface
{
    private StackInterface()
    {
    }

    /**
     * @param peer     the address the run sends to.
     * @param override the {@code --interface} value, or null.
     * @param notes    where the choice is reported.
     * @param command  the command's name, for the report.
     * @return the interface's name.
     * @throws IllegalArgumentException when there is no route to the peer.
     */
    public static String forPeer(final InetSocketAddress peer, final String override, final PrintStream notes,
        final String command)
    {
        if (override != null)
        {
            return override;
        }
        final String address = ipv4(peer, "--peer");
        try (RtnetlinkSocket rtnetlink = RtnetlinkSocket.open(0))
        {
            final int ifindex = rtnetlink.getRoute(Ipv4Flyweight.parseAddress(address)).ifindex();
            final String name = rtnetlink.getLink(ifindex).name();
            notes.println(command + ": interface " + name + " (the kernel's route to " + address +
                "; --interface overrides)");
            return name;
        }
        catch (final ErrnoException ex)
        {
            throw new IllegalArgumentException("no route to " + address + " (RTM_GETROUTE: " + ex.errnoName() +
                "): add a route to it (ip route add), or name the interface with --interface IF", ex);
        }
    }

    /**
     * @param bind     the address the run binds to.
     * @param override the {@code --interface} value, or null.
     * @param notes    where the choice is reported.
     * @param command  the command's name, for the report.
     * @return the interface's name.
     * @throws IllegalArgumentException when the address is the wildcard or on no interface.
     */
    public static String forBind(final InetSocketAddress bind, final String override, final PrintStream notes,
        final String command)
    {
        if (override != null)
        {
            return override;
        }
        final String address = ipv4(bind, "--bind");
        if (bind.getAddress().isAnyLocalAddress())
        {
            throw new IllegalArgumentException("bind address " + address + " names no interface: bind to the " +
                "interface's own address, or name the interface with --interface IF");
        }
        try
        {
            final NetworkInterface holder = NetworkInterface.getByInetAddress(bind.getAddress());
            if (holder == null)
            {
                throw new IllegalArgumentException("no interface has the address " + address + " (ip -4 addr " +
                    "shows them): bind to one of them, or name the interface with --interface IF");
            }
            notes.println(command + ": interface " + holder.getName() + " (it holds " + address +
                "; --interface overrides)");
            return holder.getName();
        }
        catch (final SocketException ex)
        {
            throw new IllegalArgumentException("cannot list the interfaces to find " + address + " (" +
                ex.getMessage() + "): name the interface with --interface IF", ex);
        }
    }

    private static String ipv4(final InetSocketAddress address, final String option)
    {
        if (address.isUnresolved() || !(address.getAddress() instanceof Inet4Address))
        {
            throw new IllegalArgumentException(option + "=" + address.getHostString() + " is not an IPv4 address " +
                "(oob-udp is UDP over IPv4)");
        }
        return address.getAddress().getHostAddress();
    }
}
