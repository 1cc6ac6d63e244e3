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
    @Command(name = "query", description = "Show each interface's OOB state, ring geometry and counters.")
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
     * {@code oobnet net pingpong}: the raw-frame ping-pong benchmark, OOB against kernel UDP in the same run.
     */
    @Command(name = "pingpong",
        description = "Raw-frame ping-pong between two namespaces: OOB packet sockets, then kernel UDP spinning "
            + "on recv(MSG_DONTWAIT), one pinned spinner per side (needs root).")
    static final class PingPong implements Callable<Integer>
    {
        @Option(names = "--warmup", description = "Round trips not recorded (default: ${DEFAULT-VALUE}).")
        int warmup = 20_000;

        @Option(names = "--samples", description = "Round trips recorded (default: ${DEFAULT-VALUE}).")
        int samples = 100_000;

        @Option(names = "--payload", description = "Payload bytes (default: ${DEFAULT-VALUE}).")
        int payload = 64;

        @Option(names = "--cpus", split = ",", description = "CPUs of side A and side B (default: 0,1).")
        int[] cpus = { 0, 1 };

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception
        {
            if (payload < 8 || payload > 1400 || cpus.length != 2)
            {
                spec.commandLine().getErr().println("oobnet net pingpong: payload=" + payload +
                    " must be in 8..1400 and --cpus must name two CPUs");
                return 2;
            }
            new org.oobnet.harness.net.PacketPingPong()
                .run(spec.commandLine().getOut(), warmup, samples, payload, cpus[0], cpus[1]);
            return 0;
        }
    }
}
