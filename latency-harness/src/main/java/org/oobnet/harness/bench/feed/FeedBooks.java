package org.oobnet.harness.bench.feed;

import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobSocket;
import org.oobnet.moldudp64.stage.MoldUdp64Record;

/**
 * The books {@code oobnet feed moldudp64} keeps on the stage from a feed socket's records: what was delivered,
 * whether every message came once and in sequence order, what was reported lost, and the latency from each
 * packet's kernel RX timestamp to the message's delivery here.
 * <p>
 * <b>Note:</b> the stage writes; {@link #delivered}, {@link #lost} and {@link #ended} are read live, the rest once the socket is
 * closed. Allocation-free on the stage (the histogram covers 0 to 10 s and clamps).
 */
final class FeedBooks implements OobReceiveHandler
{
    private static final long HIGHEST_NS = 10_000_000_000L;

    private final EpochNanoClock clock;
    private final Histogram latency = new Histogram(HIGHEST_NS, 3);
    private final DeliveryTimes times;
    volatile long delivered;
    volatile long lost;
    volatile boolean ended;
    private long first = -1;
    private long last = -1;
    private long next = -1;
    private long duplicates;
    private long outOfOrder;
    private long lostRanges;
    private long withoutTimestamp;
    private long negativeLatency;

    /**
     * @param clock the delivery clock, on the RX timestamps' epoch ({@code CLOCK_REALTIME}).
     */
    FeedBooks(final EpochNanoClock clock)
    {
        this(clock, null);
    }

    /**
     * @param clock the delivery clock, on the RX timestamps' epoch ({@code CLOCK_REALTIME}).
     * @param times also the delivery times and each message's send-to-delivery latency ({@link BenchFeed}'s
     *              messages carry their send time), or null.
     */
    FeedBooks(final EpochNanoClock clock, final DeliveryTimes times)
    {
        this.clock = clock;
        this.times = times;
    }

    @Override
    public void onMessage(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
    {
        final long sequence = MoldUdp64Record.sequence(buffer, offset);
        switch (MoldUdp64Record.kind(buffer, offset))
        {
            case MoldUdp64Record.MESSAGE ->
            {
                final long nowNs = clock.nanoTime();
                message(nowNs, sequence, MoldUdp64Record.rxTimestampNs(buffer, offset));
                if (null != times && length >= MoldUdp64Record.HEADER_LENGTH + BenchFeed.MIN_MESSAGE_LENGTH)
                {
                    times.record(nowNs, BenchFeed.sendTimeNs(buffer, offset + MoldUdp64Record.HEADER_LENGTH));
                }
            }
            case MoldUdp64Record.LOST ->
            {
                final long count = MoldUdp64Record.count(buffer, offset);
                lost = lost + count; // the stage is the only writer
                lostRanges++;
                next = sequence + count;
            }
            case MoldUdp64Record.SESSION -> next = sequence;
            case MoldUdp64Record.END_OF_SESSION -> ended = true;
            default ->
            {
            }
        }
    }

    private void message(final long nowNs, final long sequence, final long rxTimestampNs)
    {
        if (sequence <= last)
        {
            duplicates++;
        }
        else if (next >= 0 && sequence != next)
        {
            outOfOrder++;
        }
        if (first < 0)
        {
            first = sequence;
        }
        last = Math.max(last, sequence);
        next = sequence + 1;
        if (0 == rxTimestampNs)
        {
            withoutTimestamp++;
        }
        else
        {
            final long latencyNs = nowNs - rxTimestampNs;
            if (latencyNs < 0)
            {
                negativeLatency++;
            }
            latency.recordValue(Math.max(0, Math.min(HIGHEST_NS, latencyNs)));
        }
        delivered = delivered + 1;
    }

    /**
     * In-band, once the socket is closed: the summary's keys.
     *
     * @param lineCounters the feed socket's counters by label, as the counters file had them.
     * @return the summary, in print order.
     */
    Map<String, Object> summary(final Map<String, Long> lineCounters)
    {
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("delivered", delivered);
        summary.put("first_sequence", first);
        summary.put("last_sequence", last);
        // every message once, in sequence order, with no hole that was not reported lost
        summary.put("in_order", 0 == duplicates && 0 == outOfOrder && (delivered == 0 || delivered + lost == last - first + 1));
        summary.put("duplicates_delivered", duplicates);
        summary.put("out_of_order", outOfOrder);
        summary.put("gaps", sum(lineCounters, " gaps", "line "));
        summary.put("filled_from_other_line", sum(lineCounters, " recovered", "line "));
        summary.put("retransmitted", lineCounters.getOrDefault("request server wins", 0L));
        summary.put("requests", lineCounters.getOrDefault("request server requests", 0L));
        summary.put("lost", lost);
        summary.put("lost_ranges", lostRanges);
        summary.put("end_of_session", ended);
        summary.put("rx_to_delivery_samples", latency.getTotalCount());
        summary.put("rx_to_delivery_p50_ns", latency.getValueAtPercentile(50));
        summary.put("rx_to_delivery_p99_ns", latency.getValueAtPercentile(99));
        summary.put("rx_to_delivery_p999_ns", latency.getValueAtPercentile(99.9));
        summary.put("rx_to_delivery_max_ns", latency.getMaxValue());
        summary.put("without_rx_timestamp", withoutTimestamp);
        summary.put("negative_latency", negativeLatency);
        summary.put("lines", new LinkedHashMap<>(lineCounters));
        return summary;
    }

    private static long sum(final Map<String, Long> counters, final String suffix, final String prefix)
    {
        long sum = 0;
        for (final Map.Entry<String, Long> counter : counters.entrySet())
        {
            if (counter.getKey().startsWith(prefix) && counter.getKey().endsWith(suffix))
            {
                sum += counter.getValue();
            }
        }
        return sum;
    }
}
