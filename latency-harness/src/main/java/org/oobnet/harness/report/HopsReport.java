package org.oobnet.harness.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.oobnet.core.counters.HopHistogram;
import org.oobnet.core.counters.HopSnapshot;
import org.oobnet.core.counters.StageHop;

/**
 * A row's per-hop timestamps (the measuring side's stage over the measured phase) in {@code summary.json}'s
 * {@code hops} block and as text lines under the row; a hop with nothing recorded says why instead of a 0.
 * <p>
 * JSON: {@code "hops": {"<hop>": {"count", "p50_ns", "p99_ns", "max_ns", "mean_ns", "sum_ns", "buckets": {"<lower ns>": count}}, ...,
 * "<hop>": {"count": 0, "absent": "<why>"}}}; {@code {"absent": "<why>"}} when the stage recorded no hop at all
 * (the kernel transport); null when the row has no stage or recording was off. {@code unaccounted_p50_ns}: the
 * round trip's p50 minus the measuring side's sequential hop p50s (kick->return overlaps the peer's hops on veth and
 * is left out); {@code unaccounted_both_sides_p50_ns} also minus the reflector's (negative for the UDP rows, whose
 * handlers kick inside pickup->handler_done). {@code peer_hops}: the reflector's hops over the same phase, same form.
 * Percentiles are bucket lower bounds ({@link HopHistogram}: at most 25% below the true value).
 * <b>Note:</b> stateless, thread safe.
 */
public final class HopsReport
{
    /** The wire hop, which no single side records. */
    public static final String KICK_TO_PEER_KERNEL_RX = "kick->peer_kernel_rx";
    private static final String WIRE_ABSENT = "not recorded per round trip: the kick's time cannot travel in the " +
        "frame it kicks, and the peer's RX stamps are not paired with this side's kicks; what the hops leave of the " +
        "round trip is in unaccounted_p50_ns (both wire hops and the peer's turnaround)";

    private static final String NONE_RECORDED = "no hop recorded on this stage: the kernel transport reads " +
        "datagrams with recvmmsg, not from a ring (it has each datagram's SCM_TIMESTAMPING software RX stamp, handed " +
        "to handlers, and no TX ring), so nothing delivers through a recording device";

    private HopsReport()
    {
    }

    /**
     * @param hop a hop with nothing recorded on the measuring side.
     * @return why.
     */
    public static String absentReason(final StageHop hop)
    {
        return switch (hop)
        {
            case KERNEL_RX_TO_PICKUP -> "no software RX timestamp on the delivered frames";
            case PICKUP_TO_HANDLER_DONE -> "nothing delivered on this stage";
            case HANDLER_DONE_TO_KICK -> "no frame a receive handler committed waited for a kick after it returned " +
                "(the UDP pinger kicks its own send inside its handler: that kick is in pickup->handler_done)";
            case KICK_TO_RETURN -> "no kick carried a frame a receive handler committed (the UDP pinger kicks " +
                "its own send inside its handler: that kick is in pickup->handler_done)";
            case KICK_TO_TX_COMPLETE -> "the kernel wrote no TX completion timestamp back (veth writes none)";
        };
    }

    /**
     * @param result a row.
     * @return its {@code hops} block, or null when it has none.
     */
    public static ObjectNode toJson(final RunResult result)
    {
        final ObjectNode o = toJson(result.hops());
        if (null == o || o.has("absent"))
        {
            return o;
        }
        o.putObject(KICK_TO_PEER_KERNEL_RX).put("absent", WIRE_ABSENT);
        if (result.count() > 0)
        {
            final long rttP50 = result.histogram().getValueAtPercentile(50);
            o.put("unaccounted_p50_ns", rttP50 - sequentialP50(result.hops()));
            if (!result.peerHops().isEmpty() && !noneRecorded(result.peerHops()))
            {
                o.put("unaccounted_both_sides_p50_ns", rttP50 - sequentialP50(result.hops()) -
                    sequentialP50(result.peerHops()));
            }
        }
        return o;
    }

    /**
     * @param result a row.
     * @return its reflector's {@code peer_hops} block (the same per-hop objects as {@code hops}), or null when the
     * reflector reported none.
     */
    public static ObjectNode peerJson(final RunResult result)
    {
        return toJson(result.peerHops());
    }

    /**
     * The hops one after another within a side: kick->return is left out (on veth the peer's receive path, its
     * kernel RX stamp included, runs inside the sender's kick, so it overlaps the peer's hops) and so is
     * kick->tx_complete (after the kick).
     */
    private static long sequentialP50(final List<HopSnapshot> hops)
    {
        long sum = 0;
        for (final HopSnapshot hop : hops)
        {
            if (hop.count() > 0 && hop.hop() != StageHop.KICK_TO_TX_COMPLETE && hop.hop() != StageHop.KICK_TO_RETURN)
            {
                sum += hop.valueAtPercentile(50);
            }
        }
        return sum;
    }

    private static ObjectNode toJson(final List<HopSnapshot> hops)
    {
        if (hops.isEmpty())
        {
            return null;
        }
        final ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (noneRecorded(hops))
        {
            return o.put("absent", NONE_RECORDED);
        }
        for (final HopSnapshot hop : hops)
        {
            final ObjectNode h = o.putObject(hop.hop().label());
            h.put("count", hop.count());
            if (0 == hop.count())
            {
                h.put("absent", absentReason(hop.hop()));
                continue;
            }
            h.put("p50_ns", hop.valueAtPercentile(50));
            h.put("p99_ns", hop.valueAtPercentile(99));
            h.put("max_ns", hop.maxNs());
            h.put("mean_ns", Math.round(hop.meanNs()));
            h.put("sum_ns", hop.sumNs());
            final ObjectNode buckets = h.putObject("buckets");
            for (int i = 0; i < hop.counts().length; i++)
            {
                if (hop.counts()[i] != 0)
                {
                    buckets.put(Long.toString(HopHistogram.lowerBoundNs(i)), hop.counts()[i]);
                }
            }
        }
        return o;
    }

    private static boolean noneRecorded(final List<HopSnapshot> hops)
    {
        for (final HopSnapshot hop : hops)
        {
            if (hop.count() > 0)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param begin a stage's hops read at a phase's start.
     * @param end   the same hops read at its end.
     * @return each hop's counts over the phase, in hop order.
     */
    public static List<HopSnapshot> window(final HopSnapshot[] begin, final HopSnapshot[] end)
    {
        final List<HopSnapshot> window = new ArrayList<>(end.length);
        for (int i = 0; i < end.length; i++)
        {
            window.add(end[i].minus(begin[i]));
        }
        return window;
    }

    /**
     * Reads back what {@link #toJson} wrote.
     *
     * @param hops the {@code hops} block, or a missing/null node.
     * @return one reading per hop, or empty.
     */
    public static List<HopSnapshot> fromJson(final JsonNode hops)
    {
        if (null == hops || hops.isNull() || hops.isMissingNode())
        {
            return List.of();
        }
        final List<HopSnapshot> list = new ArrayList<>();
        for (final StageHop hop : StageHop.values())
        {
            final JsonNode h = hops.path(hop.label());
            final long[] counts = new long[HopHistogram.BUCKETS];
            h.path("buckets").properties().forEach(e ->
                counts[HopHistogram.bucketIndex(Long.parseLong(e.getKey()))] += e.getValue().asLong());
            list.add(new HopSnapshot(hop, counts, h.path("count").asLong(), h.path("max_ns").asLong(),
                h.path("sum_ns").asLong()));
        }
        return list;
    }

    /**
     * @param result a row.
     * @param indent put before each line.
     * @return one line per hop ({@code hop <hop>: p50 .. p99 .. max .. us, n=..} or why it is absent); none when
     * the row has no hops.
     */
    public static List<String> lines(final RunResult result, final String indent)
    {
        final List<String> lines = new ArrayList<>();
        addLines(lines, result.hops(), indent + "hop ");
        addLines(lines, result.peerHops(), indent + "peer hop ");
        return lines;
    }

    private static void addLines(final List<String> lines, final List<HopSnapshot> hops, final String prefix)
    {
        if (!hops.isEmpty() && noneRecorded(hops))
        {
            lines.add(prefix.stripTrailing() + "s absent: " + NONE_RECORDED);
            return;
        }
        for (final HopSnapshot hop : hops)
        {
            lines.add(0 == hop.count() ?
                String.format(Locale.ROOT, "%s%-21s absent: %s", prefix, hop.hop().label(), absentReason(hop.hop())) :
                String.format(Locale.ROOT, "%s%-21s p50 %s p99 %s max %s mean %s us, n=%d", prefix,
                    hop.hop().label(), Micros.format(hop.valueAtPercentile(50)),
                    Micros.format(hop.valueAtPercentile(99)), Micros.format(hop.maxNs()),
                    Micros.format(Math.round(hop.meanNs())), hop.count()));
        }
    }

    /**
     * Each row's hops beside its C floor row's, side by side (client, reflector), with the ratio of the means
     * (exact: sum over count; the p50s are bucket lower bounds, too coarse under 1 us to divide).
     *
     * @param results every row of the comparison.
     * @return the table's lines; none when no row has hops and a floor with hops.
     */
    public static List<String> floorLines(final List<RunResult> results)
    {
        final List<String> lines = new ArrayList<>();
        for (final RunResult row : results)
        {
            final RunResult floor = FloorReference.of(results, row);
            if (null == floor || floor == row)
            {
                continue;
            }
            addFloorLines(lines, row, "client", row.hops(), floor.hops());
            addFloorLines(lines, row, "reflector", row.peerHops(), floor.peerHops());
        }
        if (!lines.isEmpty())
        {
            lines.add(0, String.format(Locale.ROOT, FLOOR_FORMAT, "hops vs floor", "side", "hop", "p50", "mean",
                "floor p50", "floor mean", "mean/fl"));
            lines.add("(ns; p50 a bucket's lower bound, 0 = under 128 ns; mean/fl = this row's mean over its C " +
                "floor row's, same side, same hop)");
        }
        return lines;
    }

    private static final String FLOOR_FORMAT = "%-14s %-9s %-21s %9s %9s %10s %10s %8s";

    private static void addFloorLines(
        final List<String> lines, final RunResult row, final String side, final List<HopSnapshot> hops,
        final List<HopSnapshot> floorHops)
    {
        for (final HopSnapshot hop : hops)
        {
            final HopSnapshot floor = find(floorHops, hop.hop());
            if (hop.count() == 0 || null == floor || floor.count() == 0)
            {
                continue;
            }
            lines.add(String.format(Locale.ROOT, FLOOR_FORMAT, row.run().label(), side, hop.hop().label(),
                hop.valueAtPercentile(50), Math.round(hop.meanNs()), floor.valueAtPercentile(50),
                Math.round(floor.meanNs()), String.format(Locale.ROOT, "%.2f", meanRatio(hop, floor))));
        }
    }

    /**
     * @param result a row.
     * @param floor  its C floor row.
     * @return {@code {"client": {"<hop>": {"mean": ratio, "p50": ratio or null}}, "reflector": {...}}} for the hops
     * both rows recorded, or null when there are none.
     */
    public static ObjectNode floorRatioJson(final RunResult result, final RunResult floor)
    {
        final ObjectNode o = JsonNodeFactory.instance.objectNode();
        putRatios(o, "client", result.hops(), floor.hops());
        putRatios(o, "reflector", result.peerHops(), floor.peerHops());
        return o.isEmpty() ? null : o;
    }

    private static void putRatios(
        final ObjectNode o, final String side, final List<HopSnapshot> hops, final List<HopSnapshot> floorHops)
    {
        for (final HopSnapshot hop : hops)
        {
            final HopSnapshot floor = find(floorHops, hop.hop());
            if (hop.count() == 0 || null == floor || floor.count() == 0)
            {
                continue;
            }
            final ObjectNode r = (o.has(side) ? (ObjectNode)o.get(side) : o.putObject(side)).putObject(hop.hop().label());
            r.put("mean", meanRatio(hop, floor));
            final long floorP50 = floor.valueAtPercentile(50);
            if (floorP50 > 0)
            {
                r.put("p50", (double)hop.valueAtPercentile(50) / floorP50);
            }
            else
            {
                r.putNull("p50");
            }
        }
    }

    private static double meanRatio(final HopSnapshot hop, final HopSnapshot floor)
    {
        return floor.meanNs() == 0 ? Double.NaN : hop.meanNs() / floor.meanNs();
    }

    private static HopSnapshot find(final List<HopSnapshot> hops, final StageHop hop)
    {
        for (final HopSnapshot h : hops)
        {
            if (h.hop() == hop)
            {
                return h;
            }
        }
        return null;
    }
}
