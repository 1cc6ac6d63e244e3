package org.oobnet.harness.bench.t2t;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The kernel descriptor of a bound {@link DatagramChannel}, which {@code java.nio} does not give: the socket's
 * inode from {@code /proc/self/net/udp} (by its local port, in this process's network namespace), then the
 * descriptor in {@code /proc/self/fd} that links to {@code socket:[inode]}. For turning on kernel timestamps on a
 * channel the moldudp64 publisher owns.
 * <p>
 * <b>Note:</b> in-band, stateless.
 */
final class ChannelFd
{
    private ChannelFd()
    {
    }

    /**
     * @param channel a bound IPv4 UDP channel.
     * @return its descriptor.
     * @throws IOException when /proc has no such socket.
     */
    static int of(final DatagramChannel channel) throws IOException
    {
        final int port = ((InetSocketAddress)channel.getLocalAddress()).getPort();
        final String[] row = UdpSocketRow.find(port);
        if (row == null)
        {
            throw new IOException("no UDP socket on port=" + port + " in /proc/self/net/udp");
        }
        final String link = "socket:[" + row[UdpSocketRow.INODE] + "]";
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            for (final Path fd : (Iterable<Path>)fds::iterator)
            {
                try
                {
                    if (link.equals(Files.readSymbolicLink(fd).toString()))
                    {
                        return Integer.parseInt(fd.getFileName().toString());
                    }
                }
                catch (final IOException ignored)
                {
                    // closed since the listing
                }
            }
        }
        throw new IOException("no descriptor links to " + link + " (UDP port=" + port + ")");
    }
}
