package org.oobnet.harness.bench.feed;

import java.lang.foreign.Arena;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.moldudp64.stage.MoldUdp64Address;
import org.oobnet.moldudp64.stage.MoldUdp64Counter;
import org.oobnet.moldudp64.stage.MoldUdp64Protocol;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;

/**
 * {@code oobnet feed publish --path oob}: the session published by a MoldUDP64 feed socket on the OOB stage. Its
 * OOB UDP socket (packet transport) sends each packet to every line and answers requests on the stage, from the
 * socket's store of the last messages; an idle feed sends heartbeats. The application thread only offers
 * messages to the feed socket's send ring, paced to the rate.
 * <p>
 * <b>Note:</b> in-band, one thread; the stage runs in the runtime it starts.
 */
public final class OobFeedPublisher
{
    // how much may wait in the feed socket's send ring before offering pauses
    private static final int MAX_QUEUED_BYTES = 64 * 1024;

    private OobFeedPublisher()
    {
    }

    /**
     * Publishes {@code count} messages (each starting with its sequence number), then lingers while the stage
     * answers requests.
     *
     * @param ifName      the interface the stage sends and receives on.
     * @param local       the publisher's address on it (the request port is bound there).
     * @param lines       the lines' groups (or hosts) and ports.
     * @param requestPort the request port.
     * @param session     the session's name.
     * @param count       messages.
     * @param rate        messages per second, 0 as fast as the send ring takes them.
     * @param size        each message's length.
     * @param lingerNs    how long to answer requests after the last message.
     * @param countersDir the counters file's directory, or null for the runtime's.
     * @return the summary.
     * @throws Exception when the stack, the runtime or the feed socket cannot be opened.
     */
    public static Map<String, Object> publish(
        final String ifName,
        final InetAddress local,
        final List<InetSocketAddress> lines,
        final int requestPort,
        final String session,
        final long count,
        final long rate,
        final int size,
        final long lingerNs,
        final Path countersDir) throws Exception
    {
        final int[] addresses = new int[lines.size()];
        final int[] ports = new int[lines.size()];
        for (int i = 0; i < lines.size(); i++)
        {
            addresses[i] = Ipv4Addresses.toInt(lines.get(i).getAddress());
            ports[i] = lines.get(i).getPort();
        }
        final MoldUdp64Address address = MoldUdp64Address.publish(Ipv4Addresses.toInt(local), requestPort, session,
            addresses, ports);
        try (UdpStack stack = UdpStack.open(UdpStackConfig.of(UdpTransport.PACKET, ifName)))
        {
            final ProtocolRegistry registry = new ProtocolRegistry()
                .register(SocketConstants.AF_INET, stack.protocol())
                .register(OobRuntime.AF_OOB, new MoldUdp64Protocol());
            final OobConfig.Builder config = OobConfig.builder().idleStrategy(OobConfig.IdleStrategyKind.BACKOFF);
            if (null != countersDir)
            {
                config.countersDir(countersDir);
            }
            try (OobRuntime runtime = OobRuntime.start(config.build(), registry);
                KSocket feed = KSocket.socket(OobRuntime.AF_OOB,
                    MoldUdp64Protocol.SOCK_DGRAM | SocketConstants.SOCK_OOB, MoldUdp64Protocol.IPPROTO_MOLDUDP64))
            {
                try (Arena arena = Arena.ofConfined())
                {
                    feed.bind(address.encode(arena));
                }
                final OobSocket publisher = OobSocket.of(feed);
                final UnsafeBuffer message = new UnsafeBuffer(new byte[size]);
                final long start = System.nanoTime();
                long sequence = 1;
                while (sequence <= count)
                {
                    final long due = 0 == rate ? count :
                        Math.min(count, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
                    message.putLong(0, sequence, ByteOrder.BIG_ENDIAN);
                    if (sequence <= due && publisher.sendQueuedBytes() < MAX_QUEUED_BYTES &&
                        0 == publisher.offer(message, 0, size))
                    {
                        sequence++;
                    }
                    else
                    {
                        LockSupport.parkNanos(20_000L);
                    }
                }
                final long publishedNs = System.nanoTime() - start;
                // the stage answers requests and sends heartbeats meanwhile
                LockSupport.parkNanos(lingerNs);
                final Map<String, Long> counters = MoldUdp64Counter.read(runtime.countersPath(), publisher.id());
                final Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("path", "oob");
                summary.put("published", count);
                summary.put("packets", counters.getOrDefault("published packets", 0L));
                summary.put("messages_per_s", publishedNs > 0 ? count * 1_000_000_000L / publishedNs : 0);
                summary.put("line_send_failures", counters.getOrDefault("line send failures", 0L));
                summary.put("heartbeats", counters.getOrDefault("heartbeats", 0L));
                summary.put("requests_answered", counters.getOrDefault("requests answered", 0L));
                summary.put("requests_unanswered", counters.getOrDefault("requests unanswered", 0L));
                summary.put("stage_errors", runtime.counters().errors().get());
                return summary;
            }
        }
    }
}
