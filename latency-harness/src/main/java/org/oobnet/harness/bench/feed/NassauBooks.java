package org.oobnet.harness.bench.feed;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

import com.paritytrading.nassau.MessageListener;
import com.paritytrading.nassau.moldudp64.MoldUDP64Client;
import com.paritytrading.nassau.moldudp64.MoldUDP64ClientState;
import com.paritytrading.nassau.moldudp64.MoldUDP64ClientStatusListener;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The books {@code oobnet feed bench} keeps for Nassau's {@code MoldUDP64Client}, the baseline: what it delivered,
 * whether once and in order, the requests it made, and the same {@link DeliveryTimes} as the stage's.
 * <p>
 * <b>Note:</b> the client's polling thread writes; {@link #delivered} is read live, the rest once it stopped.
 */
final class NassauBooks implements MessageListener, MoldUDP64ClientStatusListener
{
    private final EpochNanoClock clock;
    private final DeliveryTimes times = new DeliveryTimes();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    volatile long delivered;
    private long outOfOrder;
    private long requests;

    /**
     * @param clock the delivery clock, the send times' ({@code CLOCK_REALTIME}).
     */
    NassauBooks(final EpochNanoClock clock)
    {
        this.clock = clock;
    }

    @Override
    public void message(final ByteBuffer buffer)
    {
        final long nowNs = clock.nanoTime();
        view.wrap(buffer, buffer.position(), buffer.remaining());
        final long sequence = view.getLong(0, ByteOrder.BIG_ENDIAN);
        if (sequence != delivered + 1)
        {
            outOfOrder++;
        }
        times.record(nowNs, BenchFeed.sendTimeNs(view, 0));
        delivered = delivered + 1; // one writer
    }

    @Override
    public void state(final MoldUDP64Client client, final MoldUDP64ClientState next)
    {
    }

    @Override
    public void downstream(final MoldUDP64Client client, final long sequenceNumber, final int messageCount)
    {
    }

    @Override
    public void request(final MoldUDP64Client client, final long sequenceNumber, final int requestedMessageCount)
    {
        requests++;
    }

    @Override
    public void endOfSession(final MoldUDP64Client client)
    {
        // the phase ends when every message was delivered, which may be before the end of session came
    }

    /** @return its delivery times. */
    DeliveryTimes times()
    {
        return times;
    }

    /**
     * Once the client stopped: the summary's keys.
     *
     * @param messages the messages published.
     * @return the summary, in print order.
     */
    Map<String, Object> summary(final long messages)
    {
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("delivered", delivered);
        summary.put("in_order", 0 == outOfOrder && delivered == messages);
        summary.put("requests", requests);
        times.addTo(summary);
        return summary;
    }
}
