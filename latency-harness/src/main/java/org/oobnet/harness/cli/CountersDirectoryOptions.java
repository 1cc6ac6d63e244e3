package org.oobnet.harness.cli;

import java.nio.file.Path;
import java.util.Optional;

import org.oobnet.config.ConfigException;
import org.oobnet.config.ConfigLoader;
import org.oobnet.config.Configuration;

import picocli.CommandLine.Option;

/**
 * {@code --dir DIR} and {@code --config FILE}: how the commands that read a running runtime from another process
 * ({@code stat}, {@code capture}) find its counters directory, as the runtime did.
 * <p>
 * <b>Note:</b> a picocli mixin; in-band.
 */
final class CountersDirectoryOptions
{
    @Option(names = "--dir", paramLabel = "DIR", description = "Counters directory (default: counters.directory).")
    Path dir;

    @Option(names = "--config", paramLabel = "FILE",
        description = "TOML configuration file (default: -D" + Configuration.CONFIG_FILE_PROPERTY + " or $" +
            Configuration.CONFIG_FILE_ENV + ", else none).")
    Path config;

    /**
     * The directory: {@code --dir}, else the configuration's {@code counters.directory} (file, {@code OOBNET_*},
     * {@code -Doobnet.*}).
     *
     * @return the counters directory.
     * @throws ConfigException naming every problem of the configuration.
     */
    Path resolve()
    {
        return null != dir ? dir :
            ConfigLoader.fromEnvironment().load(Optional.ofNullable(config)).config().counters().directory();
    }
}
