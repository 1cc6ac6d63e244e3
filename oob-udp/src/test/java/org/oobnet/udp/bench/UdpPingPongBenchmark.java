package org.oobnet.udp.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobTask;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.udp.UdpSockets;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;

/**
 * UDP ping-pong between two network namespaces joined by veth, round trip of a 64-byte payload, one process per
 * side: the OOB packet transport, the kernel busy-poll transport, and a blocking kernel socket, in one run.
 * <p>
 * Each side is a child JVM started inside its namespace ({@code ip netns exec}); in the OOB modes the whole
 * ping-pong runs on the stage (an {@link OobTask} sends, the stage receive handler takes the reply), so each
 * process spins exactly one thread, pinned: the client's on CPU 0, the echo's on CPU 1. The children are killed
 * and the namespaces removed when the run ends, whatever happens.
 * <p>
 * Run: {@code java <jvm flags> -cp <test classpath> org.oobnet.udp.bench.UdpPingPongBenchmark [rounds]}.
 */
public final class UdpPingPongBenchmark
{
    static final int PAYLOAD = 64;
    private static final int PORT = 7000;
    private static final int WARMUP = 20_000;

    private UdpPingPongBenchmark()
    {
    }

    /**
     * @param args {@code [rounds]} to orchestrate, or {@code echo MODE} / {@code client MODE PEER ROUNDS} as a child.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0 && "echo".equals(args[0]))
        {
            echo(args[1]);
        }
        else if (args.length > 0 && "client".equals(args[0]))
        {
            client(args[1], args[2], Integer.parseInt(args[3]));
        }
        else
        {
            orchestrate(args.length > 0 ? Integer.parseInt(args[0]) : 100_000);
        }
    }

    private static void orchestrate(final int rounds) throws Exception
    {
        final List<String> results = new ArrayList<>();
        try (NetnsFixture fixture = NetnsFixture.create(2))
        {
            final NetnsFixture.Host clientHost = fixture.host(0);
            final NetnsFixture.Host echoHost = fixture.host(1);
            for (final String mode : List.of("packet", "kernel", "blocking"))
            {
                Process echo = null;
                Process client = null;
                try
                {
                    echo = start(fixture, echoHost, List.of("echo", mode));
                    awaitLine(echo, "READY");
                    client = start(fixture, clientHost,
                        List.of("client", mode, echoHost.address(), Integer.toString(rounds)));
                    final String result = awaitLine(client, "RESULT");
                    results.add(result.substring("RESULT ".length()));
                    client.waitFor(30, TimeUnit.SECONDS);
                }
                finally
                {
                    destroy(client);
                    destroy(echo);
                }
            }
        }
        System.out.println();
        System.out.println("| path | round trips | min | p50 | p90 | p99 | p99.9 | max |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (final String line : results)
        {
            System.out.println(line);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // the echo side

    private static void echo(final String mode) throws Exception
    {
        if ("blocking".equals(mode))
        {
            final KSocket socket = KSocket.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
            socket.bind(new InetSocketAddress("0.0.0.0", PORT));
            System.out.println("READY");
            System.out.flush();
            blockingEcho(socket);
            return;
        }
        try (Oob oob = Oob.open(mode, 1))
        {
            final OobSocket socket = oob.socket(null);
            // the reply is the request's record, whose header names the requester
            socket.stageReceiveHandler((s, buffer, offset, length) -> s.oobSend(buffer, offset, length));
            System.out.println("READY");
            System.out.flush();
            new CountDownLatch(1).await();
        }
    }

    private static void blockingEcho(final KSocket socket) throws Exception
    {
        final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(2048);
        while (true)
        {
            buffer.clear();
            final InetSocketAddress from = socket.recvFrom(buffer, 0);
            buffer.flip();
            socket.sendTo(buffer, 0, from);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // the client side

    private static void client(final String mode, final String peer, final int rounds) throws Exception
    {
        final long[] samples = new long[rounds];
        if ("blocking".equals(mode))
        {
            final KSocket socket = KSocket.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
            socket.connect(new InetSocketAddress(peer, PORT));
            final java.nio.ByteBuffer out = java.nio.ByteBuffer.allocateDirect(PAYLOAD);
            final java.nio.ByteBuffer in = java.nio.ByteBuffer.allocateDirect(2048);
            for (int i = -WARMUP; i < rounds; i++)
            {
                out.clear();
                in.clear();
                final long t0 = System.nanoTime();
                socket.send(out, 0);
                socket.recv(in, 0);
                final long rtt = System.nanoTime() - t0;
                if (i >= 0)
                {
                    samples[i] = rtt;
                }
            }
            socket.close();
            report("kernel UDP, blocking `recv`", samples);
            return;
        }
        try (Oob oob = Oob.open(mode, 0))
        {
            final OobSocket socket = oob.socket(new InetSocketAddress(peer, PORT));
            final StagePingTask task = new StagePingTask(socket, samples, WARMUP);
            socket.stageReceiveHandler(task);
            oob.runtime.addTask(task, OobTask.Schedule.EVERY_CYCLE);
            if (!task.done.await(120, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("ping-pong did not finish: completed=" + task.completed +
                    " resent=" + task.resent);
            }
            oob.runtime.removeTask(task);
            report("packet".equals(mode) ? "oob-udp, packet transport (TPACKET_V2 rings)" :
                "oob-udp, kernel busy-poll transport (recvmmsg/sendmmsg)", samples);
            System.err.println(mode + ": requests resent after 100 ms without a reply=" + task.resent +
                " stale replies ignored=" + task.stale);
        }
    }

    /**
     * One side's runtime and stack, in this process's namespace.
     */
    private static final class Oob implements AutoCloseable
    {
        final UdpStack stack;
        final OobRuntime runtime;
        final Path countersDir;
        final List<KSocket> sockets = new ArrayList<>();

        private Oob(final UdpStack stack, final OobRuntime runtime, final Path countersDir)
        {
            this.stack = stack;
            this.runtime = runtime;
            this.countersDir = countersDir;
        }

        static Oob open(final String mode, final int cpu) throws Exception
        {
            final UdpTransport transport = "packet".equals(mode) ? UdpTransport.PACKET : UdpTransport.KERNEL;
            final UdpStack stack = UdpStack.open(UdpStackConfig.of(transport, NetnsFixture.HOST_INTERFACE));
            final ProtocolRegistry registry = new ProtocolRegistry();
            registry.register(SocketConstants.AF_INET, stack.protocol());
            final Path dir = Files.createTempDirectory("oob-udp-bench");
            final OobRuntime runtime = OobRuntime.start(OobConfig.builder()
                .stageCpu(cpu)
                .idleStrategy(OobConfig.IdleStrategyKind.SPIN)
                .countersDir(dir)
                .build(), registry);
            return new Oob(stack, runtime, dir);
        }

        OobSocket socket(final InetSocketAddress peer) throws Exception
        {
            final KSocket socket = KSocket.socket(SocketConstants.AF_INET,
                SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_OOB, 0);
            sockets.add(socket);
            if (null == peer)
            {
                socket.bind(new InetSocketAddress("0.0.0.0", PORT));
            }
            else
            {
                socket.bind(new InetSocketAddress("0.0.0.0", 0));
                socket.connect(peer);
            }
            return OobSocket.of(socket);
        }

        @Override
        public void close() throws Exception
        {
            for (final KSocket socket : sockets)
            {
                socket.close();
            }
            runtime.close();
            stack.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static void report(final String path, final long[] samples)
    {
        final long[] sorted = samples.clone();
        Arrays.sort(sorted);
        System.out.println(String.format(Locale.ROOT, "RESULT | %s | %d | %s | %s | %s | %s | %s | %s |", path,
            sorted.length, us(sorted[0]), us(at(sorted, 0.5)), us(at(sorted, 0.9)), us(at(sorted, 0.99)),
            us(at(sorted, 0.999)), us(sorted[sorted.length - 1])));
        System.out.flush();
    }

    private static long at(final long[] sorted, final double quantile)
    {
        return sorted[(int)Math.min(sorted.length - 1, Math.round(quantile * (sorted.length - 1)))];
    }

    private static String us(final long ns)
    {
        return String.format(Locale.ROOT, "%.1f µs", ns / 1000.0);
    }

    private static Process start(final NetnsFixture fixture, final NetnsFixture.Host host, final List<String> args)
        throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(UdpPingPongBenchmark.class.getName());
        command.addAll(args);
        return new ProcessBuilder(fixture.commandIn(host, command))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    }

    private static String awaitLine(final Process process, final String prefix) throws Exception
    {
        final BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while (null != (line = reader.readLine()))
        {
            if (line.startsWith(prefix))
            {
                return line;
            }
            System.out.println(line);
        }
        throw new IllegalStateException("child exited before printing " + prefix + ": exit=" + process.waitFor());
    }

    private static void destroy(final Process process) throws InterruptedException
    {
        if (null != process && process.isAlive())
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
