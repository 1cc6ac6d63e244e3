package org.oobnet.harness.bench.t2t;

import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;
import org.oobnet.harness.report.LatencyRecorder;
import org.oobnet.harness.report.RunResult;

/**
 * One row of a tick-to-trade run (its rounds merged): the tick-to-trade latencies as the exchange measured them
 * (with the trading side's allocation and stalls), the trader's in-process latencies, and the exchange's books.
 * <p>
 * <b>Note:</b> immutable once built.
 *
 * @param row          the row.
 * @param tickToTrade  tick sent → order received, ns, the measured ticks.
 * @param inProcess    tick received → order handed to the kernel, ns, the measured ticks.
 * @param books        the exchange's books, every tick (warm-up included).
 * @param sendFailures orders the trader could not send.
 * @param ticksLost    ticks the trader's feed reported lost.
 * @param feed         where the trader's feed stood when it stopped: the ticks it never reached.
 * @param hops         where the time went, per hop, the measured ticks.
 * @param pinning      how the trader was pinned, as it saw it ({@link TraderPinning#observed}).
 * @param sched        each round's scheduler evidence ({@link T2tSchedRound}), in round order.
 */
public record T2tResult(T2tRow row, RunResult tickToTrade, Histogram inProcess, OrderBooks.Books books, long sendFailures,
    long ticksLost, TraderFeed feed, T2tHops hops, JsonNode pinning, List<T2tSchedRound> sched)
{
    /**
     * @param other another round of the same row.
     * @return both merged.
     */
    T2tResult merge(final T2tResult other)
    {
        final Histogram merged = LatencyRecorder.newHistogram();
        merged.add(inProcess);
        merged.add(other.inProcess);
        return new T2tResult(row, tickToTrade.merge(other.tickToTrade), merged, books.plus(other.books),
            sendFailures + other.sendFailures, ticksLost + other.ticksLost, feed.plus(other.feed), hops.plus(other.hops),
            TraderPinning.merge(pinning, other.pinning), Stream.concat(sched.stream(), other.sched.stream()).toList());
    }
}
