package org.oobnet.harness.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.oobnet.core.OobConfig;
import org.oobnet.harness.bench.run.IdleKind;
import org.oobnet.harness.bench.run.RowSpec;
import org.oobnet.harness.bench.transport.Transports;
import org.oobnet.harness.bench.transport.UdpTransport;
import org.oobnet.harness.bench.udp.UdpPeerMeasurement;
import org.oobnet.harness.bench.udp.UdpRunner;
import org.oobnet.harness.env.ParentWatch;
import org.oobnet.harness.report.Outputs;
import org.oobnet.harness.report.Progress;
import org.oobnet.harness.report.ResultFolder;
import org.oobnet.harness.report.RunJson;
import org.oobnet.harness.report.RunResult;
import org.oobnet.harness.report.SockperfSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oobnet latency udp}: UDP ping-pong round trips. Without {@code --peer}: between two network namespaces,
 * reflector and client each in its own pinned JVM. With {@code --peer ADDR:PORT}: this process measures against
 * that reflector (ours, or an unmodified {@code sockperf server} with {@code --peer-kind sockperf}). The work is
 * {@link UdpRunner} (the namespaces and child JVMs) and {@link UdpPeerMeasurement} (this process against a peer);
 * this command checks the options and prints.
 * <p>
 * <b>Note:</b> in-band command; the measuring loop runs on the calling thread.
 */
@Command(name = "udp", mixinStandardHelpOptions = true,
    description = "UDP ping-pong round trips between two network namespaces (or against --peer).")
public final class UdpCommand implements Callable<Integer>
{
    /** The largest datagram a client or reflector receives. */
    static final int MAX_DATAGRAM = 65_536;

    @Mixin
    RunOptions options;

    @Option(names = "--transport", paramLabel = "packet|kernel|inband",
        description = "The UDP path (default: the fastest in this build).")
    String transport;

    @Option(names = "--profile", defaultValue = "on", paramLabel = "on|off",
        description = "Apply the low-latency JVM profile to the child JVMs (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--peer", paramLabel = "ADDR:PORT",
        description = "Measure from this process against a running reflector instead of making namespaces.")
    String peer;

    @Option(names = "--peer-kind", defaultValue = "oobnet", paramLabel = "oobnet|sockperf",
        description = "What --peer is: our reflector, or an unmodified `sockperf server` (same wire format).")
    String peerKind;

    @Option(names = "--label", hidden = true)
    String label;

    @Option(names = "--network", hidden = true, defaultValue = "peer")
    String network;

    @Option(names = "--child-output", hidden = true)
    Path childOutput;

    @Option(names = "--exit-with-parent", hidden = true)
    boolean exitWithParent;

    @Option(names = "--extra-sockets", paramLabel = "N", defaultValue = "0",
        description = "N more OOB UDP sockets bound and idle on the measuring side's stage and interface, as a " +
            "market-data process holds them (packet and kernel transports; default: ${DEFAULT-VALUE}).")
    int extraSockets;

    @Option(names = "--interface", paramLabel = "IF",
        description = "The interface oob-udp's stack serves, for --peer with the packet/kernel transports " +
            "(default: the interface of the kernel's route to the peer).")
    String interfaceName;

    @Override
    public Integer call() throws IOException
    {
        final String name = transport != null ? transport : Transports.available().get(0).name();
        final PrintStream out = System.out;
        try
        {
            final UdpTransport chosen = Transports.byName(name);
            if (extraSockets < 0 || (extraSockets > 0 && !chosen.onStage()))
            {
                throw new IllegalArgumentException("extra-sockets=" + extraSockets +
                    " must be >= 0, and > 0 only with the packet or kernel transport");
            }
            if (!"oobnet".equals(peerKind) && !"sockperf".equals(peerKind))
            {
                throw new IllegalArgumentException("peer-kind=" + peerKind + " is not one of oobnet, sockperf");
            }
            if (peer == null)
            {
                return orchestrate(name, out);
            }
            if ("-".equals(peer))
            {
                // started before the reflector was ready: the parent sends its address when it is
                peer = ParentWatch.readLine(System.in).trim();
            }
            return measure(name, out);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("oobnet latency udp: " + ex.getMessage());
            return 2;
        }
    }

    private int orchestrate(final String name, final PrintStream out) throws IOException
    {
        final boolean withProfile = parseOnOff("profile", profile);
        final ResultFolder folder = Outputs.folder(options.out, "udp");
        try (UdpRunner runner = new UdpRunner(options.settings(), folder, out, true,
            Progress.forLongRun(System.err, options.plan().durationNs())))
        {
            runner.extraSockets(extraSockets);
            final List<RunResult> results = runner.run(List.of(RowSpec.of(name, withProfile)), 1);
            runner.printSummaries(results);
            Outputs.finish(folder, "UDP round trip, " + options.size() + " bytes", results, options.json, out);
            return results.isEmpty() ? 1 : 0;
        }
    }

    /**
     * @param address the peer or bind address.
     * @return the interface for oob-udp's stack.
     */
    String stackInterface(final InetSocketAddress address)
    {
        return StackInterface.forPeer(address, interfaceName, System.err, "oobnet latency udp");
    }

    /**
     * @param idle the {@code --idle} value.
     * @param cpu  the stage's CPU.
     * @return the stage's idle strategy: {@code auto} spins (the stage's default).
     */
    public static OobConfig.IdleStrategyKind stageIdle(final String idle, final int cpu)
    {
        return IdleKind.stageStrategy(idle);
    }

    private int measure(final String name, final PrintStream out) throws IOException
    {
        final boolean onStage = Transports.byName(name).onStage();
        final InetSocketAddress address = parseAddress("peer", peer);
        final String runLabel = label != null ? label : "udp-" + name;
        final UdpPeerMeasurement.Settings settings = new UdpPeerMeasurement.Settings(name, address, peerKind,
            runLabel, network, onStage ? stackInterface(address) : null, options.settings(), MAX_DATAGRAM,
            extraSockets, exitWithParent);
        final ResultFolder folder = childOutput == null ? Outputs.folder(options.out, "udp") : null;
        final Path log = childOutput != null ? Path.of(childOutput + ".hlog") : folder.intervalLog(runLabel, 0);
        final RunResult result = UdpPeerMeasurement.measure(settings, out, log);
        if (childOutput != null)
        {
            RunJson.write(Path.of(childOutput + ".run.json"), RunJson.toJson(result));
            return 0;
        }
        SockperfSummary.lines(result).forEach(out::println);
        folder.writeRun(result);
        Outputs.finish(folder, "UDP round trip against " + peer + " (" + peerKind + ")", List.of(result),
            options.json, out);
        return 0;
    }

    /**
     * @param name the option, for the error message.
     * @param text {@code host:port}.
     * @return the address.
     * @throws IllegalArgumentException naming the option.
     */
    public static InetSocketAddress parseAddress(final String name, final String text)
    {
        final int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1)
        {
            throw new IllegalArgumentException(name + "=" + text + " is not ADDR:PORT");
        }
        try
        {
            final int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 0 || port > 65535)
            {
                throw new IllegalArgumentException(name + "=" + text + ": port=" + port + " is not 0..65535");
            }
            return new InetSocketAddress(text.substring(0, colon), port);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + "=" + text + ": the port is not a number");
        }
    }

    /**
     * @param name the option.
     * @param text {@code on} or {@code off}.
     * @return true for on.
     */
    static boolean parseOnOff(final String name, final String text)
    {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT))
        {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new IllegalArgumentException(name + "=" + text + " is not on or off");
        };
    }
}
