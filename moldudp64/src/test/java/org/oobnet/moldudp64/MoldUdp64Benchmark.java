package org.oobnet.moldudp64;

import com.paritytrading.nassau.MessageListener;
import com.paritytrading.nassau.moldudp64.MoldUDP64Client;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.oobnet.config.InterfaceConfig;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.moldudp64.publish.LineFaults;
import org.oobnet.moldudp64.publish.MoldUdp64MessageStore;
import org.oobnet.moldudp64.publish.MoldUdp64Publisher;
import org.oobnet.moldudp64.publish.MoldUdp64RequestServer;
import org.oobnet.moldudp64.publish.PublishedLine;
import org.oobnet.moldudp64.stage.MoldUdp64Address;
import org.oobnet.moldudp64.stage.MoldUdp64Counter;
import org.oobnet.moldudp64.stage.MoldUdp64Protocol;
import org.oobnet.moldudp64.stage.MoldUdp64Record;
import org.oobnet.core.RealtimeNanoClock;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;
import org.oobnet.udp.frame.Ipv4Flyweight;

import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark (not a timed test; runs only with {@code -Doobnet.bench=true}): one publisher in namespace A sends a
 * MoldUDP64 session as fast as its kernel sockets take it on line A (clean) and line B (1% of packets dropped by a
 * seeded schedule), with a request server. In namespace B, in the same run, one OOB stage receives both lines through
 * the feed socket, and Nassau's own {@code MoldUDP64Client} receives line B's packets (sent again to a group of
 * its own, with the same seeded drops) on a kernel socket (it has no A/B arbitration) and asks the same request
 * server for what B lost; a second Nassau client, polled by the same thread, receives a clean copy of line A
 * (the receive path alone). Each message carries its send time
 * ({@code CLOCK_REALTIME}, one host): for both receivers, messages/s (first to last delivery) and send-to-delivery
 * percentiles; for the stage also the packet's kernel RX timestamp to delivery.
 * <p>
 * {@code ./mvnw -o -pl moldudp64 verify -Dtest=MoldUdp64Benchmark -Doobnet.bench=true
 * [-Doobnet.bench.messages=1000000] [-Doobnet.bench.rate=0] [-Doobnet.bench.perPacket=8] [-Doobnet.bench.idle=yield|spin]
 * [-Doobnet.bench.rxFrames=8192]} (root, for the namespaces).
 */
@EnabledIfSystemProperty(named = "oobnet.bench", matches = "true")
class MoldUdp64Benchmark
{
    private static final String IF = NetnsFixture.HOST_INTERFACE;
    private static final String GROUP_A = "239.251.40.1";
    private static final String GROUP_B = "239.251.40.2";
    private static final int PORT_A = 21201;
    private static final int PORT_B = 21202;
    private static final int REQUEST_PORT = 21203;
    // line B again for Nassau's client (a port of its own: the feed socket's line B holds B's), same drop schedule
    private static final String GROUP_C = "239.251.40.3";
    private static final int PORT_C = 21204;
    private static final long DROP_SEED = 40;
    // line A again, clean, for a second Nassau client: the receive path alone, without recovery
    private static final String GROUP_D = "239.251.40.4";
    private static final int PORT_D = 21205;
    private static final int RX_FRAMES = Integer.getInteger("oobnet.bench.rxFrames", 8192);
    private static final int MESSAGE_LENGTH = 32;
    private static final int PER_PACKET = Integer.getInteger("oobnet.bench.perPacket", 8);

    @Test
    void measure() throws Exception
    {
        final long messages = Long.getLong("oobnet.bench.messages", 1_000_000L);
        final long rate = Long.getLong("oobnet.bench.rate", 0L); // messages/s, 0: as fast as the sockets take them
        final OobConfig.IdleStrategyKind idle = "spin".equals(System.getProperty("oobnet.bench.idle")) ?
            OobConfig.IdleStrategyKind.SPIN : OobConfig.IdleStrategyKind.YIELD;
        final RealtimeNanoClock clock = new RealtimeNanoClock();
        try (NetnsFixture net = NetnsFixture.create(2))
        {
            final NetnsFixture.Host pub = net.host(0);
            final NetnsFixture.Host sub = net.host(1);
            // a feed's bursts want a deeper RX ring than the default 256 frames
            final UdpStack stack = net.call(sub, () -> UdpStack.open(new UdpStackConfig(UdpTransport.PACKET,
                List.of(new InterfaceConfig(IF, RX_FRAMES, 2048, 256, true)), UdpStackConfig.DEFAULT_KERNEL_BATCH,
                UdpStackConfig.DEFAULT_RX_POLL_LIMIT, true, UdpStackConfig.DEFAULT_REFRESH_INTERVAL_MS)));
            final OobRuntime runtime = OobRuntime.start(OobConfig.builder()
                .idleStrategy(idle)
                .countersDir(Files.createTempDirectory("moldudp64-bench"))
                .receiveRingBytes(16 * 1024 * 1024)
                .build(), new ProtocolRegistry()
                .register(SocketConstants.AF_INET, stack.protocol())
                .register(OobRuntime.AF_OOB, new MoldUdp64Protocol()));
            try
            {
                final StageBooks stage = new StageBooks(clock, messages);
                final KSocket feed = net.call(sub, () ->
                {
                    final KSocket socket = KSocket.socket(OobRuntime.AF_OOB,
                        MoldUdp64Protocol.SOCK_DGRAM | SocketConstants.SOCK_OOB, MoldUdp64Protocol.IPPROTO_MOLDUDP64);
                    OobSocket.of(socket).stageReceiveHandler(stage);
                    try (Arena arena = Arena.ofConfined())
                    {
                        socket.bind(MoldUdp64Address.subscribe(Ipv4Flyweight.parseAddress(sub.address()),
                            Ipv4Flyweight.parseAddress(pub.address()), REQUEST_PORT,
                            new int[]{ Ipv4Flyweight.parseAddress(GROUP_A), Ipv4Flyweight.parseAddress(GROUP_B) },
                            new int[]{ PORT_A, PORT_B }).encode(arena));
                    }
                    return socket;
                });
                final NassauBooks nassau = new NassauBooks(clock, messages);
                final MoldUDP64Client client = net.call(sub, () -> new MoldUDP64Client(
                    MulticastSockets.member(IF, GROUP_C, PORT_C), MulticastSockets.unicast(sub.address(), 0),
                    new InetSocketAddress(pub.address(), REQUEST_PORT), nassau, new NassauStatus(), 1));
                final NassauBooks nassauClean = new NassauBooks(clock, messages);
                final MoldUDP64Client cleanClient = net.call(sub, () -> new MoldUDP64Client(
                    MulticastSockets.member(IF, GROUP_D, PORT_D), MulticastSockets.unicast(sub.address(), 0),
                    new InetSocketAddress(pub.address(), REQUEST_PORT), nassauClean,
                    new NassauStatus(), 1));
                final AtomicBoolean stop = new AtomicBoolean();
                final CompletableFuture<Void> nassauLoop = CompletableFuture.runAsync(() ->
                {
                    try
                    {
                        // one thread polls both clients, as the one stage polls both lines
                        while (!stop.get() && (nassau.delivered < messages || nassauClean.delivered < messages))
                        {
                            if (!(client.receive() | client.receiveResponse() | cleanClient.receive() |
                                cleanClient.receiveResponse()))
                            {
                                Thread.yield(); // as the stage's YIELD idle strategy does
                            }
                        }
                    }
                    catch (final java.io.IOException ex)
                    {
                        throw new java.io.UncheckedIOException(ex);
                    }
                });
                final PublishedLine lineA = net.call(pub, () -> new PublishedLine(MulticastSockets.sender(IF),
                    new InetSocketAddress(GROUP_A, PORT_A), LineFaults.NONE));
                final PublishedLine lineB = net.call(pub, () -> new PublishedLine(MulticastSockets.sender(IF),
                    new InetSocketAddress(GROUP_B, PORT_B), new LineFaults(DROP_SEED, 0.01, 0, 0)));
                final PublishedLine lineC = net.call(pub, () -> new PublishedLine(MulticastSockets.sender(IF),
                    new InetSocketAddress(GROUP_C, PORT_C), new LineFaults(DROP_SEED, 0.01, 0, 0)));
                final PublishedLine lineD = net.call(pub, () -> new PublishedLine(MulticastSockets.sender(IF),
                    new InetSocketAddress(GROUP_D, PORT_D), LineFaults.NONE));
                final MoldUdp64MessageStore store = new MoldUdp64MessageStore();
                final MoldUdp64Publisher publisher = new MoldUdp64Publisher("BENCH", store, 1400, List.of(lineA, lineB, lineC, lineD));
                final MoldUdp64RequestServer server = net.call(pub, () -> new MoldUdp64RequestServer(
                    MulticastSockets.unicast(pub.address(), REQUEST_PORT), publisher.session(), store, 1400));

                final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
                final long start = System.nanoTime();
                for (long sequence = 1; sequence <= messages; sequence++)
                {
                    message.putLong(0, sequence, ByteOrder.BIG_ENDIAN);
                    message.putLong(8, clock.nanoTime(), ByteOrder.BIG_ENDIAN);
                    publisher.publish(message, 0, MESSAGE_LENGTH);
                    if (0 == sequence % PER_PACKET)
                    {
                        publisher.flush();
                        server.poll(4);
                        final long aheadNs = rate > 0 ? sequence * 1_000_000_000L / rate - (System.nanoTime() - start) : 0;
                        if (aheadNs > 0)
                        {
                            LockSupport.parkNanos(aheadNs); // paced, leaving the CPUs to the two receivers
                        }
                    }
                }
                publisher.flush();
                final double publishSeconds = (System.nanoTime() - start) / 1e9;
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                long nextEnd = 0;
                while ((stage.delivered + stage.lost < messages || nassau.delivered < messages ||
                    nassauClean.delivered < messages) &&
                    System.nanoTime() - deadline < 0)
                {
                    if (System.nanoTime() - nextEnd > 0)
                    {
                        publisher.endOfSession();
                        nextEnd = System.nanoTime() + 50_000_000L;
                    }
                    if (0 == server.poll(16))
                    {
                        LockSupport.parkNanos(50_000L);
                    }
                }
                stop.set(true);
                nassauLoop.get(10, TimeUnit.SECONDS);
                LockSupport.parkNanos(5_000_000L);
                final Map<String, Long> lines = MoldUdp64Counter.read(runtime.countersPath(), OobSocket.of(feed).id());
                feed.close();
                client.close();
                cleanClient.close();
                publisher.close();
                server.close();

                final double stageRate = stage.rate();
                final double nassauRate = nassau.rate();
                System.out.printf("BENCH published=%d in %.3f s (%.0f msg/s; %d per packet, %d B; line B drops %d of %d " +
                    "packets, seed %d); rate limit %d msg/s; stage idle=%s, RX ring %d frames%n", messages, publishSeconds, messages / publishSeconds,
                    PER_PACKET, MESSAGE_LENGTH, lineB.dropped(), lineB.sent() + lineB.dropped(), DROP_SEED, rate, idle, RX_FRAMES);
                System.out.printf("BENCH stage (feed socket, lines A+B): delivered=%d lost=%d inOrder=%s rate=%.0f msg/s " +
                    "rx->delivery p50=%d p99=%d ns, send->delivery p50=%d p99=%d ns, lines=%s%n",
                    stage.delivered, stage.lost, stage.inOrder, stageRate,
                    stage.rxLatency.getValueAtPercentile(50), stage.rxLatency.getValueAtPercentile(99),
                    stage.sendLatency.getValueAtPercentile(50), stage.sendLatency.getValueAtPercentile(99), lines);
                System.out.printf("BENCH nassau (MoldUDP64Client, kernel socket, line B's copy + requests): delivered=%d " +
                    "inOrder=%s rate=%.0f msg/s send->delivery p50=%d p99=%d ns%n", nassau.delivered, nassau.inOrder,
                    nassauRate, nassau.sendLatency.getValueAtPercentile(50), nassau.sendLatency.getValueAtPercentile(99));
                System.out.printf("BENCH nassau (MoldUDP64Client, kernel socket, line A's clean copy): delivered=%d " +
                    "inOrder=%s rate=%.0f msg/s send->delivery p50=%d p99=%d ns%n", nassauClean.delivered,
                    nassauClean.inOrder, nassauClean.rate(), nassauClean.sendLatency.getValueAtPercentile(50),
                    nassauClean.sendLatency.getValueAtPercentile(99));
                System.out.printf("BENCH ratio stage/nassau-clean: rate %.2f, send->delivery p50 %.2f, p99 %.2f%n",
                    stageRate / nassauClean.rate(),
                    (double)stage.sendLatency.getValueAtPercentile(50) / nassauClean.sendLatency.getValueAtPercentile(50),
                    (double)stage.sendLatency.getValueAtPercentile(99) / nassauClean.sendLatency.getValueAtPercentile(99));
                System.out.printf("BENCH ratio stage/nassau: rate %.2f, send->delivery p50 %.2f, p99 %.2f%n",
                    stageRate / nassauRate,
                    (double)stage.sendLatency.getValueAtPercentile(50) / nassau.sendLatency.getValueAtPercentile(50),
                    (double)stage.sendLatency.getValueAtPercentile(99) / nassau.sendLatency.getValueAtPercentile(99));
            }
            finally
            {
                runtime.close();
                stack.close();
            }
        }
    }

    /** Stage: the feed socket's records; latencies against the RX timestamp and the send time. */
    private static final class StageBooks implements OobReceiveHandler
    {
        private final RealtimeNanoClock clock;
        private final long messages;
        final Histogram rxLatency = new Histogram(10_000_000_000L, 3);
        final Histogram sendLatency = new Histogram(10_000_000_000L, 3);
        volatile long delivered;
        volatile long lost;
        volatile boolean inOrder = true;
        private long next = 1;
        private long firstNs;
        private long lastNs;

        StageBooks(final RealtimeNanoClock clock, final long messages)
        {
            this.clock = clock;
            this.messages = messages;
        }

        @Override
        public void onMessage(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
        {
            final int kind = MoldUdp64Record.kind(buffer, offset);
            final long sequence = MoldUdp64Record.sequence(buffer, offset);
            if (MoldUdp64Record.LOST == kind)
            {
                next = sequence + MoldUdp64Record.count(buffer, offset);
                lost = lost + MoldUdp64Record.count(buffer, offset);
                return;
            }
            if (MoldUdp64Record.MESSAGE != kind)
            {
                return;
            }
            final long now = clock.nanoTime();
            if (sequence != next)
            {
                inOrder = false;
            }
            next = sequence + 1;
            final long sent = buffer.getLong(offset + MoldUdp64Record.HEADER_LENGTH + 8, ByteOrder.BIG_ENDIAN);
            rxLatency.recordValue(clamp(now - MoldUdp64Record.rxTimestampNs(buffer, offset)));
            sendLatency.recordValue(clamp(now - sent));
            if (0 == firstNs)
            {
                firstNs = now;
            }
            lastNs = now;
            delivered = delivered + 1;
        }

        double rate()
        {
            return delivered / Math.max(1e-9, (lastNs - firstNs) / 1e9);
        }
    }

    /** Nassau's listener, on its polling thread. */
    private static final class NassauBooks implements MessageListener
    {
        private final RealtimeNanoClock clock;
        final Histogram sendLatency = new Histogram(10_000_000_000L, 3);
        volatile long delivered;
        volatile boolean inOrder = true;
        private long firstNs;
        private long lastNs;

        NassauBooks(final RealtimeNanoClock clock, final long messages)
        {
            this.clock = clock;
        }

        @Override
        public void message(final ByteBuffer buffer)
        {
            final long now = clock.nanoTime();
            final long sequence = buffer.getLong(buffer.position());
            if (sequence != delivered + 1)
            {
                inOrder = false;
            }
            sendLatency.recordValue(clamp(now - buffer.getLong(buffer.position() + 8)));
            if (0 == firstNs)
            {
                firstNs = now;
            }
            lastNs = now;
            delivered = delivered + 1;
        }

        double rate()
        {
            return delivered / Math.max(1e-9, (lastNs - firstNs) / 1e9);
        }
    }

    private static long clamp(final long ns)
    {
        return Math.max(0, Math.min(10_000_000_000L, ns));
    }
}
