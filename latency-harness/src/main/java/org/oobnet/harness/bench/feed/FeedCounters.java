package org.oobnet.harness.bench.feed;

import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.oobnet.core.OobRuntime;
import org.oobnet.moldudp64.stage.MoldUdp64Counter;

/**
 * A feed socket's per-line counters as its stage published them after the last delivery. The stage publishes them
 * every millisecond of its own time, which on a loaded machine comes later than any fixed wait (a run read its lines'
 * wins 251 short of what it had delivered): so they are read until the lines' wins (the request server's included)
 * account for every delivered message, or a timeout passes.
 * <p>
 * <b>Note:</b> in-band only.
 */
final class FeedCounters
{
    private static final long PUBLISH_TIMEOUT_NS = 5_000_000_000L;
    private static final long POLL_NS = 1_000_000L;

    private FeedCounters()
    {
    }

    /**
     * @param runtime   the feed socket's runtime.
     * @param socketId  the feed socket's id.
     * @param delivered the messages delivered to the application.
     * @return the socket's counters by label (e.g. {@code "line A wins"}), read once they account for the deliveries
     * or after the timeout, as they are then.
     */
    static Map<String, Long> afterDelivery(final OobRuntime runtime, final long socketId, final long delivered)
    {
        final long deadline = System.nanoTime() + PUBLISH_TIMEOUT_NS;
        while (true)
        {
            final Map<String, Long> lines = MoldUdp64Counter.read(runtime.countersPath(), socketId);
            long wins = 0;
            for (final Map.Entry<String, Long> e : lines.entrySet())
            {
                wins += e.getKey().endsWith(" wins") ? e.getValue() : 0;
            }
            if (wins >= delivered || System.nanoTime() - deadline > 0)
            {
                return lines;
            }
            LockSupport.parkNanos(POLL_NS);
        }
    }
}
