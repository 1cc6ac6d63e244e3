package org.oobnet.harness.bench.t2t;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where the trader's MoldUDP64 feed stood when the trader stopped, so that ticks the exchange books as unanswered
 * are named, not silent: those the feed never reached (a trader starved until the exchange's session had ended:
 * the kernel dropped what its feed socket could not hold, the packets that would have shown the gap among them,
 * and the request server was gone), beside those its recovery gave up ({@link T2tResult#ticksLost()}) and the
 * orders that failed ({@link T2tResult#sendFailures()}).
 * <p>
 * <b>Note:</b> immutable.
 *
 * @param unseen      ticks past the feed's last position: neither received nor reported lost by the trader.
 * @param socketDrops what the kernel dropped before the trader took it: datagrams at the thread rows' feed socket
 *                    (a full receive buffer), frames at the stage's packet rings (a full ring); -1 when unknown.
 * @param requests    retransmission requests the feed sent, -1 when unknown.
 * @param ordersSent  orders the trader sent (the exchange books those it read before its receive timeout).
 */
public record TraderFeed(long unseen, long socketDrops, long requests, long ordersSent)
{
    /** The trader.json field of the feed's next sequence number. */
    static final String NEXT_SEQUENCE = "feed_next_sequence";
    /** The trader.json field of the feed socket's drops. */
    static final String SOCKET_DROPS = "feed_socket_drops";
    /** The trader.json field of the retransmission requests. */
    static final String REQUESTS = "feed_requests";

    /**
     * @param trader what the trader wrote ({@code trader.json}).
     * @param ticks  the ticks the exchange sent (sequence numbers 1 to {@code ticks}).
     * @return the feed's figures.
     */
    static TraderFeed of(final JsonNode trader, final long ticks)
    {
        final long next = Math.max(1, trader.path(NEXT_SEQUENCE).asLong(0));
        return new TraderFeed(Math.max(0, ticks + 1 - next), trader.path(SOCKET_DROPS).asLong(-1),
            trader.path(REQUESTS).asLong(-1), trader.path("orders_sent").asLong());
    }

    /**
     * @param other another round's.
     * @return both added (unknown stays unknown).
     */
    TraderFeed plus(final TraderFeed other)
    {
        return new TraderFeed(unseen + other.unseen, sum(socketDrops, other.socketDrops),
            sum(requests, other.requests), ordersSent + other.ordersSent);
    }

    /**
     * @param o where the row's fields go.
     */
    void put(final ObjectNode o)
    {
        o.put("ticks_unseen_by_trader", unseen);
        o.put(SOCKET_DROPS, socketDrops);
        o.put(REQUESTS, requests);
        o.put("orders_sent", ordersSent);
    }

    private static long sum(final long a, final long b)
    {
        return a < 0 || b < 0 ? -1 : a + b;
    }
}
