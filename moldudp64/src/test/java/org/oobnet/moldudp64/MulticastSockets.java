package org.oobnet.moldudp64;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;

/**
 * Kernel UDP sockets for the interop tests, made on a host's own thread (inside its namespace).
 */
final class MulticastSockets
{
    private MulticastSockets()
    {
    }

    /** A socket that sends to groups out of {@code interfaceName}, TTL 1, without looping back. */
    static DatagramChannel sender(final String interfaceName) throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByName(interfaceName));
        channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1);
        channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
        channel.bind(new InetSocketAddress(0));
        return channel;
    }

    /** A non-blocking socket bound to {@code port} that joined {@code group} on {@code interfaceName}. */
    static DatagramChannel member(final String interfaceName, final String group, final int port) throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.bind(new InetSocketAddress(port));
        channel.join(InetAddress.getByName(group), NetworkInterface.getByName(interfaceName));
        channel.configureBlocking(false);
        return channel;
    }

    /** A non-blocking unicast socket bound to {@code address}:{@code port} (0: any port). */
    static DatagramChannel unicast(final String address, final int port) throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.bind(new InetSocketAddress(address, port));
        channel.configureBlocking(false);
        return channel;
    }
}
