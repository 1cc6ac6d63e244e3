package org.oobnet.harness.bench.t2t;

import java.util.Locale;

/**
 * Names the ticks a row's books count as unanswered, from what the trader saw, so that a loss is never a bare
 * number: ticks its feed never reached (the trader was starved until the exchange's session had ended: the kernel
 * dropped the ticks its feed socket could not hold, the packets that would have shown the gap among them, and no
 * request server was left to ask), ticks its MoldUDP64 recovery gave up, orders that failed to go, and orders
 * sent but not booked (read after the exchange's receive timeout); what none of these explains is said too.
 * <p>
 * <b>Note:</b> stateless.
 */
final class T2tLosses
{
    private T2tLosses()
    {
    }

    /**
     * @param r a row whose books are not exact.
     * @return one line naming where its unanswered ticks went.
     */
    static String line(final T2tResult r)
    {
        final long lost = r.books().lost();
        final TraderFeed feed = r.feed();
        final long notBooked = Math.max(0, feed.ordersSent() - r.books().orders());
        final long other = lost - feed.unseen() - r.ticksLost() - r.sendFailures() - notBooked;
        return String.format(Locale.ROOT, "%s: %d ticks unanswered: %d never reached the trader (its feed stopped " +
            "before the exchange's session ended: starved%s), %d given up by its MoldUDP64 recovery%s, %d orders " +
            "failed to send, %d orders sent but not booked (after the exchange's receive timeout)%s",
            r.row().label(), lost, feed.unseen(), feed.socketDrops() <= 0 ? "" : ", the kernel dropped " +
            feed.socketDrops() + " of its feed's packets", r.ticksLost(), feed.requests() < 0 ? "" : " (" + feed.requests() +
            " requests)", r.sendFailures(), notBooked, other == 0 ? "" : ", " + other + " not accounted for");
    }
}
