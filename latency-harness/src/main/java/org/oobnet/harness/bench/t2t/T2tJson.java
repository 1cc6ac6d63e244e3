package org.oobnet.harness.bench.t2t;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;
import org.oobnet.harness.report.FloorReference;
import org.oobnet.harness.report.GcDelta;
import org.oobnet.harness.report.RunJson;
import org.oobnet.harness.report.RunResult;

/**
 * The JSON of a tick-to-trade run, {@code summary.json} and {@code --json FILE}: one object per row
 * ({@code t2t-stage}, {@code t2t-spin}, {@code t2t-blocking}) with {@link RunJson}'s fields and two one-way measures:
 * <ul>
 * <li>{@code wire_ns}, tick-to-trade: the tick's kernel TX stamp at the exchange to the order's kernel RX stamp
 * there (wire to wire, tap to tap, as the field defines it), with its own {@code ratio_to_spin} /
 * {@code ratio_to_blocking} inside; the targets apply to it. {@code "tick_to_trade": "wire_ns"} in every row says
 * so.</li>
 * <li>{@code latency_ns}, app to app: the simulator's tick send to its read of the order, the simulator's own
 * hops included (not a round trip), with the row-level {@code ratio_to_spin} / {@code ratio_to_blocking}.</li>
 * </ul>
 * Then {@code in_process_ns}, the exchange's {@code books}, what the trader names of the unanswered ticks
 * ({@code send_failures}, {@code ticks_lost_at_trader}, {@code ticks_unseen_by_trader}, {@code feed_socket_drops},
 * {@code feed_requests}: {@link TraderFeed}) and {@code hops} (each hop's percentile block with its
 * {@code count}, {@code negative} and {@code missing} ticks, see {@link T2tHops}) and {@code sched} (per round, the
 * trading thread's and CPU's scheduler evidence and each slow tick's cause: {@link T2tSchedRound}). Ratios are p50,
 * p99, p99.9 over the base row's. t2t-stage's row has {@code rounds}: its targets' ratios round by round with their
 * median and interval, and the run's verdict per target ({@link T2tTargets#toJson}); the other rows' is null.
 * <p>
 * <b>Note:</b> stateless.
 */
public final class T2tJson
{
    private static final String RTT = "rtt_ns";
    /** The block that is tick-to-trade (the targets' measure), named in every row's {@code tick_to_trade}. */
    static final String TICK_TO_TRADE = "wire_ns";

    private T2tJson()
    {
    }

    /**
     * @param o   the exchange's row object ({@code <run>.run.json}).
     * @param tap its order tap, drained.
     */
    static void putOrderTap(final ObjectNode o, final OrderTap tap)
    {
        final ObjectNode t = o.putObject("order_tap");
        t.put("segments", tap.segments());
        t.put("orders", tap.orders());
        t.put("unparsed", tap.unparsed());
    }

    /**
     * @param o     a row's object.
     * @param books the exchange's books.
     */
    static void putBooks(final ObjectNode o, final OrderBooks.Books books)
    {
        final ObjectNode b = o.putObject("books");
        b.put("ticks", books.ticks());
        b.put("orders", books.orders());
        b.put("lost", books.lost());
        b.put("lost_measured", books.lostMeasured());
        b.put("duplicated", books.duplicated());
        b.put("unknown", books.unknown());
        b.put("wrong_decisions", books.wrongDecisions());
        b.put("malformed", books.malformed());
        b.put("exact", books.exact());
    }

    /**
     * @param o a row's object, as {@link #putBooks} wrote it.
     * @return its books.
     */
    static OrderBooks.Books books(final JsonNode o)
    {
        final JsonNode b = o.path("books");
        return new OrderBooks.Books(b.path("ticks").asLong(), b.path("orders").asLong(), b.path("lost").asLong(),
            b.path("lost_measured").asLong(), b.path("duplicated").asLong(), b.path("unknown").asLong(),
            b.path("wrong_decisions").asLong(), b.path("malformed").asLong());
    }

    /**
     * @param run the run.
     * @return the array.
     */
    static ArrayNode rows(final T2tRun run)
    {
        final List<T2tResult> results = run.rows();
        final T2tResult spin = find(results, T2tRow.SPIN);
        final T2tResult blocking = find(results, T2tRow.BLOCKING);
        final ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (final T2tResult result : results)
        {
            final ObjectNode o = RunJson.toJson(result.tickToTrade());
            o.put("tick_to_trade", TICK_TO_TRADE);
            o.set("latency_ns", o.remove(RTT));
            o.set("in_process_ns", percentiles(result.tickToTrade(), result.inProcess()));
            putBooks(o, result.books());
            o.put("send_failures", result.sendFailures());
            o.put("ticks_lost_at_trader", result.ticksLost());
            result.feed().put(o);
            o.set("pinning", result.pinning());
            putRatios(o, "ratio_to_spin", result, spin);
            putRatios(o, "ratio_to_blocking", result, blocking);
            putHops(o, result, spin, blocking);
            // per round: the trading thread's and CPU's scheduler evidence (RunJson's row-level block stays unused)
            o.set("sched", T2tSchedRound.toJson(result.sched()));
            // t2t-stage's targets round by round and the run's verdict; the baselines have none
            o.set("rounds", result.row() == T2tRow.STAGE ? T2tTargets.toJson(run) : NullNode.getInstance());
            array.add(o);
        }
        return array;
    }

    /**
     * @param file where.
     * @param run  the run.
     * @throws IOException when it cannot be written.
     */
    public static void write(final Path file, final T2tRun run) throws IOException
    {
        RunJson.write(file, rows(run));
    }

    /**
     * @param results the rows.
     * @param row     a row.
     * @return it, or null when the run has none.
     */
    static T2tResult find(final List<T2tResult> results, final T2tRow row)
    {
        for (final T2tResult result : results)
        {
            if (result.row() == row && result.tickToTrade().count() > 0)
            {
                return result;
            }
        }
        return null;
    }

    // RunJson's percentile block, of another histogram of the row
    private static JsonNode percentiles(final RunResult row, final Histogram histogram)
    {
        return RunJson.toJson(new RunResult(row.run(), histogram, 0, 0, 0, 0, -1, -1, 0, GcDelta.NONE, 0, 0))
            .get(RTT);
    }

    private static void putHops(final ObjectNode o, final T2tResult result, final T2tResult spin,
        final T2tResult blocking)
    {
        final ObjectNode hops = o.putObject("hops");
        for (final Map.Entry<String, Histogram> hop : result.hops().histograms().entrySet())
        {
            final ObjectNode h = (ObjectNode)percentiles(result.tickToTrade(), hop.getValue());
            h.put("count", hop.getValue().getTotalCount());
            h.put("negative", result.hops().negative(hop.getKey()));
            h.put("missing", result.hops().missing(hop.getKey()));
            hops.set(hop.getKey(), h);
        }
        // where the order's kernel RX time comes from, and how often the socket's per-read stamp would have been wrong
        final ObjectNode orderRx = o.putObject("order_kernel_rx");
        orderRx.put("stamp", "socket, tap where shared");
        orderRx.put("socket_stamp_shared", result.hops().socketStampShared());
        final ObjectNode wire = (ObjectNode)percentiles(result.tickToTrade(), result.hops().wire());
        wire.put("count", result.hops().wire().getTotalCount());
        putWireRatios(wire, "ratio_to_spin", result, spin);
        putWireRatios(wire, "ratio_to_blocking", result, blocking);
        o.set(TICK_TO_TRADE, wire);
    }

    private static void putWireRatios(final ObjectNode o, final String name, final T2tResult row,
        final T2tResult base)
    {
        if (base == null || base.hops().wire().getTotalCount() == 0)
        {
            o.putNull(name);
            return;
        }
        final ObjectNode ratio = o.putObject(name);
        ratio.put("base", base.row().label());
        for (final double p : new double[]{ 50, 99, 99.9 })
        {
            final double r = wireRatio(row, base, p);
            final String key = p == 50 ? "p50" : p == 99 ? "p99" : "p99_9";
            if (Double.isNaN(r))
            {
                ratio.putNull(key);
            }
            else
            {
                ratio.put(key, r);
            }
        }
    }

    /**
     * @param row        a row.
     * @param base       the row it is compared with.
     * @param percentile e.g. 50.
     * @return the row's {@code wire} percentile over the base's, NaN when either has none.
     */
    static double wireRatio(final T2tResult row, final T2tResult base, final double percentile)
    {
        if (base == null || row.hops().wire().getTotalCount() == 0 || base.hops().wire().getTotalCount() == 0)
        {
            return Double.NaN;
        }
        final long b = base.hops().wire().getValueAtPercentile(percentile);
        return b == 0 ? Double.NaN : (double)row.hops().wire().getValueAtPercentile(percentile) / b;
    }

    private static void putRatios(final ObjectNode o, final String name, final T2tResult row, final T2tResult base)
    {
        if (base == null)
        {
            o.putNull(name);
            return;
        }
        final ObjectNode ratio = o.putObject(name);
        ratio.put("base", base.row().label());
        for (final double p : new double[]{ 50, 99, 99.9 })
        {
            final double r = ratio(row, base, p);
            final String key = p == 50 ? "p50" : p == 99 ? "p99" : "p99_9";
            if (Double.isNaN(r))
            {
                ratio.putNull(key);
            }
            else
            {
                ratio.put(key, r);
            }
        }
    }

    /**
     * @param row        a row.
     * @param base       the row it is compared with.
     * @param percentile e.g. 50.
     * @return the row's tick-to-trade percentile over the base's, NaN when either has none.
     */
    static double ratio(final T2tResult row, final T2tResult base, final double percentile)
    {
        return base == null ? Double.NaN : FloorReference.ratio(row.tickToTrade(), base.tickToTrade(), percentile);
    }
}
