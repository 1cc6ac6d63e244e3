package org.oobnet.harness.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads small procfs and sysfs files, where a missing or unreadable file is an answer ("not available"), not
 * an error.
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
final class SysFiles
{
    private SysFiles()
    {
    }

    /**
     * The content of a file, stripped of surrounding white space.
     *
     * @param file the file.
     * @return its content, or empty when it is missing or unreadable.
     */
    static Optional<String> read(final Path file)
    {
        try
        {
            return Optional.of(Files.readString(file).strip());
        }
        catch (final IOException | SecurityException ex)
        {
            return Optional.empty();
        }
    }

    /**
     * The content of a file, or text saying it is unavailable.
     *
     * @param file      the file.
     * @param otherwise what to say when it cannot be read.
     * @return its content, stripped.
     */
    static String readOr(final Path file, final String otherwise)
    {
        return read(file).orElse(otherwise);
    }
}
