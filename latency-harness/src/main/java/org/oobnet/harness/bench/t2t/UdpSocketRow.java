package org.oobnet.harness.bench.t2t;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A UDP socket's row of {@code /proc/self/net/udp} (this process's network namespace), found by its local port:
 * what {@code java.nio} does not tell about a {@code DatagramChannel}, its inode and the kernel's count of
 * datagrams it dropped (a full receive buffer: the reader did not keep up).
 * <p>
 * <b>Note:</b> in-band, stateless.
 */
final class UdpSocketRow
{
    /** The inode's field. */
    static final int INODE = 9;
    /** The drops' field, the last one. */
    static final int DROPS = 12;

    private UdpSocketRow()
    {
    }

    /**
     * @param port the socket's local port.
     * @return the row's fields, or null when no socket has that port.
     * @throws IOException when /proc cannot be read.
     */
    static String[] find(final int port) throws IOException
    {
        final String suffix = String.format(Locale.ROOT, ":%04X", port);
        final List<String> lines = Files.readAllLines(Path.of("/proc/self/net/udp"));
        for (final String line : lines.subList(1, lines.size()))
        {
            final String[] fields = line.trim().split("\\s+");
            if (fields.length > DROPS && fields[1].endsWith(suffix))
            {
                return fields;
            }
        }
        return null;
    }

    /**
     * @param port the socket's local port.
     * @return the datagrams the kernel dropped at it, or -1 when there is no such socket or /proc cannot tell.
     */
    static long drops(final int port)
    {
        try
        {
            final String[] fields = find(port);
            return fields == null ? -1 : Long.parseLong(fields[DROPS]);
        }
        catch (final IOException | NumberFormatException ex)
        {
            return -1;
        }
    }
}
