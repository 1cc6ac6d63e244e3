package org.oobnet.harness.bench.t2t;

import java.util.concurrent.atomic.AtomicLongArray;

import org.agrona.DirectBuffer;
import org.oobnet.core.OobSocket;
import org.oobnet.core.RealtimeNanoClock;
import org.oobnet.harness.bench.run.StageSamples;
import org.oobnet.soupbintcp.SoupBinTcpEnd;
import org.oobnet.soupbintcp.SoupBinTcpServer;
import org.oobnet.soupbintcp.SoupBinTcpServerListener;
import org.oobnet.tcp.TcpOobProtocol;

/**
 * The exchange simulator's books: when each tick went to the kernel (written by the publishing thread) and how many
 * orders answered it (counted on the exchange's stage as they arrive). A measured tick's first order hands its
 * tick-to-trade latency (tick sent → order received, both on this process's {@code System.nanoTime}) to the
 * in-band reporter through {@link StageSamples}.
 * <p>
 * <b>Note:</b> {@link #tickSent} by the publishing thread; the listener methods on the stage, allocation-free; the
 * totals in-band once the session is closed.
 */
final class OrderBooks implements SoupBinTcpServerListener
{
    private final AtomicLongArray sentNs;
    private final byte[] orders;
    private final StageSamples samples;
    private final TickStamps stamps;
    private final RealtimeNanoClock realtime;
    private OobSocket orderSocket;
    private volatile long measuredFrom = Long.MAX_VALUE;
    private volatile boolean traderReady;
    private volatile SoupBinTcpEnd ended = SoupBinTcpEnd.NONE;
    private volatile long received;
    private long duplicated;
    private long unknown;
    private long wrongDecisions;
    private long malformed;

    /**
     * @param ticks   the most ticks the run sends.
     * @param samples where measured latencies go.
     * @param stamps  where each first order's socket RX stamp and app read time go (hops).
     * @param realtime the clock of the app read times.
     */
    OrderBooks(final int ticks, final StageSamples samples, final TickStamps stamps, final RealtimeNanoClock realtime)
    {
        this.stamps = stamps;
        this.realtime = realtime;
        this.sentNs = new AtomicLongArray(ticks + 1);
        this.orders = new byte[ticks + 1];
        this.samples = samples;
    }

    /**
     * Publishing thread, before the tick's packet goes to the kernel.
     *
     * @param sequence the tick's sequence number.
     * @param nowNs    {@code System.nanoTime()}.
     */
    void tickSent(final long sequence, final long nowNs)
    {
        sentNs.setRelease((int)sequence, nowNs);
    }

    /**
     * In-band, before the server starts: the order socket, whose RX timestamps ({@link TcpOobProtocol#rxTimestamps}
     * on) the stage reads as each order arrives.
     *
     * @param socket the accepted SoupBinTCP socket.
     */
    void orderSocket(final OobSocket socket)
    {
        this.orderSocket = socket;
    }

    /**
     * Publishing thread: ticks from this sequence number on are measured.
     *
     * @param sequence the first measured tick's sequence number.
     */
    void measureFrom(final long sequence)
    {
        measuredFrom = sequence;
    }

    @Override
    public void onLoggedIn(final SoupBinTcpServer server, final long firstSequenceNumber)
    {
        // not yet ready: the trader says when it can answer (T2tMessages' ready message)
    }

    @Override
    public void onUnsequencedData(
        final SoupBinTcpServer server, final DirectBuffer buffer, final int offset, final int length)
    {
        final long nowNs = System.nanoTime();
        final long readNs = nowNs + realtime.offsetNs();
        if (T2tMessages.isReady(buffer, offset, length) && !traderReady)
        {
            traderReady = true;
            return;
        }
        if (!T2tMessages.isOrder(buffer, offset, length))
        {
            malformed++;
            return;
        }
        final long tick = T2tMessages.orderTick(buffer, offset);
        final long sent = tick > 0 && tick < orders.length ? sentNs.getAcquire((int)tick) : 0;
        if (sent == 0)
        {
            unknown++; // no such tick was sent
            return;
        }
        if (!T2tMessages.isRightDecision(buffer, offset))
        {
            wrongDecisions++;
        }
        final int i = (int)tick;
        if (orders[i] != 0)
        {
            duplicated++;
            return;
        }
        orders[i] = 1;
        stamps.put(tick, TickStamps.ORDER_READ, readNs);
        stamps.put(tick, TickStamps.ORDER_SOCKET_RX, null == orderSocket ? 0 : TcpOobProtocol.rxTimestampNs(orderSocket));
        received = received + 1;
        if (tick >= measuredFrom)
        {
            samples.offer(nowNs - sent);
        }
    }

    @Override
    public void onEnded(final SoupBinTcpServer server, final SoupBinTcpEnd how)
    {
        ended = how;
    }

    /** @return whether the trader said it can answer ticks: logged in and its feed joined (any thread). */
    boolean isTraderReady()
    {
        return traderReady;
    }

    /** @return how the session ended, {@link SoupBinTcpEnd#NONE} while it runs (any thread). */
    SoupBinTcpEnd ended()
    {
        return ended;
    }

    /** @return ticks answered by at least one order so far (any thread). */
    long received()
    {
        return received;
    }

    /**
     * In-band, once the session is closed.
     *
     * @param ticks the ticks sent (sequence numbers 1 to {@code ticks}).
     * @return the books.
     */
    Books books(final long ticks)
    {
        long lost = 0;
        long lostMeasured = 0;
        for (int i = 1; i <= ticks; i++)
        {
            if (orders[i] == 0)
            {
                lost++;
                if (i >= measuredFrom)
                {
                    lostMeasured++;
                }
            }
        }
        return new Books(ticks, received, lost, lostMeasured, duplicated, unknown, wrongDecisions, malformed);
    }

    /**
     * One run's books at the exchange.
     *
     * @param ticks          ticks sent.
     * @param orders         ticks answered (first orders).
     * @param lost           ticks never answered.
     * @param lostMeasured   of which in the measured phase.
     * @param duplicated     second (or later) orders for one tick.
     * @param unknown        orders for a tick never sent.
     * @param wrongDecisions orders whose side or price is not the strategy's.
     * @param malformed      unsequenced messages that are no order.
     */
    record Books(long ticks, long orders, long lost, long lostMeasured, long duplicated, long unknown,
        long wrongDecisions, long malformed)
    {
        /** @return whether every tick got exactly one right order and nothing else came. */
        boolean exact()
        {
            return ticks > 0 && orders == ticks && lost == 0 && duplicated == 0 && unknown == 0 &&
                wrongDecisions == 0 && malformed == 0;
        }

        /**
         * @param other another round's books.
         * @return both added.
         */
        Books plus(final Books other)
        {
            return new Books(ticks + other.ticks, orders + other.orders, lost + other.lost,
                lostMeasured + other.lostMeasured, duplicated + other.duplicated, unknown + other.unknown,
                wrongDecisions + other.wrongDecisions, malformed + other.malformed);
        }
    }
}
