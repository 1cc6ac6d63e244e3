package org.oobnet.harness.bench.t2t;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One process's per-tick times for the hop decomposition: for each tick sequence number a few columns of
 * {@code CLOCK_REALTIME} ns (0: not taken), written by the thread that saw the event, read once the run ended and
 * written to a file the orchestrator joins with the other process's by sequence number ({@link T2tHops}).
 * <p>
 * <b>Note:</b> {@link #put} allocation-free, each column by one thread (the stage's, the trading or publishing
 * thread's); the file is written in-band after those threads are done with it.
 */
final class TickStamps
{
    /** Exchange: the tick handed to the kernel (app clock, before the send). */
    static final int TICK_SEND = 0;
    /** Exchange: the tick's kernel TX software timestamp. */
    static final int TICK_KERNEL_TX = 1;
    /**
     * Exchange: the order's kernel RX time: its socket stamp ({@link #ORDER_SOCKET_RX}) where that is its own, else
     * the tap's ({@link #ORDER_TAP_RX}); filled once the run ended ({@link OrderTap#chooseKernelRx}).
     */
    static final int ORDER_KERNEL_RX = 2;
    /** Exchange: the order read by the SoupBinTCP server (app clock). */
    static final int ORDER_READ = 3;
    /**
     * Exchange: the order socket's {@code SCM_TIMESTAMPING} for the read that returned the order: the last segment's
     * time of that read, so an order read together with a later one carries the later one's (kept to count them,
     * {@link T2tHops#socketStampShared}).
     */
    static final int ORDER_SOCKET_RX = 4;
    /** Exchange: the order's segment's kernel RX time at the exchange's packet tap ({@link OrderTap}). */
    static final int ORDER_TAP_RX = 5;
    /** Exchange's columns. */
    static final int EXCHANGE_COLUMNS = 6;
    /** Trader: the tick's kernel RX timestamp (ring header or SO_TIMESTAMPING); 0 where there is none. */
    static final int TICK_KERNEL_RX = 0;
    /** Trader: the trading logic saw the tick (app clock). */
    static final int TICK_SEEN = 1;
    /** Trader: the order decided, about to be sent (app clock). */
    static final int ORDER_DECIDED = 2;
    /**
     * Trader: the order's send returned (app clock). Over veth the send often returns only after the kernel has
     * delivered the segment to the exchange's socket (the receive runs in the sender's softirq), so this can come
     * after the exchange's kernel RX stamp: it ends no hop of the chain.
     */
    static final int ORDER_SENT = 3;
    /**
     * Trader, the stage row with {@code -Doobnet.hops.steps=true} ({@code StageHops.STEPS}): the packet port took the
     * tick's frame off its RX ring (the stage's pick-up, app clock).
     */
    static final int TICK_PICKUP = 4;
    /** Trader, stage steps: the line socket began handing the datagram to its handler (UDP demux done). */
    static final int TICK_LINE = 5;
    /**
     * Trader, stage steps: the MoldUDP64 feed socket began handing the tick's record to the strategy's handler
     * (arbitration done, the record copied).
     */
    static final int TICK_RECORD = 6;
    /** Trader's columns. */
    static final int TRADER_COLUMNS = 7;

    private final int columns;
    private final long[] ns;
    private long measuredFrom;

    /**
     * @param ticks   the most ticks (sequence numbers 1 to {@code ticks}).
     * @param columns columns per tick.
     */
    TickStamps(final int ticks, final int columns)
    {
        this.columns = columns;
        this.ns = new long[(ticks + 1) * columns];
    }

    /**
     * @param sequence the tick's sequence number; out of range is ignored.
     * @param column   which time.
     * @param timeNs   {@code CLOCK_REALTIME} ns.
     */
    void put(final long sequence, final int column, final long timeNs)
    {
        final long i = sequence * columns + column;
        if (sequence > 0 && i < ns.length)
        {
            ns[(int)i] = timeNs;
        }
    }

    /**
     * @param sequence the tick's sequence number.
     * @param column   which time.
     * @return the time, 0 when not taken (or out of range).
     */
    long get(final long sequence, final int column)
    {
        final long i = sequence * columns + column;
        return sequence > 0 && i < ns.length ? ns[(int)i] : 0;
    }

    /** @return the highest sequence number held. */
    int ticks()
    {
        return ns.length / columns - 1;
    }

    /** @param sequence the first measured tick. */
    void measuredFrom(final long sequence)
    {
        measuredFrom = sequence;
    }

    /** @return the first measured tick, 0 when the writer did not say. */
    long measuredFrom()
    {
        return measuredFrom;
    }

    /**
     * In-band, once the writers are done.
     *
     * @param file where.
     * @throws IOException when it cannot be written.
     */
    void write(final Path file) throws IOException
    {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file))))
        {
            out.writeInt(columns);
            out.writeInt(ticks());
            out.writeLong(measuredFrom);
            for (final long v : ns)
            {
                out.writeLong(v);
            }
        }
    }

    /**
     * @param file a file {@link #write} wrote.
     * @return its times.
     * @throws IOException when it is missing or short.
     */
    static TickStamps read(final Path file) throws IOException
    {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file))))
        {
            final int columns = in.readInt();
            final int ticks = in.readInt();
            final TickStamps stamps = new TickStamps(ticks, columns);
            stamps.measuredFrom = in.readLong();
            for (int i = 0; i < stamps.ns.length; i++)
            {
                stamps.ns[i] = in.readLong();
            }
            return stamps;
        }
    }
}
