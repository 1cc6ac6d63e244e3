package org.oobnet.harness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.harness.bench.mcast.McastDump;
import org.oobnet.harness.bench.mcast.McastEndpoints;
import org.oobnet.harness.bench.mcast.McastPayload;
import org.oobnet.harness.bench.mcast.McastSend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code oobnet mcast send|dump}: the msend/mdump pair over the OOB path.
 * <p>
 * <b>Note:</b> in-band; needs root (AF_PACKET) for the OOB path. Runs in the calling process's network namespace.
 */
@Command(
    name = "mcast",
    description = "Multicast tools: publish to a group (send), join groups and count what comes (dump).",
    subcommands = { McastCommand.Send.class, McastCommand.Dump.class, CommandLine.HelpCommand.class })
public final class McastCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /**
     * {@code oobnet mcast dump}.
     */
    @Command(name = "dump", description = "Join groups on an interface through the OOB path; print per-group and "
        + "per-source counts, sequence gaps, RX timestamps and RX-timestamp->handler latency.")
    static final class Dump implements Callable<Integer>
    {
        @Option(names = { "-i", "--interface" }, paramLabel = "IF",
            description = "The interface (default: the one the route to the first group leaves by).")
        String interfaceName;

        @Option(names = "--join", paramLabel = "GROUP[:PORT]", required = true,
            description = "A group to join, repeatable; without :PORT the --port.")
        List<String> joins = new ArrayList<>();

        @Option(names = "--source", paramLabel = "ADDR",
            description = "Join source-specific: only datagrams from ADDR (applies to every --join).")
        String source;

        @Option(names = "--port", paramLabel = "PORT", description = "The port of joins without one.")
        int port;

        @Option(names = "--count", paramLabel = "N", description = "Stop after N datagrams (default: no limit).")
        long count;

        @Option(names = "--duration", paramLabel = "TIME", description = "Stop after TIME (default: ${DEFAULT-VALUE}).")
        String duration = "10s";

        @Option(names = "--transport", paramLabel = "packet|kernel",
            description = "OOB UDP transport (default: ${DEFAULT-VALUE}).")
        String transport = "packet";

        @Option(names = "--idle", paramLabel = "spin|yield|backoff",
            description = "The stage's idle strategy (default: ${DEFAULT-VALUE}).")
        String idle = "backoff";

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
        Path json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception
        {
            final List<McastEndpoints.GroupPort> groups = new ArrayList<>();
            for (final String join : joins)
            {
                groups.add(McastEndpoints.parseGroup("--join", join, port));
            }
            if (count < 0)
            {
                throw new IllegalArgumentException("--count=" + count + " must be at least 0");
            }
            final McastDump dump = new McastDump(new McastDump.Options(interfaceName, groups,
                null == source ? 0 : McastEndpoints.parseAddress("--source", source), transport(transport),
                idle(idle), count, Durations.parseNs("--duration", duration))).run();
            dump.report(spec.commandLine().getOut(), json);
            return 0;
        }
    }

    /**
     * {@code oobnet mcast send}.
     */
    @Command(name = "send", description = "Publish sequenced datagrams to a group at a rate, through the OOB path "
        + "or the kernel.")
    static final class Send implements Callable<Integer>
    {
        @Option(names = { "-i", "--interface" }, paramLabel = "IF",
            description = "The interface (default: the one the route to the group leaves by).")
        String interfaceName;

        @Option(names = "--group", paramLabel = "GROUP[:PORT]", required = true, description = "Where to send.")
        String group;

        @Option(names = "--port", paramLabel = "PORT", description = "The port when --group has none.")
        int port;

        @Option(names = "--rate", paramLabel = "N", description = "Datagrams per second (default: ${DEFAULT-VALUE}).")
        int rate = 1000;

        @Option(names = "--count", paramLabel = "N", description = "How many (default: until --duration).")
        long count;

        @Option(names = "--duration", paramLabel = "TIME", description = "At most TIME (default: ${DEFAULT-VALUE}).")
        String duration = "10s";

        @Option(names = "--size", paramLabel = "BYTES", description = "Payload bytes, 20..1472 (default: ${DEFAULT-VALUE}).")
        int size = 64;

        @Option(names = "--ttl", paramLabel = "N", description = "IP_MULTICAST_TTL (default: ${DEFAULT-VALUE}).")
        int ttl = 1;

        @Option(names = "--path", paramLabel = "oob|kernel", description = "Through the OOB path or the kernel "
            + "(default: ${DEFAULT-VALUE}).")
        String path = "oob";

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
        Path json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception
        {
            final McastEndpoints.GroupPort target = McastEndpoints.parseGroup("--group", group, port);
            if (rate < 1 || rate > 10_000_000)
            {
                throw new IllegalArgumentException("--rate=" + rate + " must be 1..10000000");
            }
            if (size < McastPayload.LENGTH || size > 1472)
            {
                throw new IllegalArgumentException("--size=" + size + " must be " + McastPayload.LENGTH + "..1472");
            }
            if (count < 0 || ttl < 0 || ttl > 255)
            {
                throw new IllegalArgumentException("--count=" + count + " must be at least 0, --ttl=" + ttl +
                    " 0..255");
            }
            if (!"oob".equals(path) && !"kernel".equals(path))
            {
                throw new IllegalArgumentException("--path=" + path + " must be oob or kernel");
            }
            final McastSend send = new McastSend(new McastSend.Options(interfaceName, target, "oob".equals(path),
                rate, count, Durations.parseNs("--duration", duration), size, ttl)).run();
            send.report(spec.commandLine().getOut(), json);
            return 0;
        }
    }

    static OobConfig.IdleStrategyKind idle(final String name)
    {
        try
        {
            return OobConfig.IdleStrategyKind.parse(name);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--idle=" + name + " must be spin, yield, backoff or noop");
        }
    }

    static UdpTransport transport(final String name)
    {
        return switch (name.toLowerCase(Locale.ROOT))
        {
            case "packet" -> UdpTransport.PACKET;
            case "kernel" -> UdpTransport.KERNEL;
            default -> throw new IllegalArgumentException("--transport=" + name + " must be packet or kernel");
        };
    }
}
