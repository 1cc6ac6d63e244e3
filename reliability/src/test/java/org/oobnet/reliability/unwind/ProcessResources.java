package org.oobnet.reliability.unwind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.oobnet.core.counters.CountersFileReader;
import org.oobnet.testkit.OpenDescriptors;

/**
 * What a socket could leak, read from outside the runtime: open descriptors ({@code /proc/self/fd}), mappings of
 * sockets in {@code /proc/self/maps} (PACKET_MMAP rings show as {@code socket:[inode]}), and counters allocated
 * in the runtime's counters file.
 *
 * @param descriptors     open descriptors.
 * @param socketMappings  mapping lines backed by a socket.
 * @param counters        allocated counters.
 */
record ProcessResources(int descriptors, int socketMappings, int counters)
{
    static ProcessResources take(final Path countersFile)
    {
        return new ProcessResources(OpenDescriptors.count(), countSocketMappings(), allocatedCounters(countersFile));
    }

    static int countSocketMappings()
    {
        try
        {
            return (int)Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.contains("socket:[")).count();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static int allocatedCounters(final Path countersFile)
    {
        try (CountersFileReader reader = CountersFileReader.open(countersFile))
        {
            final int[] count = new int[1];
            reader.counters().forEach((value, counterId, label) -> count[0]++);
            return count[0];
        }
    }
}
