package org.oobnet.harness.bench.t2t;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.harness.bench.run.StageSamples;
import org.oobnet.moldudp64.MoldUdp64Handler;

/**
 * The trading logic every row runs, whatever drives it (the stage, a spinning thread, a blocking thread): a tick
 * in, the strategy ({@link T2tMessages#decide}), the order out through the row's sender, and, for a measured tick,
 * the in-process latency (the tick's receive timestamp to the order handed to the kernel) to the in-band side.
 * <p>
 * <b>Note:</b> one thread (the stage, or the trading thread) calls the handler methods, allocation-free; the
 * volatile flags and {@link #sent()} are read live in-band, the rest once the run ended.
 */
final class TickAnswer implements MoldUdp64Handler
{
    /** Where the order goes: the SoupBinTCP session's unsequenced data. */
    @FunctionalInterface
    interface OrderSender
    {
        /**
         * @param buffer the order.
         * @param offset where it starts.
         * @param length its length.
         * @return the bytes sent (the packet's), or a negative errno.
         */
        int send(DirectBuffer buffer, int offset, int length);
    }

    private final EpochNanoClock clock;
    private final StageSamples samples;
    private final UnsafeBuffer order = new UnsafeBuffer(new byte[T2tMessages.ORDER_LENGTH]);
    private OrderSender sender;
    private volatile boolean measuring;
    private volatile boolean ended;
    private volatile long sent;
    private long ticks;
    private long sendFailures;
    private long lost;
    private long withoutTimestamp;
    private long notTicks;

    /**
     * @param clock   the clock of the receive timestamps (the kernel's {@code CLOCK_REALTIME} on the stage, the
     *                thread's {@code System.nanoTime} for the baselines).
     * @param samples where measured in-process latencies go.
     */
    TickAnswer(final EpochNanoClock clock, final StageSamples samples)
    {
        this.clock = clock;
        this.samples = samples;
    }

    /**
     * In-band, before the first tick.
     *
     * @param sender where orders go.
     */
    void sender(final OrderSender sender)
    {
        this.sender = sender;
    }

    @Override
    public void onMessage(
        final long sequence, final DirectBuffer buffer, final int offset, final int length, final int line,
        final long rxTimestampNs)
    {
        if (!T2tMessages.isTick(buffer, offset, length))
        {
            notTicks++;
            return;
        }
        ticks++;
        T2tMessages.decide(sequence, T2tMessages.tickPrice(buffer, offset), order);
        final int rc = sender.send(order, 0, T2tMessages.ORDER_LENGTH);
        final long handedNs = clock.nanoTime();
        if (rc < 0)
        {
            sendFailures++;
            return;
        }
        sent = sent + 1;
        if (T2tMessages.isMeasured(buffer, offset))
        {
            if (!measuring)
            {
                measuring = true;
            }
            if (rxTimestampNs == 0)
            {
                withoutTimestamp++;
            }
            else
            {
                samples.offer(handedNs - rxTimestampNs);
            }
        }
    }

    @Override
    public void onLost(final long fromSequence, final long count)
    {
        lost += count;
    }

    @Override
    public void onSession(final DirectBuffer session, final int offset, final long nextSequence)
    {
    }

    @Override
    public void onEndOfSession(final long nextSequence)
    {
        ended = true;
    }

    /** @return whether a measured tick was answered (any thread). */
    boolean isMeasuring()
    {
        return measuring;
    }

    /** @return whether the feed's session ended (any thread). */
    boolean hasEnded()
    {
        return ended;
    }

    /** @return orders sent so far (any thread). */
    long sent()
    {
        return sent;
    }

    /**
     * Once the run ended.
     *
     * @return ticks received, orders that failed to go, ticks reported lost, measured ticks without a receive
     *         timestamp, and messages that were no tick.
     */
    long[] totals()
    {
        return new long[]{ ticks, sendFailures, lost, withoutTimestamp, notTicks };
    }
}
