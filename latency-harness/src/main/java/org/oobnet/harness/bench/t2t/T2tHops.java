package org.oobnet.harness.bench.t2t;

import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.oobnet.harness.report.LatencyRecorder;

/**
 * Where a row's tick-to-trade goes, hop by hop: the exchange's and the trader's per-tick times
 * ({@link TickStamps}, both {@code CLOCK_REALTIME}) joined by tick sequence number over the measured ticks, one
 * histogram per hop, plus {@code wire} (the tick's kernel TX to the order's kernel RX at the exchange: the trading
 * system's tick-to-trade as the exchange's kernel sees it, without the simulator's own app latency) and
 * {@code total} (the tick's app send to the order's app read on the realtime clock: the same span as
 * {@code latency_ns}, from the same clock reads, but through the stamps and the join: a check that the join pairs
 * each tick's times). The chain
 * {@code exchange_tx + tick_in + trader_decide + order_out + exchange_pickup} is {@code total} per tick;
 * {@code tick_in} splits into {@code tick_wire + trader_pickup} where the trader has a kernel RX timestamp, and
 * the stage row's {@code trader_pickup} into {@code rx_ring_pickup + udp_demux + feed_arbitration +
 * record_to_strategy} where it ran with the stage's steps on ({@code -Doobnet.hops.steps=true}: the packet port's
 * pick-up, the line socket's delivery, the feed socket's delivery of the record, {@link TickStamps#TICK_PICKUP}). The
 * order's kernel RX time is the order socket's stamp where it is the order's own, else its segment's at the
 * exchange's packet tap ({@link OrderTap#chooseKernelRx}, {@link #socketStampShared}). Where
 * that stamp is taken moves the split: the exchange's order socket asks for RX timestamps (for {@code wire}), which
 * turns the kernel's software RX stamping on for every packet on the host, and then veth stamps the tick in
 * {@code netif_rx} on the exchange's CPU, before that CPU's softirq runs the trader's packet tap:
 * {@code trader_pickup} includes that softirq path (about 1 µs here), which {@code latency compare}'s
 * {@code kernel_rx->pickup} (no RX-timestamping socket: stamped at the tap) does not (BENCHMARKS.md "Session 11").
 * {@code trader_send_call} (the order's send call to its return) is outside the chain: over veth the call often
 * returns only after the exchange's kernel has received the order (see {@link TickStamps#ORDER_SENT}).
 * A hop with a time missing at either end is left out for that tick ({@link #missing}); one that comes out
 * negative (the two processes' realtime offsets disagree, or a timestamp belongs to another packet) is counted
 * ({@link #negative}) and left out.
 * <p>
 * <b>Note:</b> in-band, not thread safe.
 */
final class T2tHops
{
    /** The hops, in the tick's order, with their ends: {name, from process, from column, to process, to column}. */
    private static final Object[][] HOPS = {
        { "exchange_tx", 'E', TickStamps.TICK_SEND, 'E', TickStamps.TICK_KERNEL_TX },
        { "tick_wire", 'E', TickStamps.TICK_KERNEL_TX, 'T', TickStamps.TICK_KERNEL_RX },
        { "trader_pickup", 'T', TickStamps.TICK_KERNEL_RX, 'T', TickStamps.TICK_SEEN },
        { "rx_ring_pickup", 'T', TickStamps.TICK_KERNEL_RX, 'T', TickStamps.TICK_PICKUP },
        { "udp_demux", 'T', TickStamps.TICK_PICKUP, 'T', TickStamps.TICK_LINE },
        { "feed_arbitration", 'T', TickStamps.TICK_LINE, 'T', TickStamps.TICK_RECORD },
        { "record_to_strategy", 'T', TickStamps.TICK_RECORD, 'T', TickStamps.TICK_SEEN },
        { "tick_in", 'E', TickStamps.TICK_KERNEL_TX, 'T', TickStamps.TICK_SEEN },
        { "trader_decide", 'T', TickStamps.TICK_SEEN, 'T', TickStamps.ORDER_DECIDED },
        { "order_out", 'T', TickStamps.ORDER_DECIDED, 'E', TickStamps.ORDER_KERNEL_RX },
        { "exchange_pickup", 'E', TickStamps.ORDER_KERNEL_RX, 'E', TickStamps.ORDER_READ },
        { "trader_send_call", 'T', TickStamps.ORDER_DECIDED, 'T', TickStamps.ORDER_SENT },
        { "wire", 'E', TickStamps.TICK_KERNEL_TX, 'E', TickStamps.ORDER_KERNEL_RX },
        { "total", 'E', TickStamps.TICK_SEND, 'E', TickStamps.ORDER_READ },
    };

    private final Map<String, Histogram> histograms = new LinkedHashMap<>();
    private final Map<String, Long> negative = new LinkedHashMap<>();
    private final Map<String, Long> missing = new LinkedHashMap<>();
    private long socketStampShared;

    private T2tHops()
    {
        for (final Object[] hop : HOPS)
        {
            histograms.put((String)hop[0], LatencyRecorder.newHistogram());
            negative.put((String)hop[0], 0L);
            missing.put((String)hop[0], 0L);
        }
    }

    /**
     * @param exchange the exchange's times.
     * @param trader   the trader's.
     * @return the hops of the measured ticks the exchange names (from its {@code measuredFrom} to its last tick).
     */
    static T2tHops join(final TickStamps exchange, final TickStamps trader)
    {
        final T2tHops hops = new T2tHops();
        final long from = Math.max(1, exchange.measuredFrom());
        for (long sequence = from; sequence <= exchange.ticks(); sequence++)
        {
            final long socketRx = exchange.get(sequence, TickStamps.ORDER_SOCKET_RX);
            if (socketRx != 0 && socketRx == exchange.get(sequence + 1, TickStamps.ORDER_SOCKET_RX))
            {
                hops.socketStampShared++;
            }
            for (final Object[] hop : HOPS)
            {
                final long start = ((char)hop[1] == 'E' ? exchange : trader).get(sequence, (int)hop[2]);
                final long end = ((char)hop[3] == 'E' ? exchange : trader).get(sequence, (int)hop[4]);
                final String name = (String)hop[0];
                if (0 == start || 0 == end)
                {
                    hops.missing.merge(name, 1L, Long::sum);
                }
                else if (end < start)
                {
                    hops.negative.merge(name, 1L, Long::sum);
                }
                else
                {
                    hops.histograms.get(name).recordValue(Math.min(end - start, hops.histograms.get(name).getHighestTrackableValue()));
                }
            }
        }
        return hops;
    }

    /**
     * @param other another round's hops of the same row.
     * @return both added.
     */
    T2tHops plus(final T2tHops other)
    {
        final T2tHops sum = new T2tHops();
        for (final String name : histograms.keySet())
        {
            sum.histograms.get(name).add(histograms.get(name));
            sum.histograms.get(name).add(other.histograms.get(name));
            sum.negative.put(name, negative.get(name) + other.negative.get(name));
            sum.missing.put(name, missing.get(name) + other.missing.get(name));
        }
        sum.socketStampShared = socketStampShared + other.socketStampShared;
        return sum;
    }

    /** @return each hop's histogram (ns), in the tick's order, then {@code wire} and {@code total}. */
    Map<String, Histogram> histograms()
    {
        return histograms;
    }

    /**
     * @param name a hop.
     * @return measured ticks whose hop came out negative.
     */
    long negative(final String name)
    {
        return negative.get(name);
    }

    /**
     * @param name a hop.
     * @return measured ticks with a time missing at either end of the hop.
     */
    long missing(final String name)
    {
        return missing.get(name);
    }

    /**
     * Measured orders whose order-socket stamp ({@link TickStamps#ORDER_SOCKET_RX}) is the next order's: one read
     * returned both, so the socket's stamp was a later segment's. Such stamps put a tick period into {@code wire} at
     * p99 before the exchange took these orders' times from {@link OrderTap}.
     *
     * @return how many.
     */
    long socketStampShared()
    {
        return socketStampShared;
    }

    /** @return the histogram of {@code wire}. */
    Histogram wire()
    {
        return histograms.get("wire");
    }
}
