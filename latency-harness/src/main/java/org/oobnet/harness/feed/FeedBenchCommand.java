package org.oobnet.harness.feed;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import com.paritytrading.nassau.moldudp64.MoldUDP64Client;
import org.oobnet.config.InterfaceConfig;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.core.RealtimeNanoClock;
import org.oobnet.core.counters.CountersFileReader;
import org.oobnet.harness.cli.Durations;
import org.oobnet.harness.soak.NamespaceThread;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.moldudp64.MoldUdp64Descriptor;
import org.oobnet.moldudp64.publish.MoldUdp64RequestServer;
import org.oobnet.moldudp64.stage.MoldUdp64Address;
import org.oobnet.moldudp64.stage.MoldUdp64Counter;
import org.oobnet.moldudp64.stage.MoldUdp64Protocol;
import org.oobnet.netns.NetnsTopology;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code oobnet feed bench}: how many MoldUDP64 messages per second one OOB stage delivers from two lines, one of
 * them losing {@code --loss} of its packets by a seeded schedule, and the same feed received by Nassau's own
 * {@code MoldUDP64Client} on kernel sockets in the same run, as the baseline.
 * <p>
 * Two throwaway namespaces joined by veth. In A a {@link BenchPublisher} sends a prebuilt session with
 * {@code sendmmsg} (unpaced by default: the receiver, not the publisher, should be the limit; each phase reports
 * both rates) and {@link MoldUdp64RequestServer} answers requests on a thread of its own. In B, one phase after the
 * other, each with the same packets and the same drops:
 * <ol>
 *   <li><b>stage</b>: one OOB runtime, one MoldUDP64 feed socket on lines A and B (packet transport), its records
 *       taken by a stage receive handler ({@link FeedBooks}): messages/s, kernel RX timestamp → delivery and send →
 *       delivery percentiles, books;</li>
 *   <li><b>nassau_line_b</b>: {@code MoldUDP64Client} on line B (the lossy one; Nassau has no A/B arbitration, so
 *       it recovers B's losses from the same request server) on a kernel socket, polled by one thread;</li>
 *   <li><b>nassau_line_a</b>: the same on line A (clean): the kernel-socket receive path alone.</li>
 * </ol>
 * Nassau is a run-time dependency of the harness for this (pinned in the parent pom): the baseline must be a real
 * third-party receiver in the same process and run, not a figure from another day.
 * <p>
 * <b>Note:</b> in-band command; needs root (namespaces). Each message carries its send time ({@code CLOCK_REALTIME},
 * one host), so both receivers are compared on send → delivery; the stage also on the RX timestamp.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure one OOB stage receiving MoldUDP64 from two lines (one lossy) against Nassau's " +
        "MoldUDP64Client on kernel sockets, same feed, same run; messages/s, latency percentiles, ratios (root).")
public final class FeedBenchCommand implements Callable<Integer>
{
    private static final String NAME = "oobnet feed bench";
    private static final String GROUP_A = "239.251.41.1";
    private static final String GROUP_B = "239.251.41.2";
    private static final int PORT_A = 21401;
    private static final int PORT_B = 21402;
    private static final int REQUEST_PORT = 21403;
    private static final int PACKET_CAPACITY = 1400;
    private static final int FRAME_SIZE = 2048;

    @Option(names = "--messages", defaultValue = "1000000", paramLabel = "N",
        description = "Messages in the session (default: ${DEFAULT-VALUE}).")
    long messages;

    @Option(names = "--per-packet", defaultValue = "8", paramLabel = "N",
        description = "Messages per packet (default: ${DEFAULT-VALUE}).")
    int perPacket;

    @Option(names = "--size", defaultValue = "32", paramLabel = "BYTES",
        description = "Each message's length, 16 (sequence number and send time) or more (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--loss", defaultValue = "0.01", paramLabel = "P",
        description = "Fraction of line B's packets dropped by the seeded schedule (default: ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--seed", defaultValue = "40", paramLabel = "N", description = "The drops' seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "MSGS_PER_S",
        description = "Publish at this rate, 0 as fast as sendmmsg goes (default: ${DEFAULT-VALUE}): unpaced for " +
            "messages/s, paced below the receivers' limits for latency.")
    long rate;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N",
        description = "Packets per sendmmsg call and line (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--idle", defaultValue = "yield", paramLabel = "spin|yield",
        description = "The stage's idle strategy, and Nassau's polling thread's (default: ${DEFAULT-VALUE}).")
    String idle;

    @Option(names = "--rx-frames", defaultValue = "8192", paramLabel = "N",
        description = "The stage's RX ring frames; Nassau's sockets get as many bytes of SO_RCVBUF as the ring " +
            "has (N x 2048) (default: ${DEFAULT-VALUE}).")
    int rxFrames;

    @Option(names = "--timeout", defaultValue = "60s", paramLabel = "DURATION",
        description = "Longest a phase may take (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--rounds", defaultValue = "2", paramLabel = "N",
        description = "Rounds of the three phases, each reported; the first warms the JIT up (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception
    {
        final int largest = (PACKET_CAPACITY - MoldUdp64Descriptor.HEADER_LENGTH) / 2 - 2;
        if (size < BenchFeed.MIN_MESSAGE_LENGTH || size > largest)
        {
            throw new IllegalArgumentException("--size=" + size + " must be " + BenchFeed.MIN_MESSAGE_LENGTH + " to " +
                largest);
        }
        final int mostPerPacket = (PACKET_CAPACITY - MoldUdp64Descriptor.HEADER_LENGTH) / (2 + size);
        if (perPacket < 1 || perPacket > mostPerPacket)
        {
            throw new IllegalArgumentException("--per-packet=" + perPacket + " must be 1 to " + mostPerPacket +
                " (a " + PACKET_CAPACITY + "-byte packet of " + size + "-byte messages)");
        }
        if (rounds < 1)
        {
            throw new IllegalArgumentException("--rounds=" + rounds + " must be at least 1");
        }
        if (messages < 1 || rate < 0 || batch < 1 || batch > 1024 || rxFrames < 64)
        {
            throw new IllegalArgumentException("--messages=" + messages + " must be at least 1, --rate=" + rate +
                " at least 0, --batch=" + batch + " 1 to 1024, --rx-frames=" + rxFrames + " at least 64");
        }
        if (!(loss >= 0 && loss < 1))
        {
            throw new IllegalArgumentException("--loss=" + loss + " must be at least 0 and below 1");
        }
        final OobConfig.IdleStrategyKind idleKind = switch (idle)
        {
            case "spin" -> OobConfig.IdleStrategyKind.SPIN;
            case "yield" -> OobConfig.IdleStrategyKind.YIELD;
            default -> throw new IllegalArgumentException("--idle=" + idle + " is not one of spin, yield");
        };
        final long timeoutNs = Durations.parseNs("--timeout", timeout);

        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("machine", machine());
        summary.put("settings", settings());
        System.err.println(NAME + ": building " + messages + " messages, " + perPacket + " per packet");
        try (BenchFeed feed = new BenchFeed("BENCH", messages, perPacket, size);
            NetnsTopology net = NetnsTopology.builder("oobf").disableIpv6(true).create();
            NamespaceThread a = new NamespaceThread(net.host(0).namespace());
            NamespaceThread b = new NamespaceThread(net.host(1).namespace()))
        {
            final NetnsTopology.Host pub = net.host(0);
            final NetnsTopology.Host sub = net.host(1);
            final InetAddress pubAddress = InetAddress.getByName(pub.address());
            final InetSocketAddress groupA = new InetSocketAddress(GROUP_A, PORT_A);
            final InetSocketAddress groupB = new InetSocketAddress(GROUP_B, PORT_B);
            final BenchPublisher publisher = a.call(() -> new BenchPublisher(feed, groupA, groupB, pubAddress, loss,
                seed, batch, rate));
            final DatagramChannel requests = a.call(() -> unicast(pub.address(), REQUEST_PORT, 0));
            final MoldUdp64RequestServer server =
                new MoldUdp64RequestServer(requests, feed.session(), feed.store(), PACKET_CAPACITY);
            // closed in reverse: the serving thread stops before the request socket closes under it
            try (publisher; server; RequestServing serving = new RequestServing(server))
            {
                final Map<String, Object> publisherSummary = new LinkedHashMap<>();
                publisherSummary.put("packets_per_line", feed.packetCount());
                publisherSummary.put("line_b_dropped", publisher.droppedB());
                summary.put("publisher", publisherSummary);
                for (int round = 1; round <= rounds; round++)
                {
                    final Map<String, Object> results = new LinkedHashMap<>();
                    final Map<String, Object> stage = stagePhase(publisher, b, sub, pub, idleKind, timeoutNs);
                    results.put("stage", stage);
                    final Map<String, Object> nassauB = nassauPhase(publisher, b, sub, pub, GROUP_B, PORT_B, idleKind,
                        timeoutNs);
                    results.put("nassau_line_b", nassauB);
                    final Map<String, Object> nassauA = nassauPhase(publisher, b, sub, pub, GROUP_A, PORT_A, idleKind,
                        timeoutNs);
                    results.put("nassau_line_a", nassauA);
                    results.put("ratio", ratios(stage, nassauB, nassauA));
                    summary.put("round_" + round, results);
                }
                publisherSummary.put("send_errors", publisher.sendErrors());
                publisherSummary.put("last_send_error", publisher.lastError());
                publisherSummary.put("requests_answered", server.answered());
                publisherSummary.put("retransmitted", server.messagesSent());
            }
        }
        FeedOptions.report(NAME, summary, json, System.out);
        return 0;
    }

    private Map<String, Object> stagePhase(
        final BenchPublisher publisher,
        final NamespaceThread b,
        final NetnsTopology.Host sub,
        final NetnsTopology.Host pub,
        final OobConfig.IdleStrategyKind idleKind,
        final long timeoutNs) throws Exception
    {
        System.err.println(NAME + ": stage phase (feed socket, lines A and B)");
        final DeliveryTimes times = new DeliveryTimes();
        final FeedBooks books = new FeedBooks(new RealtimeNanoClock(), times);
        final Path countersDir = Files.createTempDirectory("oobnet-feed-bench-");
        // a feed's bursts want a deeper RX ring than the default
        try (UdpStack stack = b.call(() -> UdpStack.open(new UdpStackConfig(UdpTransport.PACKET,
            List.of(new InterfaceConfig(sub.interfaceName(), rxFrames, FRAME_SIZE, 256, true)),
            UdpStackConfig.DEFAULT_KERNEL_BATCH, UdpStackConfig.DEFAULT_RX_POLL_LIMIT, true,
            UdpStackConfig.DEFAULT_REFRESH_INTERVAL_MS)));
            OobRuntime runtime = OobRuntime.start(OobConfig.builder()
                .idleStrategy(idleKind)
                .countersDir(countersDir)
                .receiveRingBytes(16 * 1024 * 1024)
                .build(), new ProtocolRegistry()
                .register(SocketConstants.AF_INET, stack.protocol())
                .register(OobRuntime.AF_OOB, new MoldUdp64Protocol())))
        {
            final Map<String, Long> lines;
            final long publishNs;
            final Map<String, Long> drops;
            try (KSocket socket = b.call(() -> feedSocket(books, sub, pub)))
            {
                LockSupport.parkNanos(50_000_000L); // the joins reach the bridge-less veth at once; the stage's first cycles
                final long deadline = System.nanoTime() + timeoutNs;
                publishNs = publisher.publish(() -> books.delivered + books.lost >= messages ||
                    System.nanoTime() - deadline > 0);
                LockSupport.parkNanos(5_000_000L); // the feed socket publishes its counters every millisecond
                lines = MoldUdp64Counter.read(runtime.countersPath(), OobSocket.of(socket).id());
                drops = kernelDrops(runtime.countersPath());
            }
            final Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("published_per_s", perSecond(messages, publishNs));
            times.addTo(summary);
            summary.putAll(books.summary(lines));
            summary.put("ring_kernel_drops", drops);
            return summary;
        }
        finally
        {
            // the runtime deleted its counters file on close
            Files.deleteIfExists(countersDir);
        }
    }

    private KSocket feedSocket(final FeedBooks books, final NetnsTopology.Host sub, final NetnsTopology.Host pub)
        throws Exception
    {
        final KSocket socket = KSocket.socket(OobRuntime.AF_OOB, MoldUdp64Protocol.SOCK_DGRAM | SocketConstants.SOCK_OOB,
            MoldUdp64Protocol.IPPROTO_MOLDUDP64);
        try (Arena arena = Arena.ofConfined())
        {
            OobSocket.of(socket).stageReceiveHandler(books);
            socket.bind(MoldUdp64Address.subscribe(
                FeedOptions.toInt(InetAddress.getByName(sub.address())),
                FeedOptions.toInt(InetAddress.getByName(pub.address())), REQUEST_PORT,
                new int[]{ FeedOptions.toInt(InetAddress.getByName(GROUP_A)), FeedOptions.toInt(InetAddress.getByName(GROUP_B)) },
                new int[]{ PORT_A, PORT_B }).encode(arena));
            return socket;
        }
        catch (final Exception ex)
        {
            socket.close();
            throw ex;
        }
    }

    private Map<String, Object> nassauPhase(
        final BenchPublisher publisher,
        final NamespaceThread b,
        final NetnsTopology.Host sub,
        final NetnsTopology.Host pub,
        final String group,
        final int port,
        final OobConfig.IdleStrategyKind idleKind,
        final long timeoutNs) throws Exception
    {
        System.err.println(NAME + ": Nassau phase (MoldUDP64Client, kernel sockets, " + group + ":" + port + ")");
        final NassauBooks books = new NassauBooks(new RealtimeNanoClock());
        final int receiveBuffer = rxFrames * FRAME_SIZE;
        final MoldUDP64Client client = b.call(() -> new MoldUDP64Client(
            member(sub.interfaceName(), group, port, receiveBuffer), unicast(sub.address(), 0, receiveBuffer),
            new InetSocketAddress(pub.address(), REQUEST_PORT), books, books, 1));
        try (client)
        {
            final long deadline = System.nanoTime() + timeoutNs;
            final BooleanSupplier done = () -> books.delivered >= messages || System.nanoTime() - deadline > 0;
            final CompletableFuture<Long> publishing = CompletableFuture.supplyAsync(() -> publisher.publish(done),
                command -> Thread.ofPlatform().name("feed-bench-publisher").daemon().start(command));
            // one thread polls the client, as the one stage polls its lines
            while (!done.getAsBoolean())
            {
                if (!(client.receive() | client.receiveResponse()) && OobConfig.IdleStrategyKind.YIELD == idleKind)
                {
                    Thread.yield();
                }
            }
            final long publishNs = publishing.get(timeoutNs + TimeUnit.SECONDS.toNanos(10), TimeUnit.NANOSECONDS);
            final Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("published_per_s", perSecond(messages, publishNs));
            summary.putAll(books.summary(messages));
            summary.put("so_rcvbuf", client.getChannel().getOption(StandardSocketOptions.SO_RCVBUF));
            return summary;
        }
    }

    private static Map<String, Object> ratios(
        final Map<String, Object> stage, final Map<String, Object> nassauB, final Map<String, Object> nassauA)
    {
        final Map<String, Object> ratios = new LinkedHashMap<>();
        for (final Map.Entry<String, Map<String, Object>> baseline : List.of(
            Map.entry("nassau_line_b", nassauB), Map.entry("nassau_line_a", nassauA)))
        {
            for (final String key : List.of("messages_per_s", "send_to_delivery_p50_ns", "send_to_delivery_p99_ns"))
            {
                final double over = ((Number)baseline.getValue().get(key)).doubleValue();
                ratios.put("stage_over_" + baseline.getKey() + "_" + key.replace("_ns", ""),
                    over > 0 ? Math.round(((Number)stage.get(key)).doubleValue() / over * 100) / 100.0 : 0.0);
            }
        }
        return ratios;
    }

    /** The request server's own thread, polling (parked 20 µs when idle) until closed. */
    private static final class RequestServing implements AutoCloseable
    {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;
        private volatile IOException failure;

        RequestServing(final MoldUdp64RequestServer server)
        {
            thread = Thread.ofPlatform().name("feed-bench-requests").daemon().start(() ->
            {
                try
                {
                    while (!stop.get())
                    {
                        if (0 == server.poll(16))
                        {
                            LockSupport.parkNanos(20_000L);
                        }
                    }
                }
                catch (final IOException ex)
                {
                    failure = ex;
                }
            });
        }

        @Override
        public void close() throws Exception
        {
            stop.set(true);
            thread.join(TimeUnit.SECONDS.toMillis(5));
            if (null != failure)
            {
                throw new IllegalStateException("request server: " + failure, failure);
            }
        }
    }

    private static Map<String, Long> kernelDrops(final Path countersPath)
    {
        final Map<String, Long> drops = new LinkedHashMap<>();
        try (CountersFileReader reader = CountersFileReader.open(countersPath))
        {
            reader.counters().forEach((value, id, label) ->
            {
                if (label.endsWith("kernel drops"))
                {
                    drops.put(label, value);
                }
            });
        }
        return drops;
    }

    private Map<String, Object> settings()
    {
        final Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("messages", messages);
        settings.put("per_packet", perPacket);
        settings.put("size", size);
        settings.put("line_b_loss", loss);
        settings.put("seed", seed);
        settings.put("rate", rate);
        settings.put("batch", batch);
        settings.put("idle", idle);
        settings.put("rx_frames", rxFrames);
        settings.put("rounds", rounds);
        return settings;
    }

    private static Map<String, Object> machine()
    {
        final Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return machine;
    }

    private static long perSecond(final long count, final long ns)
    {
        return ns > 0 ? Math.round(count * 1e9 / ns) : 0;
    }

    private static DatagramChannel member(final String interfaceName, final String group, final int port,
        final int receiveBuffer) throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try
        {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            channel.bind(new InetSocketAddress(port));
            channel.join(InetAddress.getByName(group), NetworkInterface.getByName(interfaceName));
            channel.configureBlocking(false);
            return channel;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    private static DatagramChannel unicast(final String address, final int port, final int receiveBuffer)
        throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try
        {
            if (receiveBuffer > 0)
            {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            }
            channel.bind(new InetSocketAddress(address, port));
            channel.configureBlocking(false);
            return channel;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }
}
