package org.oobnet.inband.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the kernel counted in the calling thread's network namespace, for tests that wait for traffic to have
 * arrived, or book what the kernel dropped, instead of sleeping: {@code /proc/thread-self/net} (not
 * {@code /proc/self/net}, the main thread's namespace), so call it on a namespace host's thread for that host.
 * <p>
 * <b>Note:</b> thread safe, stateless.
 */
public final class KernelNetStats
{
    /** {@code st} of an established TCP socket in {@code /proc/net/tcp}. */
    public static final int TCP_ESTABLISHED = 1;

    private static final Path NET = Path.of("/proc/thread-self/net");

    private KernelNetStats()
    {
    }

    /**
     * One counter of {@code /proc/net/snmp}, e.g. {@code ("Ip", "InReceives")}: the IPv4 datagrams (fragments each)
     * the namespace's IP stack took in, which it counts after a device's {@code ETH_P_ALL} taps saw the frame.
     *
     * @param group the line's prefix without the colon: Ip, Icmp, Tcp, Udp...
     * @param field the column's name.
     * @return its value.
     * @throws IOException when the file cannot be read.
     */
    public static long snmp(final String group, final String field) throws IOException
    {
        final List<String> lines = Files.readAllLines(NET.resolve("snmp")).stream()
            .filter(line -> line.startsWith(group + ":")).toList();
        if (lines.size() != 2)
        {
            throw new IllegalArgumentException("no " + group + " lines in /proc/net/snmp");
        }
        final List<String> names = List.of(lines.get(0).trim().split("\\s+"));
        final int column = names.indexOf(field);
        if (column < 0)
        {
            throw new IllegalArgumentException("no " + group + " " + field + " in /proc/net/snmp: " + names);
        }
        return Long.parseLong(lines.get(1).trim().split("\\s+")[column]);
    }

    /**
     * The datagrams the kernel dropped at the UDP sockets bound to {@code port} (their receive buffers full): the
     * last column of {@code /proc/net/udp} (and {@code udp6}).
     *
     * @param port the local port.
     * @return the sum over those sockets.
     * @throws IOException when the file cannot be read.
     */
    public static long udpDrops(final int port) throws IOException
    {
        long drops = 0;
        for (final SocketRow row : sockets("udp", port))
        {
            drops += row.drops();
        }
        return drops;
    }

    /**
     * The sockets of {@code /proc/net/udp} or {@code /proc/net/tcp} and their IPv6 twins ({@code udp6},
     * {@code tcp6}: a Java channel is an IPv6 socket, IPv4 addresses mapped) whose local port is {@code port}:
     * listening, bound or connected, accepted or not.
     *
     * @param protocol "udp" or "tcp".
     * @param port     the local port.
     * @return one row per socket.
     * @throws IOException when a file cannot be read.
     */
    public static List<SocketRow> sockets(final String protocol, final int port) throws IOException
    {
        final String localPort = String.format(":%04X", port);
        final List<SocketRow> rows = new ArrayList<>();
        for (final Path table : List.of(NET.resolve(protocol), NET.resolve(protocol + "6")))
        {
            if (!Files.exists(table)) // no IPv6 in the kernel
            {
                continue;
            }
            for (final String line : Files.readAllLines(table))
            {
                // sl local_address rem_address st tx_queue:rx_queue ... (udp: drops last)
                final String[] columns = line.trim().split("\\s+");
                if (columns.length > 12 && columns[1].endsWith(localPort))
                {
                    final String[] queues = columns[4].split(":");
                    final long drops = "udp".equals(protocol) ? Long.parseLong(columns[columns.length - 1]) : 0;
                    rows.add(new SocketRow(Integer.parseInt(columns[3], 16), Long.parseLong(queues[0], 16),
                        Long.parseLong(queues[1], 16), drops));
                }
            }
        }
        return rows;
    }

    /**
     * A socket as {@code /proc/net/udp} or {@code /proc/net/tcp} shows it.
     *
     * @param state    {@code st}, e.g. {@link #TCP_ESTABLISHED}.
     * @param txQueued bytes in its send queue.
     * @param rxQueued bytes in its receive queue, not yet read.
     * @param drops    datagrams dropped at it (UDP; 0 for TCP).
     */
    public record SocketRow(int state, long txQueued, long rxQueued, long drops)
    {
    }
}
