package org.oobnet.harness.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.harness.bench.feed.Ipv4Addresses;
import org.oobnet.harness.bench.feed.StageFeedReceiver;
import org.oobnet.moldudp64.MoldUdp64ReceiverConfig;
import org.oobnet.moldudp64.stage.MoldUdp64Address;
import org.oobnet.moldudp64.stage.MoldUdp64ProtocolConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oobnet feed moldudp64}: receives a MoldUDP64 feed on the OOB stage through the MoldUDP64 feed socket
 * (OOB UDP sockets for line A, optionally line B, and requests), and prints (and writes as JSON) its books: what
 * was delivered, whether once and in order, the gaps, fills and retransmissions, what was lost, and the latency
 * from each packet's kernel RX timestamp to its delivery on the stage.
 * <p>
 * {@link StageFeedReceiver} receives; this command checks the options and prints.
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
            MoldUdp64Address.subscribe(Ipv4Addresses.toInt(local), Ipv4Addresses.toInt(server.getAddress()), server.getPort(),
                new int[]{ Ipv4Addresses.toInt(a.getAddress()) }, new int[]{ a.getPort() }) :
            MoldUdp64Address.subscribe(Ipv4Addresses.toInt(local), Ipv4Addresses.toInt(server.getAddress()), server.getPort(),
                new int[]{ Ipv4Addresses.toInt(a.getAddress()), Ipv4Addresses.toInt(b.getAddress()) },
                new int[]{ a.getPort(), b.getPort() });

        final MoldUdp64ProtocolConfig protocolDefaults = MoldUdp64ProtocolConfig.defaults();
        final MoldUdp64ProtocolConfig protocol = new MoldUdp64ProtocolConfig(udp, protocolDefaults.packetCapacity(),
            protocolDefaults.heartbeatIntervalNs(), protocolDefaults.storeMessages(), recovery);
        final Map<String, Object> summary = StageFeedReceiver.receive(new StageFeedReceiver.Settings(ifName, udp,
            address, protocol, idleKind, countersDir, count, durationNs), () -> System.err.println(NAME +
            ": receiving " + feedLines.describeLines() + " on " + ifName + " (" + transport + "), requests to " +
            feedLines.request));
        FeedOptions.report(NAME, summary, json, System.out);
        return 0;
    }
}
