package org.oobnet.udp.bench;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.oobnet.config.InterfaceConfig;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobTask;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.core.RuntimeStage;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;

/**
 * Two stages against one: host A runs the OOB runtime with a UDP stack on two veth pairs to host B ({@code veth0}
 * and {@code oobs0}); B echoes on each pair with a blocking kernel socket (the peers never spin: on 2 CPUs the two
 * stages take both). Rounds interleave three runs, each a fresh runtime: both stages at once ({@code east} pinned
 * to CPU 0 serving {@code veth0}, {@code west} to CPU 1 serving {@code oobs0}), each with its own ping-pong; then a
 * one-stage runtime on CPU 0 with the east ping-pong alone; then one on CPU 1 with the west ping-pong alone. The
 * ping-pong runs on the stage (an {@link OobTask} sends, the stage receive handler takes the reply). Prints each
 * round's p50/p99 and each stage's p50 ratio (two stages / one stage) from the pooled samples.
 * <p>
 * Run (as root): {@code java <jvm flags> -cp <test classpath> org.oobnet.udp.bench.TwoStagesPingPongBenchmark
 * [rounds [samples [spin|yield]]]}.
 */
public final class TwoStagesPingPongBenchmark
{
    private static final String A_WEST = "oobs0";
    private static final String B_WEST = "oobs1";
    private static final String A_WEST_ADDRESS = "10.251.251.1";
    private static final String B_WEST_ADDRESS = "10.251.251.2";
    private static final int ECHO_PORT = 7100;
    private static final int WARMUP = 5_000;

    private TwoStagesPingPongBenchmark()
    {
    }

    /**
     * @param args {@code [rounds [samples [spin|yield]]]}.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        final int samples = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        final OobConfig.IdleStrategyKind idle = args.length > 2 ?
            OobConfig.IdleStrategyKind.parse(args[2]) : OobConfig.IdleStrategyKind.SPIN;
        try (NetnsFixture fixture = NetnsFixture.create(2))
        {
            final NetnsFixture.Host a = fixture.host(0);
            final NetnsFixture.Host b = fixture.host(1);
            org.oobnet.udp.ExtraVethPair.add(fixture, a, A_WEST, A_WEST_ADDRESS, b, B_WEST, B_WEST_ADDRESS);
            final UdpStack stack = fixture.call(a, () -> UdpStack.open(new UdpStackConfig(UdpTransport.PACKET,
                List.of(InterfaceConfig.defaults(a.interfaceName()), InterfaceConfig.defaults(A_WEST)),
                UdpStackConfig.DEFAULT_KERNEL_BATCH, UdpStackConfig.DEFAULT_RX_POLL_LIMIT, true,
                UdpStackConfig.DEFAULT_REFRESH_INTERVAL_MS)));
            final DatagramChannel eastEcho = fixture.call(b, () -> DatagramChannel.open()
                .bind(new InetSocketAddress(b.address(), ECHO_PORT)));
            final DatagramChannel westEcho = fixture.call(b, () -> DatagramChannel.open()
                .bind(new InetSocketAddress(B_WEST_ADDRESS, ECHO_PORT)));
            final Thread eastEchoThread = echo(eastEcho);
            final Thread westEchoThread = echo(westEcho);
            final Pair east = new Pair("east", 0, a.interfaceName(), a.address(), 5400, b.address());
            final Pair west = new Pair("west", 1, A_WEST, A_WEST_ADDRESS, 5401, B_WEST_ADDRESS);
            final List<long[]> twoEast = new ArrayList<>();
            final List<long[]> twoWest = new ArrayList<>();
            final List<long[]> oneEast = new ArrayList<>();
            final List<long[]> oneWest = new ArrayList<>();
            try
            {
                System.out.printf(Locale.ROOT, "two stages vs one, %d rounds of %d samples (after %d warm-up), " +
                    "%d-byte payload, stage idle %s, peers: blocking kernel echo%n", rounds, samples, WARMUP, UdpPingPongBenchmark.PAYLOAD,
                    idle);
                for (int round = 1; round <= rounds; round++)
                {
                    final long[][] both = run(fixture, a, stack, idle, samples, List.of(east, west));
                    twoEast.add(both[0]);
                    twoWest.add(both[1]);
                    oneEast.add(run(fixture, a, stack, idle, samples, List.of(east))[0]);
                    oneWest.add(run(fixture, a, stack, idle, samples, List.of(west))[0]);
                    System.out.printf(Locale.ROOT, "round %d: east two=%s one=%s ratio=%.2f | west two=%s one=%s " +
                        "ratio=%.2f%n", round, summary(twoEast.getLast()), summary(oneEast.getLast()),
                        ratio(twoEast.getLast(), oneEast.getLast()), summary(twoWest.getLast()),
                        summary(oneWest.getLast()), ratio(twoWest.getLast(), oneWest.getLast()));
                }
                final long[] te = pool(twoEast);
                final long[] oe = pool(oneEast);
                final long[] tw = pool(twoWest);
                final long[] ow = pool(oneWest);
                System.out.printf(Locale.ROOT, "RESULT | east (CPU 0, veth0) | two stages %s | one stage %s | p50 ratio %.2f |%n",
                    summary(te), summary(oe), ratio(te, oe));
                System.out.printf(Locale.ROOT, "RESULT | west (CPU 1, oobs0) | two stages %s | one stage %s | p50 ratio %.2f |%n",
                    summary(tw), summary(ow), ratio(tw, ow));
            }
            finally
            {
                eastEcho.close();
                westEcho.close();
                eastEchoThread.join();
                westEchoThread.join();
                stack.close();
            }
        }
    }

    // one interface, its stage's CPU, the client's address and port, the echo's address
    private record Pair(String stage, int cpu, String ifname, String address, int port, String peer)
    {
    }

    // a fresh runtime: one stage per pair (a one-stage runtime when one pair), each pair's ping-pong on its stage
    private static long[][] run(
        final NetnsFixture fixture,
        final NetnsFixture.Host a,
        final UdpStack stack,
        final OobConfig.IdleStrategyKind idle,
        final int samples,
        final List<Pair> pairs) throws Exception
    {
        final List<OobConfig.StageSpec> stages = new ArrayList<>();
        for (final Pair pair : pairs)
        {
            stages.add(new OobConfig.StageSpec(pair.stage(), pair.cpu(), idle, 100_000L,
                pairs.size() > 1 ? List.of(pair.ifname()) : List.of()));
        }
        final ProtocolRegistry registry = new ProtocolRegistry().register(SocketConstants.AF_INET, stack.protocol());
        final long[][] results = new long[pairs.size()][];
        try (OobRuntime runtime = OobRuntime.start(OobConfig.builder()
            .countersDir(Files.createTempDirectory("oob-two-stages-bench"))
            .stages(stages)
            .build(), registry))
        {
            final List<KSocket> sockets = new ArrayList<>();
            final List<StagePingTask> tasks = new ArrayList<>();
            try
            {
                for (int i = 0; i < pairs.size(); i++)
                {
                    final Pair pair = pairs.get(i);
                    final KSocket ksocket = fixture.call(a, () ->
                    {
                        final KSocket s = KSocket.socket(
                            SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_OOB, 0);
                        s.bind(new InetSocketAddress(pair.address(), pair.port()));
                        s.connect(new InetSocketAddress(pair.peer(), ECHO_PORT));
                        return s;
                    });
                    sockets.add(ksocket);
                    final OobSocket socket = OobSocket.of(ksocket);
                    final RuntimeStage stage = socket.runtimeStage();
                    if (!stage.name().equals(pair.stage()))
                    {
                        throw new IllegalStateException(pair + " landed on " + stage);
                    }
                    final StagePingTask task = new StagePingTask(socket, new long[samples], WARMUP);
                    socket.stageReceiveHandler(task);
                    stage.addTask(task, OobTask.Schedule.EVERY_CYCLE);
                    tasks.add(task);
                }
                for (int i = 0; i < tasks.size(); i++)
                {
                    final StagePingTask task = tasks.get(i);
                    if (!task.done.await(120, TimeUnit.SECONDS))
                    {
                        throw new IllegalStateException("ping-pong on " + pairs.get(i).stage() + " did not finish: " +
                            "completed=" + task.completed + " resent=" + task.resent);
                    }
                    results[i] = task.samples;
                }
                for (int i = 0; i < tasks.size(); i++)
                {
                    OobSocket.of(sockets.get(i)).runtimeStage().removeTask(tasks.get(i));
                }
            }
            finally
            {
                for (final KSocket socket : sockets)
                {
                    socket.close();
                }
            }
        }
        return results;
    }

    private static Thread echo(final DatagramChannel channel)
    {
        final Thread thread = new Thread(() ->
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
            try
            {
                while (true)
                {
                    buffer.clear();
                    final SocketAddress from = channel.receive(buffer);
                    buffer.flip();
                    channel.send(buffer, from);
                }
            }
            catch (final java.io.IOException ex)
            {
                // closed: the run is over
            }
        }, "echo");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static long[] pool(final List<long[]> runs)
    {
        int n = 0;
        for (final long[] run : runs)
        {
            n += run.length;
        }
        final long[] all = new long[n];
        int at = 0;
        for (final long[] run : runs)
        {
            System.arraycopy(run, 0, all, at, run.length);
            at += run.length;
        }
        return all;
    }

    private static String summary(final long[] samples)
    {
        return String.format(Locale.ROOT, "p50=%.1fus p99=%.1fus", at(samples, 0.5) / 1000.0, at(samples, 0.99) / 1000.0);
    }

    private static double ratio(final long[] two, final long[] one)
    {
        return (double)at(two, 0.5) / at(one, 0.5);
    }

    private static long at(final long[] samples, final double quantile)
    {
        final long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[(int)Math.min(sorted.length - 1, Math.round(quantile * (sorted.length - 1)))];
    }
}
