package org.oobnet.harness.bench.feed;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.core.RealtimeNanoClock;
import org.oobnet.harness.bench.run.StageAllocation;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.moldudp64.stage.MoldUdp64Address;
import org.oobnet.moldudp64.stage.MoldUdp64Protocol;
import org.oobnet.moldudp64.stage.MoldUdp64ProtocolConfig;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;

/**
 * {@code oobnet feed moldudp64}: a MoldUDP64 feed received on the OOB stage, one feed socket on line A (and B),
 * arbitrated, gaps filled from the other line or the request server, its records counted by a stage receive
 * handler ({@link FeedBooks}) until the end of session, a message count or a deadline; and what the stage allocated
 * after the warm-up ({@code stage_alloc_bytes}, -1 when the warm-up did not end).
 * <p>
 * <b>Note:</b> in-band; the calling thread waits while the stage receives.
 */
public final class StageFeedReceiver
{
    /**
     * What to receive, checked by the command.
     *
     * @param interfaceName the interface to receive on.
     * @param transport     the OOB UDP transport of the line sockets.
     * @param address       the feed socket's subscription.
     * @param protocol      the MoldUDP64 protocol's configuration (its recovery settings).
     * @param idle          the stage's idle strategy.
     * @param countersDir   the counters file's directory, or null for the runtime's.
     * @param count         messages delivered before it stops, 0 for no limit.
     * @param durationNs    how long at most.
     */
    public record Settings(String interfaceName, UdpTransport transport, MoldUdp64Address address,
        MoldUdp64ProtocolConfig protocol, OobConfig.IdleStrategyKind idle, Path countersDir, long count,
        long durationNs)
    {
    }

    private StageFeedReceiver()
    {
    }

    /**
     * Receives until the end of session, {@code count} messages or the deadline.
     *
     * @param settings  what to receive.
     * @param receiving called once the feed socket is bound (for a progress line).
     * @return the books' summary with the lines' counters.
     * @throws Exception when the stack, the runtime or the feed socket cannot be opened.
     */
    public static Map<String, Object> receive(final Settings settings, final Runnable receiving) throws Exception
    {
        try (UdpStack stack = UdpStack.open(UdpStackConfig.of(settings.transport(), settings.interfaceName())))
        {
            final ProtocolRegistry registry = new ProtocolRegistry()
                .register(SocketConstants.AF_INET, stack.protocol())
                .register(OobRuntime.AF_OOB, new MoldUdp64Protocol(settings.protocol()));
            final OobConfig.Builder config = OobConfig.builder().idleStrategy(settings.idle());
            if (null != settings.countersDir())
            {
                config.countersDir(settings.countersDir());
            }
            try (OobRuntime runtime = OobRuntime.start(config.build(), registry))
            {
                final FeedBooks books = new FeedBooks(new RealtimeNanoClock());
                final Map<String, Long> lines;
                final long stageAllocBytes;
                try (KSocket feed = KSocket.socket(OobRuntime.AF_OOB,
                    MoldUdp64Protocol.SOCK_DGRAM | SocketConstants.SOCK_OOB, MoldUdp64Protocol.IPPROTO_MOLDUDP64))
                {
                    OobSocket.of(feed).stageReceiveHandler(books);
                    try (Arena arena = Arena.ofConfined())
                    {
                        feed.bind(settings.address().encode(arena));
                    }
                    receiving.run();
                    final long count = settings.count();
                    final long deadline = System.nanoTime() + settings.durationNs();
                    // the warm-up: the first tenth of --count, at most 10000 messages
                    final long warm = 0 == count ? 10_000 : Math.min(10_000, count / 10);
                    StageAllocation afterWarmUp = null;
                    while (!books.ended && (0 == count || books.delivered < count) && System.nanoTime() - deadline < 0)
                    {
                        if (null == afterWarmUp && books.delivered >= warm)
                        {
                            afterWarmUp = StageAllocation.mark(runtime);
                        }
                        LockSupport.parkNanos(1_000_000L);
                    }
                    stageAllocBytes = null == afterWarmUp ? -1 : afterWarmUp.bytesSince();
                    lines = FeedCounters.afterDelivery(runtime, OobSocket.of(feed).id(), books.delivered);
                }
                final Map<String, Object> summary = books.summary(lines);
                summary.put("stage_alloc_bytes", stageAllocBytes);
                return summary;
            }
        }
    }
}
