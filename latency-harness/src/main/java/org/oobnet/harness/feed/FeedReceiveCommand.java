package org.oobnet.harness.feed;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.harness.cli.Durations;
import org.oobnet.harness.cli.StackInterface;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.moldudp64.MoldUdp64ReceiverConfig;
import org.oobnet.moldudp64.stage.MoldUdp64Address;
import org.oobnet.moldudp64.stage.MoldUdp64Counter;
import org.oobnet.moldudp64.stage.MoldUdp64Protocol;
import org.oobnet.moldudp64.stage.MoldUdp64ProtocolConfig;
import org.oobnet.core.RealtimeNanoClock;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oobnet feed moldudp64}: receives a MoldUDP64 feed on the OOB stage through the MoldUDP64 feed socket
 * (OOB UDP sockets for line A, optionally line B, and requests), and prints (and writes as JSON) its books: what
 * was delivered, whether once and in order, the gaps, fills and retransmissions, what was lost, and the latency
 * from each packet's kernel RX timestamp to its delivery on the stage.
 * <p>
 * <b>Note:</b> in-band command; the feed runs on the stage it starts.
 */
@Command(name = "moldudp64", mixinStandardHelpOptions = true,
    description = "Receive a MoldUDP64 feed on the OOB stage: line A (and B) arbitrated, gaps filled from the " +
        "other line or the request server; print the books and the RX-to-delivery latency.")
public final class FeedReceiveCommand implements Callable<Integer>
{
    private static final String NAME = "oobnet feed moldudp64";

    @Mixin
    FeedLineOptions feedLines;

    @Option(names = "--interface", paramLabel = "IF",
        description = "The interface to receive on (default: the interface of the kernel's route to the request server).")
    String interfaceName;

    @Option(names = "--transport", defaultValue = "packet", paramLabel = "packet|kernel",
        description = "The OOB UDP transport of the line sockets (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--count", defaultValue = "0", paramLabel = "N",
        description = "Stop after N messages delivered (default: no limit; the end of session or --duration stops).")
    long count;

    @Option(names = "--duration", defaultValue = "30s", paramLabel = "DURATION",
        description = "Stop after this long (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--first-sequence", defaultValue = "1", paramLabel = "N",
        description = "The first sequence number wanted: 1 from the session's start, 0 joins at the first packet " +
            "(default: ${DEFAULT-VALUE}).")
    long firstSequence;

    @Option(names = "--outstanding", defaultValue = "" + MoldUdp64ReceiverConfig.DEFAULT_OUTSTANDING_REQUESTS,
        paramLabel = "N", description = "Retransmission requests in flight at once, for consecutive ranges of a " +
            "gap (default: ${DEFAULT-VALUE}).")
    int outstanding;

    @Option(names = "--idle", defaultValue = "backoff", paramLabel = "spin|yield|backoff",
        description = "The stage's idle strategy (default: ${DEFAULT-VALUE}; spin for the lowest latency on an " +
            "isolated CPU).")
    String idle;

    @Option(names = "--counters-dir", paramLabel = "DIR",
        description = "Where the runtime keeps its counters file, for oobnet stat (default: the runtime's).")
    Path countersDir;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception
    {
        final InetSocketAddress a = feedLines.lineA();
        final InetSocketAddress b = feedLines.lineB();
        final InetSocketAddress server = feedLines.request();
        feedLines.checkReceivable();
        if (count < 0)
        {
            throw new IllegalArgumentException("--count=" + count + " must be 0 (no limit) or more");
        }
        final long durationNs = Durations.parseNs("--duration", duration);
        final UdpTransport udp = switch (transport)
        {
            case "packet" -> UdpTransport.PACKET;
            case "kernel" -> UdpTransport.KERNEL;
            default -> throw new IllegalArgumentException("--transport=" + transport + " is not one of packet, kernel");
        };
        final OobConfig.IdleStrategyKind idleKind = switch (idle)
        {
            case "spin" -> OobConfig.IdleStrategyKind.SPIN;
            case "yield" -> OobConfig.IdleStrategyKind.YIELD;
            case "backoff" -> OobConfig.IdleStrategyKind.BACKOFF;
            default -> throw new IllegalArgumentException("--idle=" + idle + " is not one of spin, yield, backoff");
        };
        final MoldUdp64ReceiverConfig defaults = MoldUdp64ReceiverConfig.defaults(null == b ? 1 : 2);
        final MoldUdp64ReceiverConfig recovery = new MoldUdp64ReceiverConfig(defaults.lineCount(), firstSequence,
            defaults.gapFillWindowNs(), defaults.requestTimeoutNs(), defaults.maxRequestTimeoutNs(),
            defaults.maxRequestAttempts(), defaults.maxRequestCount(), outstanding);
        final String ifName = StackInterface.forPeer(server, interfaceName, System.err, NAME);
        final InetAddress local = FeedOptions.interfaceAddress(ifName);
        final MoldUdp64Address address = null == b ?
            MoldUdp64Address.subscribe(FeedOptions.toInt(local), FeedOptions.toInt(server.getAddress()), server.getPort(),
                new int[]{ FeedOptions.toInt(a.getAddress()) }, new int[]{ a.getPort() }) :
            MoldUdp64Address.subscribe(FeedOptions.toInt(local), FeedOptions.toInt(server.getAddress()), server.getPort(),
                new int[]{ FeedOptions.toInt(a.getAddress()), FeedOptions.toInt(b.getAddress()) },
                new int[]{ a.getPort(), b.getPort() });

        final MoldUdp64ProtocolConfig protocolDefaults = MoldUdp64ProtocolConfig.defaults();
        final MoldUdp64Protocol protocol = new MoldUdp64Protocol(new MoldUdp64ProtocolConfig(udp,
            protocolDefaults.packetCapacity(), protocolDefaults.heartbeatIntervalNs(), protocolDefaults.storeMessages(),
            recovery));
        final PrintStream out = System.out;
        try (UdpStack stack = UdpStack.open(UdpStackConfig.of(udp, ifName)))
        {
            final ProtocolRegistry registry = new ProtocolRegistry()
                .register(SocketConstants.AF_INET, stack.protocol())
                .register(OobRuntime.AF_OOB, protocol);
            final OobConfig.Builder config = OobConfig.builder().idleStrategy(idleKind);
            if (null != countersDir)
            {
                config.countersDir(countersDir);
            }
            try (OobRuntime runtime = OobRuntime.start(config.build(), registry))
            {
                final FeedBooks books = new FeedBooks(new RealtimeNanoClock());
                final Map<String, Long> lines;
                try (KSocket feed = KSocket.socket(OobRuntime.AF_OOB,
                    MoldUdp64Protocol.SOCK_DGRAM | SocketConstants.SOCK_OOB, MoldUdp64Protocol.IPPROTO_MOLDUDP64))
                {
                    OobSocket.of(feed).stageReceiveHandler(books);
                    try (Arena arena = Arena.ofConfined())
                    {
                        feed.bind(address.encode(arena));
                    }
                    System.err.println(NAME + ": receiving " + feedLines.describeLines() + " on " +
                        ifName + " (" + transport + "), requests to " + feedLines.request);
                    final long deadline = System.nanoTime() + durationNs;
                    while (!books.ended && (0 == count || books.delivered < count) && System.nanoTime() - deadline < 0)
                    {
                        LockSupport.parkNanos(1_000_000L);
                    }
                    LockSupport.parkNanos(5_000_000L); // the feed socket publishes its counters every millisecond
                    lines = MoldUdp64Counter.read(runtime.countersPath(), OobSocket.of(feed).id());
                }
                FeedOptions.report(NAME, books.summary(lines), json, out);
                return 0;
            }
        }
    }
}
