package org.oobnet.harness.bench.t2t;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The tick-to-trade run's two messages. A tick is a MoldUDP64 message from the exchange simulator; an order is a
 * SoupBinTCP unsequenced message back, carrying the MoldUDP64 sequence number of the tick it answers, so the
 * exchange's books account for every tick exactly (one order each: none lost, none duplicated).
 * <pre>
 * tick:  0 'T' | 1 phase (0 warm-up, 1 measured) | 2 price (i64)
 * order: 0 'O' | 1 side ('B' or 'S')             | 2 tick sequence (i64) | 10 price (i64)
 * ready: 0 'R'
 * </pre>
 * The trader sends <i>ready</i> once, as an unsequenced message, when it can answer a tick (logged in, its feed
 * joined): the exchange sends its first tick only then. Logged in at the exchange is not enough: a stage trader
 * descheduled between its login request and reading the Login Accepted would find ticks in its feed ring before
 * its session knows it is logged in, and could not answer them.
 * Native byte order: both ends run on the same host. <b>Note:</b> stateless; allocation-free.
 */
public final class T2tMessages
{
    /** A tick's length. */
    public static final int TICK_LENGTH = 10;
    /** An order's length. */
    public static final int ORDER_LENGTH = 18;
    /** A warm-up tick: answered, not measured. */
    public static final byte WARMUP = 0;
    /** A measured tick. */
    public static final byte MEASURED = 1;
    /** The trader's ready message's length. */
    public static final int READY_LENGTH = 1;
    /** Buy. */
    public static final byte BUY = 'B';
    /** Sell. */
    public static final byte SELL = 'S';
    /** The price the strategy compares ticks with. */
    public static final long MID_PRICE = 10_000;

    private static final byte TICK = 'T';
    private static final byte ORDER = 'O';
    private static final byte READY = 'R';

    private T2tMessages()
    {
    }

    /**
     * @param buffer where.
     * @param phase  {@link #WARMUP} or {@link #MEASURED}.
     * @param price  the price.
     */
    public static void putTick(final MutableDirectBuffer buffer, final byte phase, final long price)
    {
        buffer.putByte(0, TICK);
        buffer.putByte(1, phase);
        buffer.putLong(2, price);
    }

    /**
     * @param sequence the tick's MoldUDP64 sequence number.
     * @return a price that moves around {@link #MID_PRICE}, so the strategy both buys and sells.
     */
    public static long priceOf(final long sequence)
    {
        return MID_PRICE - 100 + (sequence * 7919) % 200;
    }

    /**
     * @param buffer a message's buffer.
     * @param offset where it starts.
     * @param length its length.
     * @return whether it is a tick.
     */
    public static boolean isTick(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= TICK_LENGTH && buffer.getByte(offset) == TICK;
    }

    /**
     * @param buffer a tick's buffer.
     * @param offset where it starts.
     * @return whether it is measured.
     */
    public static boolean isMeasured(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + 1) == MEASURED;
    }

    /**
     * @param buffer a tick's buffer.
     * @param offset where it starts.
     * @return its price.
     */
    public static long tickPrice(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + 2);
    }

    /**
     * The trivial strategy every trader runs: buy below the mid price, sell at or above it, at the tick's price.
     *
     * @param tickSequence the tick's sequence number.
     * @param tickPrice    its price.
     * @param order        where the order goes, at offset 0 ({@link #ORDER_LENGTH} bytes).
     */
    public static void decide(final long tickSequence, final long tickPrice, final MutableDirectBuffer order)
    {
        order.putByte(0, ORDER);
        order.putByte(1, tickPrice < MID_PRICE ? BUY : SELL);
        order.putLong(2, tickSequence);
        order.putLong(10, tickPrice);
    }

    /**
     * @param buffer a message's buffer.
     * @param offset where it starts.
     * @param length its length.
     * @return whether it is an order.
     */
    public static boolean isOrder(final DirectBuffer buffer, final int offset, final int length)
    {
        return length == ORDER_LENGTH && buffer.getByte(offset) == ORDER;
    }

    /**
     * @param buffer an order's buffer.
     * @param offset where it starts.
     * @return the sequence number of the tick it answers.
     */
    public static long orderTick(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + 2);
    }

    /**
     * @param buffer an order's buffer.
     * @param offset where it starts.
     * @return whether its side and price are what the strategy decides for its tick's price.
     */
    public static boolean isRightDecision(final DirectBuffer buffer, final int offset)
    {
        final long price = buffer.getLong(offset + 10);
        return price == priceOf(orderTick(buffer, offset)) &&
            buffer.getByte(offset + 1) == (price < MID_PRICE ? BUY : SELL);
    }

    /**
     * @param buffer where the ready message goes, at offset 0 ({@link #READY_LENGTH} bytes).
     */
    public static void putReady(final MutableDirectBuffer buffer)
    {
        buffer.putByte(0, READY);
    }

    /**
     * @param buffer a message's buffer.
     * @param offset where it starts.
     * @param length its length.
     * @return whether it is the trader's ready message.
     */
    public static boolean isReady(final DirectBuffer buffer, final int offset, final int length)
    {
        return length == READY_LENGTH && buffer.getByte(offset) == READY;
    }
}
