package org.oobnet.harness.cli;

import java.io.IOException;
import java.util.concurrent.Callable;

import org.oobnet.harness.env.ParentWatch;
import org.oobnet.harness.bench.udp.OobUdpRuns;
import org.oobnet.harness.env.CpuSet;
import org.oobnet.harness.bench.run.IdleKind;
import org.oobnet.harness.bench.reflect.ReflectorHops;
import org.oobnet.harness.bench.reflect.ReflectorPhase;
import org.oobnet.harness.bench.reflect.ReflectorRun;
import org.oobnet.harness.bench.transport.TransportSettings;
import org.oobnet.harness.bench.transport.Transports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code oobnet latency reflect}: a UDP reflector speaking sockperf's ping-pong format, so that an unmodified
 * {@code sockperf ping-pong} client (or our {@code latency udp --peer}) can measure against the chosen path.
 * <p>
 * <b>Note:</b> in-band command; runs until SIGTERM/SIGINT or {@code --duration}.
 */
@Command(name = "reflect", mixinStandardHelpOptions = true,
    description = "UDP reflector in sockperf's ping-pong format (for sockperf ping-pong or latency udp --peer).")
public final class ReflectCommand implements Callable<Integer>
{
    @Option(names = "--bind", required = true, paramLabel = "ADDR:PORT",
        description = "Where to listen (port 0: any free port; printed as READY ADDR:PORT).")
    String bind;

    @Option(names = "--transport", paramLabel = "packet|kernel|inband",
        description = "The UDP path (default: the fastest in this build).")
    String transport;

    @Option(names = "--cpu", defaultValue = "-1", paramLabel = "CPU",
        description = "CPU of a polling transport's stage (the process itself is pinned by the caller).")
    int cpu;

    @Option(names = "--idle", defaultValue = "auto", paramLabel = "spin|yield|park|auto",
        description = "How a polling transport idles (auto: spin on an isolated CPU, else park).")
    String idle;

    @Option(names = "--duration", paramLabel = "TIME", description = "Stop after this long (default: never).")
    String duration;

    @Option(names = "--exit-with-parent", hidden = true)
    boolean exitWithParent;

    @Option(names = "--interface", paramLabel = "IF",
        description = "The interface oob-udp's stack serves, for the packet/kernel transports (default: the " +
            "interface that holds the --bind address).")
    String interfaceName;

    @Option(names = "--receive-timeout", defaultValue = "100ms", hidden = true)
    String receiveTimeout;

    private IdleKind idle()
    {
        if ("auto".equalsIgnoreCase(idle))
        {
            return CpuSet.isIsolated(cpu) ? IdleKind.SPIN : IdleKind.PARK;
        }
        return IdleKind.parse(idle);
    }

    private int reflectOnStage(final String name) throws IOException
    {
        final java.net.InetSocketAddress address = UdpCommand.parseAddress("bind", bind);
        final String ifName = StackInterface.forBind(address, interfaceName, System.err, "oobnet latency reflect");
        final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> running.set(false), "oobnet-stop"));
        final ReflectorHops hops = new ReflectorHops(System.out);
        if (exitWithParent)
        {
            ParentWatch.onInput(System.in, new ReflectorPhase(hops, System.out)::onLine, () -> running.set(false));
        }
        final int stageCpu = cpu >= 0 ? cpu : CpuSet.defaultCpu();
        OobUdpRuns.reflect(OobUdpRuns.transport(name), ifName, address, stageCpu,
            UdpCommand.stageIdle(idle, stageCpu), System.out, running::get, hops);
        return 0;
    }

    @Override
    public Integer call() throws IOException
    {
        try
        {
            final String name = transport != null ? transport : Transports.available().get(0).name();
            if (Transports.byName(name).onStage())
            {
                return reflectOnStage(name);
            }
            final ReflectorRun run = new ReflectorRun(Transports.byName(name), UdpCommand.parseAddress("bind", bind),
                new TransportSettings(cpu >= 0 ? cpu : CpuSet.defaultCpu(), idle(),
                    UdpCommand.MAX_DATAGRAM, Durations.parseNs("receive-timeout", receiveTimeout)));
            final long durationNs = duration == null ? 0 : Durations.parseNs("duration", duration);
            final Thread stopper = new Thread(run::requestStop, "oobnet-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            if (exitWithParent)
            {
                ParentWatch.onEndOfInput(System.in, run::requestStop);
            }
            run.run(System.out, System.err, durationNs);
            try
            {
                Runtime.getRuntime().removeShutdownHook(stopper);
            }
            catch (final IllegalStateException ignored)
            {
                // shutting down
            }
            return 0;
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("oobnet latency reflect: " + ex.getMessage());
            return 2;
        }
    }
}
