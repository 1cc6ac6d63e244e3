package org.oobnet.harness.cli;

import org.oobnet.core.OobConfig;
import org.oobnet.core.counters.CountersFileDescriptor;
import org.oobnet.core.counters.CountersFileReader;
import org.oobnet.packet.PacketConfig;
import org.oobnet.packet.port.PortReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code oobnet net}: the OOB ports (interfaces), as EVL's {@code evl net}.
 * <p>
 * <b>Note:</b> in-band; runs in its own JVM, in the calling process's network namespace.
 */
@Command(
    name = "net",
    mixinStandardHelpOptions = true,
    description = "OOB network ports: interfaces, their OOB state, ring geometry and counters.",
    subcommands = { NetCommand.Query.class, NetCommand.PingPong.class, CommandLine.HelpCommand.class })
public final class NetCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /**
     * {@code oobnet net query [-i IF]}.
     */
    @Command(name = "query", mixinStandardHelpOptions = true,
        description = "Show each interface's OOB state, ring geometry and counters.")
    static final class Query implements Callable<Integer>
    {
        @Option(names = { "-i", "--interface" }, paramLabel = "IF", description = "Only this interface.")
        String interfaceName;

        @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with packet.* keys (default: the built-in defaults).")
        Path configFile;

        @Option(names = { "-D", "--set" }, paramLabel = "KEY=VALUE", description = "Override one packet.* key.")
        Map<String, String> overrides = new HashMap<>();

        @Option(names = "--counters-dir", paramLabel = "DIR",
            description = "Where a running runtime keeps its counters file (default: ${DEFAULT-VALUE}).")
        Path countersDir = OobConfig.defaultCountersDir();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException
        {
            final Map<String, String> properties = new HashMap<>();
            if (null != configFile)
            {
                final Properties file = new Properties();
                try (Reader reader = Files.newBufferedReader(configFile))
                {
                    file.load(reader);
                }
                file.forEach((k, v) -> properties.put(k.toString(), v.toString()));
            }
            properties.putAll(overrides);
            final PacketConfig config;
            try
            {
                config = PacketConfig.fromProperties(properties);
            }
            catch (final IllegalArgumentException e)
            {
                spec.commandLine().getErr().println("oobnet net query: " + e.getMessage());
                return 2;
            }

            final Path countersFile = countersDir.resolve(CountersFileDescriptor.FILE_NAME);
            CountersFileReader reader = null;
            if (Files.exists(countersFile))
            {
                try
                {
                    reader = CountersFileReader.open(countersFile);
                    if (!reader.isOwnerAlive())
                    {
                        reader.close();
                        reader = null;
                    }
                }
                catch (final RuntimeException e)
                {
                    spec.commandLine().getErr().println("oobnet net query: ignoring " + e.getMessage());
                }
            }
            try
            {
                final java.io.PrintWriter out = spec.commandLine().getOut();
                final int status = new PortReport(config, null == reader ? null : reader.counters())
                    .print(out, interfaceName);
                out.flush();
                return status;
            }
            finally
            {
                if (null != reader)
                {
                    reader.close();
                }
            }
        }
    }

    /**
     * {@code oobnet net pingpong}, retired: {@code oobnet latency packet} measures the same raw-frame round trip
     * (stage stalls, lost round trips and all), and {@code oobnet latency compare} puts kernel UDP in the same run.
     * Kept so that an old command line gets one line naming its replacement rather than "unknown subcommand".
     */
    @Command(name = "pingpong", hidden = true,
        description = "Retired: use oobnet latency packet (or oobnet latency compare --runs packet,udp/kernel).")
    static final class PingPong implements Callable<Integer>
    {
        /** What to run instead; printed as the one line. */
        static final String REPLACEMENT = "oobnet net pingpong: retired; use `oobnet latency packet` (raw frames " +
            "through the OOB stage), or `oobnet latency compare --runs packet,udp/kernel` for kernel UDP " +
            "(busy-polled) in the same run";

        // any old option (--warmup, --samples, ...) still gets the line naming the replacement
        @CommandLine.Unmatched
        java.util.List<String> unmatched;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call()
        {
            spec.commandLine().getErr().println(REPLACEMENT);
            spec.commandLine().getErr().flush();
            return 2;
        }
    }
}
