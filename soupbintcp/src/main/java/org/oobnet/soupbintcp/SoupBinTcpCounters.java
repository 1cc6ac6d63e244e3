package org.oobnet.soupbintcp;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A session's counters: packets in and out, heartbeats, and its drops by {@link SoupBinTcpDrop reason}. Written by
 * the stage with release stores, read by any thread.
 */
public final class SoupBinTcpCounters
{
    /** Packets received (well formed). */
    public static final int PACKETS_IN = 0;
    /** Packets sent. */
    public static final int PACKETS_OUT = 1;
    /** Heartbeats sent. */
    public static final int HEARTBEATS_OUT = 2;
    /** Heartbeats received. */
    public static final int HEARTBEATS_IN = 3;
    /** Packets the TCP connection refused (its outbound buffer full): the session ended. */
    public static final int SEND_REFUSED = 4;
    private static final int FIRST_DROP = 5;

    private final AtomicLongArray values = new AtomicLongArray(FIRST_DROP + SoupBinTcpDrop.values().length);

    /** Stage. */
    void increment(final int index)
    {
        // release: the single writer publishes the new count; pairs with get()'s volatile read
        values.lazySet(index, values.getPlain(index) + 1);
    }

    /** Stage. */
    void drop(final SoupBinTcpDrop reason)
    {
        increment(FIRST_DROP + reason.ordinal());
    }

    /**
     * @param index one of the constants.
     * @return its value.
     */
    public long get(final int index)
    {
        return values.get(index);
    }

    /**
     * @param reason a drop reason.
     * @return the packets dropped for it.
     */
    public long drops(final SoupBinTcpDrop reason)
    {
        return values.get(FIRST_DROP + reason.ordinal());
    }
}
