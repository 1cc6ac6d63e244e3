package org.oobnet.harness.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.oobnet.config.ConfigException;
import org.oobnet.config.ConfigLoader;
import org.oobnet.config.Configuration;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code oobnet config --print}: loads the configuration as the runtime would (file, then {@code OOBNET_*}
 * variables, then {@code -Doobnet.*} properties) and prints every effective value with where it came from, or
 * every problem when it is invalid (exit 2).
 * <p>
 * <b>Note:</b> in-band.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Print the effective configuration and where each value came from.")
final class ConfigCommand implements Callable<Integer>
{
    /** Exit status when the configuration is invalid. */
    static final int EXIT_INVALID = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--print", description = "Print every effective value with its source (the default action).")
    boolean print;

    @Option(names = "--config", paramLabel = "FILE",
        description = "TOML configuration file (default: -D" + Configuration.CONFIG_FILE_PROPERTY + " or $" +
            Configuration.CONFIG_FILE_ENV + ", else none).")
    Path config;

    @Override
    public Integer call()
    {
        try
        {
            spec.commandLine().getOut().print(ConfigLoader.fromEnvironment().load(Optional.ofNullable(config)).render());
            spec.commandLine().getOut().flush();
            return 0;
        }
        catch (final ConfigException ex)
        {
            spec.commandLine().getErr().println("oobnet: " + ex.getMessage());
            spec.commandLine().getErr().flush();
            return EXIT_INVALID;
        }
    }
}
