package org.oobnet.harness.bench.feed;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.oobnet.harness.env.NamespaceThread;
import org.oobnet.moldudp64.MoldUdp64Descriptor;
import org.oobnet.moldudp64.publish.MoldUdp64RequestServer;
import org.oobnet.netns.NetnsTopology;

/**
 * One {@code oobnet feed bench} run: how many MoldUDP64 messages per second one OOB stage delivers from two lines,
 * one of them losing a fraction of its packets by a seeded schedule, and the same feed received by Nassau's own
 * {@code MoldUDP64Client} on kernel sockets in the same run, as the baseline.
 * <p>
 * Two throwaway namespaces joined by veth. In A a {@link BenchPublisher} sends a prebuilt session with
 * {@code sendmmsg} (unpaced by default: the receiver, not the publisher, should be the limit; each phase reports
 * both rates) and {@link MoldUdp64RequestServer} answers requests on a thread of its own. In B, one phase after the
 * other, each with the same packets and the same drops: {@link StageFeedPhase} ({@code stage}), then
 * {@link NassauFeedPhase} on line B (the lossy one, {@code nassau_line_b}) and on line A ({@code nassau_line_a}:
 * the kernel-socket receive path alone); per round the ratios of the stage over each baseline.
 * <p>
 * Nassau is a run-time dependency of the harness for this (pinned in the parent pom): the baseline must be a real
 * third-party receiver in the same process and run, not a figure from another day.
 * <p>
 * <b>Note:</b> in-band; needs root (namespaces). Each message carries its send time ({@code CLOCK_REALTIME}, one
 * host), so both receivers are compared on send → delivery; the stage also on the RX timestamp. Progress on
 * standard error.
 */
public final class FeedBenchRun
{
    /** The command's name, in progress lines and the summary. */
    public static final String NAME = "oobnet feed bench";
    /** The request server's (and the bench's) packet capacity in bytes. */
    public static final int PACKET_CAPACITY = 1400;
    /** The smallest message: its sequence number and send time. */
    public static final int MIN_MESSAGE_LENGTH = BenchFeed.MIN_MESSAGE_LENGTH;
    static final String GROUP_A = "239.251.41.1";
    static final String GROUP_B = "239.251.41.2";
    static final int PORT_A = 21401;
    static final int PORT_B = 21402;
    static final int REQUEST_PORT = 21403;
    static final int FRAME_SIZE = 2048;

    private final FeedBenchSettings settings;

    /**
     * @param settings the run's settings, checked.
     */
    public FeedBenchRun(final FeedBenchSettings settings)
    {
        this.settings = settings;
    }

    /** @return the longest message that still leaves room for two in a packet. */
    public static int largestMessage()
    {
        return (PACKET_CAPACITY - MoldUdp64Descriptor.HEADER_LENGTH) / 2 - 2;
    }

    /**
     * @param size each message's length.
     * @return how many such messages a packet holds.
     */
    public static int mostPerPacket(final int size)
    {
        return (PACKET_CAPACITY - MoldUdp64Descriptor.HEADER_LENGTH) / (2 + size);
    }

    /**
     * Runs the rounds.
     *
     * @return the summary: {@code machine}, {@code settings}, {@code publisher}, {@code round_N}.
     * @throws Exception when the namespaces, sockets or runtime cannot be set up, or a phase fails.
     */
    public Map<String, Object> run() throws Exception
    {
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("machine", machine());
        summary.put("settings", settings.toSummary());
        System.err.println(NAME + ": building " + settings.messages() + " messages, " + settings.perPacket() +
            " per packet");
        try (BenchFeed feed = new BenchFeed("BENCH", settings.messages(), settings.perPacket(), settings.size());
            NetnsTopology net = NetnsTopology.builder("oobf").disableIpv6(true).create();
            NamespaceThread a = new NamespaceThread(net.host(0).namespace());
            NamespaceThread b = new NamespaceThread(net.host(1).namespace()))
        {
            final NetnsTopology.Host pub = net.host(0);
            final NetnsTopology.Host sub = net.host(1);
            final InetAddress pubAddress = InetAddress.getByName(pub.address());
            final InetSocketAddress groupA = new InetSocketAddress(GROUP_A, PORT_A);
            final InetSocketAddress groupB = new InetSocketAddress(GROUP_B, PORT_B);
            final BenchPublisher publisher = a.call(() -> new BenchPublisher(feed, groupA, groupB, pubAddress,
                settings.loss(), settings.seed(), settings.batch(), settings.rate()));
            final DatagramChannel requests = a.call(() -> NassauFeedPhase.unicast(pub.address(), REQUEST_PORT, 0));
            final MoldUdp64RequestServer server =
                new MoldUdp64RequestServer(requests, feed.session(), feed.store(), PACKET_CAPACITY);
            // closed in reverse: the serving thread stops before the request socket closes under it
            try (publisher; server; RequestServing serving = new RequestServing(server))
            {
                final Map<String, Object> publisherSummary = new LinkedHashMap<>();
                publisherSummary.put("packets_per_line", feed.packetCount());
                publisherSummary.put("line_b_dropped", publisher.droppedB());
                summary.put("publisher", publisherSummary);
                final StageFeedPhase stagePhase = new StageFeedPhase(settings);
                final NassauFeedPhase nassauPhase = new NassauFeedPhase(settings);
                for (int round = 1; round <= settings.rounds(); round++)
                {
                    final Map<String, Object> results = new LinkedHashMap<>();
                    final Map<String, Object> stage = stagePhase.run(publisher, b, sub, pub);
                    results.put("stage", stage);
                    final Map<String, Object> nassauB = nassauPhase.run(publisher, b, sub, pub, GROUP_B, PORT_B);
                    results.put("nassau_line_b", nassauB);
                    final Map<String, Object> nassauA = nassauPhase.run(publisher, b, sub, pub, GROUP_A, PORT_A);
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
        return summary;
    }

    static long perSecond(final long count, final long ns)
    {
        return ns > 0 ? Math.round(count * 1e9 / ns) : 0;
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

    private static Map<String, Object> machine()
    {
        final Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return machine;
    }
}
