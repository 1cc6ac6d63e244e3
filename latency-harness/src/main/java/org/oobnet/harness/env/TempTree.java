package org.oobnet.harness.env;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Deletes a run's temporary directory tree (counters files, logs), best effort.
 * <p>
 * <b>Note:</b> stateless.
 */
public final class TempTree
{
    private TempTree()
    {
    }

    /**
     * Deletes {@code dir} and everything under it; what cannot be deleted stays (a temporary directory).
     *
     * @param dir the tree's root.
     */
    public static void delete(final Path dir)
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ignore)
        {
            // best effort: a temp dir
        }
    }
}
