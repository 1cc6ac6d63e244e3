package org.oobnet.harness.bench.udp;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.HdrHistogram.HistogramLogWriter;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.harness.bench.run.MeasurementPlan;
import org.oobnet.harness.bench.run.StageSamples;
import org.oobnet.harness.bench.reflect.ReflectorHops;
import org.oobnet.harness.bench.reflect.ReflectorRun;
import org.oobnet.harness.report.LatencyRecorder;
import org.oobnet.harness.report.RunDescription;
import org.oobnet.harness.report.RunResult;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.udp.UdpSockets;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;
import org.oobnet.harness.bench.packet.OobPacketRuns;
import org.oobnet.harness.bench.reflect.UdpStageReflector;

/**
 * The two sides of the UDP ping-pong over oob-udp's OOB sockets ({@code AF_INET}/{@code SOCK_DGRAM | SOCK_OOB}),
 * either transport: {@code packet} (UDP/IPv4 framed by the stage on PACKET_MMAP rings) or {@code kernel} (the stage
 * busy-polling a kernel UDP socket). Both sides work on the stage ({@link UdpStagePinger}, {@link UdpStageReflector});
 * the calling threads only set up and sleep.
 * <p>
 * <b>Note:</b> in-band.
 */
public final class OobUdpRuns
{
    private OobUdpRuns()
    {
    }

    private static final class Stack implements AutoCloseable
    {
        final UdpStack stack;
        final OobRuntime runtime;

        Stack(final UdpTransport transport, final String interfaceName, final int cpu,
            final OobConfig.IdleStrategyKind idle) throws IOException
        {
            stack = UdpStack.open(UdpStackConfig.of(transport, interfaceName));
            try
            {
                final ProtocolRegistry registry = new ProtocolRegistry();
                registry.register(SocketConstants.AF_INET, stack.protocol());
                final Path counters = Files.createTempDirectory("oobnet-latency");
                runtime = OobRuntime.start(OobConfig.builder().stageCpu(cpu).idleStrategy(idle).countersDir(counters)
                    .build(), registry);
            }
            catch (final IOException | RuntimeException ex)
            {
                stack.close();
                throw ex;
            }
        }

        KSocket socket(final UdpTransport transport) throws IOException
        {
            return UdpSockets.open(transport);
        }

        @Override
        public void close()
        {
            runtime.close();
            stack.close();
        }
    }

    /**
     * @param name {@code packet} or {@code kernel}.
     * @return oob-udp's transport.
     */
    public static UdpTransport transport(final String name)
    {
        return "packet".equals(name) ? UdpTransport.PACKET : UdpTransport.KERNEL;
    }

    /**
     * Reflects on the stage until {@code running} turns false.
     *
     * @param transport     packet or kernel.
     * @param interfaceName the interface the stack serves.
     * @param bind          where to bind (port 0: any free port, printed with {@code READY}).
     * @param cpu           the stage's CPU.
     * @param idle          the stage's idle strategy.
     * @param out           where {@code READY} and the final counts go.
     * @param running       polled every 50 ms.
     * @param hops          given the stage's hops once it runs.
     * @throws IOException when the set-up fails.
     */
    public static void reflect(
        final UdpTransport transport, final String interfaceName, final InetSocketAddress bind, final int cpu,
        final OobConfig.IdleStrategyKind idle, final PrintStream out, final BooleanSupplier running,
        final ReflectorHops hops) throws IOException
    {
        try (Stack stack = new Stack(transport, interfaceName, cpu, idle))
        {
            hops.attach(stack.runtime.counters().hops());
            final UdpStageReflector reflector = new UdpStageReflector();
            try (KSocket socket = stack.socket(transport))
            {
                socket.bind(bind);
                OobSocket.of(socket).stageReceiveHandler(reflector);
                final InetSocketAddress local = socket.localName();
                out.println(ReflectorRun.READY + bind.getAddress().getHostAddress() + ":" + local.getPort());
                out.flush();
                while (running.getAsBoolean())
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
            }
            out.println("oobnet reflect: " + reflector.counts() + " stalls=" +
                stack.runtime.counters().stalls().get());
            out.flush();
        }
    }

    /**
     * Measures round trips from the stage.
     *
     * @param transport     packet or kernel.
     * @param interfaceName the interface the stack serves.
     * @param peer          the reflector.
     * @param idle          the stage's idle strategy.
     * @param plan          warm-up, length and pace.
     * @param description   what the reports say.
     * @param timeoutNs     a reply not back within this is lost.
     * @param out           where the latmus lines go.
     * @param intervalLog   the interval log, or null.
     * @param running       polled while waiting; false ends the run early.
     * @param extraSockets  more OOB UDP sockets bound and idle on the measuring socket's address for the run.
     * @return the result, with the stage's stalls and allocation during the measured phase.
     * @throws IOException when the set-up fails or the log cannot be written.
     */
    public static RunResult measure(
        final UdpTransport transport, final String interfaceName, final InetSocketAddress peer,
        final OobConfig.IdleStrategyKind idle, final MeasurementPlan plan, final RunDescription description,
        final long timeoutNs, final PrintStream out, final Path intervalLog, final BooleanSupplier running,
        final int extraSockets)
        throws IOException
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        final StageSamples samples = new StageSamples(StageSamples.DEFAULT_CAPACITY);
        try (Stack stack = new Stack(transport, interfaceName, description.cpu(), idle);
            PrintStream logStream = intervalLog == null ? null : new PrintStream(intervalLog.toFile()))
        {
            final HistogramLogWriter log = logStream == null ? null : new HistogramLogWriter(logStream);
            try (KSocket socket = stack.socket(transport))
            {
                socket.bind(new InetSocketAddress("0.0.0.0", 0));
                socket.connect(peer);
                final List<KSocket> extra = openIdle(stack, transport, socket.localName().getAddress(), extraSockets);
                final OobSocket oob = OobSocket.of(socket);
                final UdpStagePinger pinger =
                    new UdpStagePinger(oob, plan, samples, description.sizeBytes(), timeoutNs);
                oob.stageReceiveHandler(pinger);
                try
                {
                    return OobPacketRuns.measurePhases(stack.runtime, pinger, recorder, samples, description, out,
                        log, running);
                }
                finally
                {
                    // one wait for the stage for all of them, not one round trip each
                    KSocket.closeAll(extra);
                }
            }
        }
    }

    // the idle sockets of --extra-sockets: bound to the measuring socket's address (its interface), any port
    private static List<KSocket> openIdle(
        final Stack stack, final UdpTransport transport, final InetAddress address, final int count) throws IOException
    {
        final List<KSocket> sockets = new ArrayList<>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                final KSocket socket = stack.socket(transport);
                sockets.add(socket);
                socket.bind(new InetSocketAddress(address, 0));
            }
            return sockets;
        }
        catch (final IOException | RuntimeException ex)
        {
            for (final KSocket socket : sockets)
            {
                socket.close();
            }
            throw ex;
        }
    }
}
