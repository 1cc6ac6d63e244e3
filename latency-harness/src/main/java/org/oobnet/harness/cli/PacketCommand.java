package org.oobnet.harness.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import java.util.concurrent.atomic.AtomicBoolean;

import org.oobnet.core.OobConfig;
import org.oobnet.harness.bench.run.RowSpec;
import org.oobnet.harness.env.JvmProfile;
import org.oobnet.harness.env.ParentWatch;
import org.oobnet.harness.bench.packet.OobPacketRuns;
import org.oobnet.harness.env.CpuSet;
import org.oobnet.harness.bench.run.IdleKind;
import org.oobnet.harness.bench.run.MeasurementPlan;
import org.oobnet.harness.bench.reflect.ReflectorHops;
import org.oobnet.harness.bench.reflect.ReflectorPhase;
import org.oobnet.harness.bench.reflect.ReflectorRun;
import org.oobnet.harness.bench.udp.UdpClientRun;
import org.oobnet.harness.bench.transport.RawFrameTransport;
import org.oobnet.harness.bench.transport.TransportSettings;
import org.oobnet.harness.report.Outputs;
import org.oobnet.harness.report.Progress;
import org.oobnet.harness.report.ResultFolder;
import org.oobnet.harness.report.RunDescription;
import org.oobnet.harness.report.RunJson;
import org.oobnet.harness.report.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.oobnet.harness.bench.udp.UdpRunner;

/**
 * {@code oobnet latency packet}: raw-frame ping-pong over oob-packet between two network namespaces (EtherType
 * 0x88B5, the sockperf message as payload), each side its own JVM pinned to its own CPU. {@code --path oob} (the
 * default): an {@code AF_PACKET}/{@code SOCK_RAW | SOCK_OOB} socket whose frames the OOB stage sends and receives
 * (the measuring side and the reflector are stage tasks/callbacks; stage stalls and allocation are reported).
 * {@code --path rings}: oob-packet's TPACKET_V2 rings driven by one spinning thread per side, without the stage —
 * the floor of the design on these machines, measured from Java.
 * <p>
 * <b>Note:</b> in-band command; both sides spin (one thread each, on different CPUs) for the run's length.
 */
@Command(name = "packet", mixinStandardHelpOptions = true,
    description = "Raw-frame ping-pong over oob-packet between two namespaces: through the OOB stage (--path oob) " +
        "or on the rings directly (--path rings).")
public final class PacketCommand implements Callable<Integer>
{
    @Mixin
    RunOptions options;

    @Option(names = "--profile", defaultValue = "on", paramLabel = "on|off",
        description = "Apply the low-latency JVM profile to the child JVMs (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--path", defaultValue = "oob", paramLabel = "oob|rings",
        description = "oob: an AF_PACKET SOCK_OOB socket served by the OOB stage (the runtime's path); rings: " +
            "oob-packet's rings driven directly by one spinning thread per side (default: ${DEFAULT-VALUE}).")
    String path;

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

    @Option(names = "--exit-with-parent", hidden = true)
    boolean exitWithParent;

    @Option(names = "--await-go", hidden = true)
    boolean awaitGo;

    @Override
    public Integer call() throws IOException
    {
        try
        {
            if (!"oob".equals(path) && !"rings".equals(path))
            {
                throw new IllegalArgumentException("path=" + path + " is not one of oob, rings");
            }
            if (awaitGo && !reflect)
            {
                // started before the reflector was ready: the parent says when it is
                ParentWatch.readLine(System.in);
            }
            if ("oob".equals(path) && (reflect || childOutput != null))
            {
                return reflect ? reflectOob() : measureOob();
            }
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

    private OobConfig.IdleStrategyKind stageIdle(final int cpu)
    {
        return switch (idle(cpu))
        {
            case SPIN -> OobConfig.IdleStrategyKind.SPIN;
            case YIELD -> OobConfig.IdleStrategyKind.YIELD;
            case PARK -> OobConfig.IdleStrategyKind.BACKOFF;
        };
    }

    private void watchParent(final Runnable stop)
    {
        if (exitWithParent)
        {
            ParentWatch.onEndOfInput(System.in, stop);
        }
    }

    private String requireInterface()
    {
        if (interfaceName == null)
        {
            throw new IllegalArgumentException("--interface is required with --reflect and --child-output");
        }
        return interfaceName;
    }

    private int reflectOob() throws IOException
    {
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread stopper = new Thread(() -> running.set(false), "oobnet-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        final ReflectorHops hops = new ReflectorHops(System.out);
        if (exitWithParent)
        {
            ParentWatch.onInput(System.in, new ReflectorPhase(hops, System.out)::onLine, () -> running.set(false));
        }
        OobPacketRuns.reflect(requireInterface(), options.cpu(), stageIdle(options.cpu()), System.out, running::get,
            hops);
        return 0;
    }

    private int measureOob() throws IOException
    {
        final MeasurementPlan plan = options.plan();
        final int cpu = options.cpu();
        final RunDescription description = new RunDescription(label != null ? label : "packet-oob", "packet",
            "oob", "oobnet", options.size(), cpu, CpuSet.isIsolated(cpu), options.peerCpu(), plan.rateHz(),
            JvmProfile.isActive(), network, plan.durationNs(), plan.count());
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread stopper = new Thread(() -> running.set(false), "oobnet-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        watchParent(() -> running.set(false));
        final RunResult result = OobPacketRuns.measure(requireInterface(), stageIdle(cpu), plan, description,
            options.receiveTimeoutNs(), System.out, Path.of(childOutput + ".hlog"), running::get);
        RunJson.write(Path.of(childOutput + ".run.json"), RunJson.toJson(result));
        return 0;
    }

    private int reflect() throws IOException
    {
        final int cpu = options.cpu();
        final ReflectorRun run = new ReflectorRun(new RawFrameTransport(), new InetSocketAddress(0),
            settings(cpu, 100_000_000L));
        final Thread stopper = new Thread(run::requestStop, "oobnet-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        watchParent(run::requestStop);
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
        watchParent(run::requestStop);
        final RunResult result = run.run(System.out, Path.of(childOutput + ".hlog"));
        RunJson.write(Path.of(childOutput + ".run.json"), RunJson.toJson(result));
        return 0;
    }

    private int orchestrate() throws IOException
    {
        final boolean withProfile = UdpCommand.parseOnOff("profile", profile);
        final ResultFolder folder = Outputs.folder(options.out, "packet");
        try (UdpRunner runner = new UdpRunner(options.settings(), folder, System.out, true,
            Progress.forLongRun(System.err, options.plan().durationNs())))
        {
            final List<RunResult> results = runner.run(List.of(RowSpec.packet(path, withProfile)), 1);
            runner.printSummaries(results);
            Outputs.finish(folder, "raw-frame round trip on PACKET_MMAP rings, " + options.size() + " bytes",
                results, options.json, System.out);
            return results.isEmpty() ? 1 : 0;
        }
    }
}
