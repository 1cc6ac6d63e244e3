package org.oobnet.harness.latency.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.oobnet.harness.latency.net.JvmProfile;
import org.oobnet.harness.latency.run.CpuSet;
import org.oobnet.harness.latency.run.IdleKind;
import org.oobnet.harness.latency.run.MeasurementPlan;
import org.oobnet.harness.latency.run.ReflectorRun;
import org.oobnet.harness.latency.run.UdpClientRun;
import org.oobnet.harness.latency.transport.RawFrameTransport;
import org.oobnet.harness.latency.transport.TransportSettings;
import org.oobnet.harness.report.ResultFolder;
import org.oobnet.harness.report.RunDescription;
import org.oobnet.harness.report.RunJson;
import org.oobnet.harness.report.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oobnet latency packet}: raw-frame ping-pong over oob-packet's PACKET_MMAP rings between two network
 * namespaces (EtherType 0x88B5, the sockperf message as payload), each side its own JVM pinned to its own CPU and
 * spinning on its RX ring. The floor of the design on these machines, measured from Java.
 * <p>
 * <b>Note:</b> in-band command; both sides spin (one thread each, on different CPUs) for the run's length.
 */
@Command(name = "packet", mixinStandardHelpOptions = true,
    description = "Raw-frame ping-pong over oob-packet's PACKET_MMAP rings between two network namespaces.")
public final class PacketCommand implements Callable<Integer>
{
    @Mixin
    RunOptions options;

    @Option(names = "--profile", defaultValue = "on", paramLabel = "on|off",
        description = "Apply the low-latency JVM profile to the child JVMs (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--interface", hidden = true)
    String interfaceName;

    @Option(names = "--reflect", hidden = true)
    boolean reflect;

    @Option(names = "--label", hidden = true)
    String label;

    @Option(names = "--network", hidden = true, defaultValue = "veth")
    String network;

    @Option(names = "--child-output", hidden = true)
    Path childOutput;

    @Override
    public Integer call() throws IOException
    {
        try
        {
            if (reflect)
            {
                return reflect();
            }
            if (childOutput != null)
            {
                return measure();
            }
            return orchestrate();
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("oobnet latency packet: " + ex.getMessage());
            return 2;
        }
    }

    private IdleKind idle(final int cpu)
    {
        // both sides poll a ring: spinning is what is measured here (park would measure the timer slack)
        return "auto".equalsIgnoreCase(options.idle) ? IdleKind.SPIN : options.idle(cpu);
    }

    private TransportSettings settings(final int cpu, final long timeoutNs)
    {
        if (interfaceName == null)
        {
            throw new IllegalArgumentException("--interface is required with --reflect and --child-output");
        }
        return new TransportSettings(cpu, idle(cpu), UdpCommand.MAX_DATAGRAM, timeoutNs, interfaceName);
    }

    private int reflect() throws IOException
    {
        final int cpu = options.cpu();
        final ReflectorRun run = new ReflectorRun(new RawFrameTransport(), new InetSocketAddress(0),
            settings(cpu, 100_000_000L));
        final Thread stopper = new Thread(run::requestStop, "oobnet-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        run.run(System.out, System.err, 0);
        return 0;
    }

    private int measure() throws IOException
    {
        final MeasurementPlan plan = options.plan();
        final int cpu = options.cpu();
        final RunDescription description = new RunDescription(label != null ? label : "packet-rings", "packet",
            RawFrameTransport.NAME, "oobnet", options.size(), cpu, CpuSet.isIsolated(cpu), options.peerCpu(),
            plan.rateHz(), JvmProfile.isActive(), network, plan.durationNs(), plan.count());
        final UdpClientRun run = new UdpClientRun(new RawFrameTransport(), new InetSocketAddress(0),
            settings(cpu, options.receiveTimeoutNs()), plan, description);
        final Thread stopper = new Thread(run::requestStop, "oobnet-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        final RunResult result = run.run(System.out, Path.of(childOutput + ".hlog"));
        RunJson.write(Path.of(childOutput + ".run.json"), RunJson.toJson(result));
        return 0;
    }

    private int orchestrate() throws IOException
    {
        final boolean withProfile = UdpCommand.parseOnOff("profile", profile);
        final ResultFolder folder = Outputs.folder(options, "packet");
        try (UdpRunner runner = new UdpRunner(options, folder, System.out, true, new Progress(System.err, false)))
        {
            final List<RunResult> results = runner.run(List.of(RowSpec.packet(withProfile)), 1);
            runner.printSummaries(results);
            Outputs.finish(folder, "raw-frame round trip on PACKET_MMAP rings, " + options.size() + " bytes",
                results, options.json, System.out);
            return results.isEmpty() ? 1 : 0;
        }
    }
}
