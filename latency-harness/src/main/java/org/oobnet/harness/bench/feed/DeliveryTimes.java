package org.oobnet.harness.bench.feed;

import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * When a receiver delivered its messages: the first and last delivery (its messages/s between them) and, for
 * messages that carry their send time ({@link BenchFeed}), the send-to-delivery latency. {@code oobnet feed bench}
 * keeps one per receiver, the stage's and Nassau's, read the same way so that their ratio means something.
 * <p>
 * <b>Note:</b> not thread safe: the receiving thread records, the reader reads after it stopped. Allocation-free
 * while recording (the histogram covers 0 to 10 s and clamps).
 */
final class DeliveryTimes
{
    private static final long HIGHEST_NS = 10_000_000_000L;

    private final Histogram sendToDelivery = new Histogram(HIGHEST_NS, 3);
    private long count;
    private long firstNs;
    private long lastNs;

    /**
     * One message delivered.
     *
     * @param nowNs      the delivery time ({@code CLOCK_REALTIME}).
     * @param sendTimeNs its send time on the same clock, or 0 when it carries none (a retransmitted copy).
     */
    void record(final long nowNs, final long sendTimeNs)
    {
        if (0 == count++)
        {
            firstNs = nowNs;
        }
        lastNs = nowNs;
        if (0 != sendTimeNs)
        {
            sendToDelivery.recordValue(Math.max(0, Math.min(HIGHEST_NS, nowNs - sendTimeNs)));
        }
    }

    /** @return messages per second from the first delivery to the last. */
    double messagesPerSecond()
    {
        return count < 2 ? 0 : (count - 1) * 1e9 / Math.max(1, lastNs - firstNs);
    }

    /** @return the send-to-delivery histogram. */
    Histogram sendToDelivery()
    {
        return sendToDelivery;
    }

    /**
     * Adds {@code messages_per_s} and the send-to-delivery percentiles to a summary.
     *
     * @param summary the summary.
     */
    void addTo(final Map<String, Object> summary)
    {
        summary.put("messages_per_s", Math.round(messagesPerSecond()));
        summary.put("delivery_span_ns", lastNs - firstNs);
        summary.put("send_to_delivery_samples", sendToDelivery.getTotalCount());
        summary.put("send_to_delivery_p50_ns", sendToDelivery.getValueAtPercentile(50));
        summary.put("send_to_delivery_p99_ns", sendToDelivery.getValueAtPercentile(99));
        summary.put("send_to_delivery_max_ns", sendToDelivery.getMaxValue());
    }
}
