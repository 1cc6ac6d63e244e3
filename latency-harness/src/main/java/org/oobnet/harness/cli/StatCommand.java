package org.oobnet.harness.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.oobnet.config.ConfigException;
import org.oobnet.core.counters.CountersPrinter;
import org.oobnet.harness.metrics.StatExport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code oobnet stat [--once] [--errors] [--prometheus] [--serve HOST:PORT] [--dir DIR]}: reads a running runtime's
 * counters file from this process, as AeronStat does, refreshing once a second; {@code --errors} prints the stage's
 * distinct error log; {@code --prometheus} and {@code --serve} export it ({@link StatExport}).
 * <p>
 * Without {@code --dir} the directory is the configuration's {@code counters.directory} (file, {@code OOBNET_*},
 * {@code -Doobnet.*}). <b>Note:</b> in-band; only reads the file.
 */
@Command(
    name = "stat",
    mixinStandardHelpOptions = true,
    description = "Print a running runtime's counters live (or its error log), like AeronStat.")
final class StatCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--once", description = "Print one reading and exit.")
    boolean once;

    @Option(names = "--errors", description = "Print the distinct error log of the stage instead of the counters.")
    boolean errors;

    @Option(names = "--prometheus", description = "Print one reading in the Prometheus text exposition format.")
    boolean prometheus;

    @Option(names = "--serve", paramLabel = "HOST:PORT", description = "Serve /metrics (Prometheus text format) " +
        "over HTTP until stopped; PORT alone listens on loopback only, HOST:PORT on that address.")
    String serve;

    @Mixin
    CountersDirectoryOptions counters;

    @Override
    public Integer call() throws InterruptedException
    {
        final Path directory;
        try
        {
            directory = counters.resolve();
        }
        catch (final ConfigException ex)
        {
            spec.commandLine().getErr().println("oobnet: " + ex.getMessage());
            spec.commandLine().getErr().flush();
            return ConfigCommand.EXIT_INVALID;
        }
        if (prometheus || null != serve)
        {
            return StatExport.run(directory, serve, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        return new CountersPrinter(spec.commandLine().getOut(), spec.commandLine().getErr()).run(directory, once, errors);
    }
}
