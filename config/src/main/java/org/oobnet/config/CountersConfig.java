package org.oobnet.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the runtime maps its counters file, which {@code oobnet stat} reads from another process.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param directory an absolute directory; created when missing.
 */
public record CountersConfig(Path directory)
{
    /**
     * Checks the component.
     *
     * @param directory an absolute directory; created when missing.
     */
    public CountersConfig
    {
        Objects.requireNonNull(directory, "directory");
    }
}
