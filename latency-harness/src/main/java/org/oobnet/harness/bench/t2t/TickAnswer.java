package org.oobnet.harness.bench.t2t;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
    private static final VarHandle FEED_NEXT;

    static
    {
        try
        {
            FEED_NEXT = MethodHandles.lookup().findVarHandle(TickAnswer.class, "feedNext", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

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
    private final TickStamps stamps;
    private final EpochNanoClock realtime;
    private final boolean kernelRx;
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
    // the stage's steps for the tick being answered (realtime ns, 0: none), set just before it by steps()
    private long pickupNs;
    private long lineNs;
    private long recordNs;
    // the feed's next sequence: every one before it was delivered or reported lost (its position when it stops)
    @SuppressWarnings("unused") // through FEED_NEXT
    private long feedNext;

    /**
     * @param clock   the clock of the receive timestamps (the kernel's {@code CLOCK_REALTIME} on the stage, the
     *                thread's {@code System.nanoTime} for the baselines).
     * @param samples  where measured in-process latencies go.
     * @param stamps   where each tick's hop times go (trader columns).
     * @param realtime {@code CLOCK_REALTIME}, the clock of the hop times (the exchange's too).
     * @param kernelRx whether the receive timestamp given with a tick is the kernel's (realtime) and goes to the
     *                 hops; false for a receive's return on {@code System.nanoTime}.
     */
    TickAnswer(final EpochNanoClock clock, final StageSamples samples, final TickStamps stamps,
        final EpochNanoClock realtime, final boolean kernelRx)
    {
        this.stamps = stamps;
        this.realtime = realtime;
        this.kernelRx = kernelRx;
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

    /**
     * The stage row, with its steps on, just before {@link #onMessage}: where the next message's frame was on the
     * stage (realtime ns, 0 where not taken); kept with the tick's other times once its order went.
     *
     * @param pickupNs the packet port took the frame off its ring.
     * @param lineNs   the line socket began handing the datagram to its handler.
     * @param recordNs the feed socket began handing the message's record to the strategy's handler.
     */
    void steps(final long pickupNs, final long lineNs, final long recordNs)
    {
        this.pickupNs = pickupNs;
        this.lineNs = lineNs;
        this.recordNs = recordNs;
    }

    @Override
    public void onMessage(
        final long sequence, final DirectBuffer buffer, final int offset, final int length, final int line,
        final long rxTimestampNs)
    {
        answer(sequence, buffer, offset, length, rxTimestampNs);
        // release: the feed's position, after this message's counters, for in-band to read while the trading side
        // may still run; pairs with feedNext()'s acquire (a plain store on x86: nothing on the tick's path)
        FEED_NEXT.setRelease(this, sequence + 1);
    }

    private void answer(
        final long sequence, final DirectBuffer buffer, final int offset, final int length, final long rxTimestampNs)
    {
        if (!T2tMessages.isTick(buffer, offset, length))
        {
            notTicks++;
            return;
        }
        final long seenNs = realtime.nanoTime();
        ticks++;
        T2tMessages.decide(sequence, T2tMessages.tickPrice(buffer, offset), order);
        final long decidedNs = realtime.nanoTime();
        final int rc = sender.send(order, 0, T2tMessages.ORDER_LENGTH);
        final long handedNs = clock.nanoTime();
        final long sentNs = realtime.nanoTime();
        if (rc < 0)
        {
            sendFailures++;
            return;
        }
        sent = sent + 1;
        stamps.put(sequence, TickStamps.TICK_KERNEL_RX, kernelRx ? rxTimestampNs : 0);
        stamps.put(sequence, TickStamps.TICK_SEEN, seenNs);
        stamps.put(sequence, TickStamps.ORDER_DECIDED, decidedNs);
        stamps.put(sequence, TickStamps.ORDER_SENT, sentNs);
        if (0 != recordNs)
        {
            stamps.put(sequence, TickStamps.TICK_PICKUP, pickupNs);
            stamps.put(sequence, TickStamps.TICK_LINE, lineNs);
            stamps.put(sequence, TickStamps.TICK_RECORD, recordNs);
            recordNs = 0;
        }
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
        // release: after the count; pairs with feedNext()'s acquire
        FEED_NEXT.setRelease(this, fromSequence + count);
    }

    @Override
    public void onSession(final DirectBuffer session, final int offset, final long nextSequence)
    {
        FEED_NEXT.setRelease(this, nextSequence); // release: pairs with feedNext()'s acquire
    }

    @Override
    public void onEndOfSession(final long nextSequence)
    {
        ended = true;
    }

    /** @return the hop times (in-band, once the run ended). */
    TickStamps stamps()
    {
        return stamps;
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
     * In-band, at the end (the trading side may still run): the counters of {@link #totals()} read after it are
     * at least as new.
     *
     * @return the feed's next sequence number: every tick before it was received or reported lost, none from it on
     *         (0 before the session began).
     */
    long feedNext()
    {
        return (long)FEED_NEXT.getAcquire(this);
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
