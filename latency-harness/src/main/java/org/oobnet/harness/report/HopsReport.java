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
 * (the kernel transport); null when the row has no stage or recording was off.
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
            case KICK_TO_TX_COMPLETE -> "the kernel wrote no TX completion timestamp back (veth writes none)";
        };
    }

    /**
     * @param result a row.
     * @return its {@code hops} block, or null when it has none.
     */
    public static ObjectNode toJson(final RunResult result)
    {
        if (result.hops().isEmpty())
        {
            return null;
        }
        final ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (noneRecorded(result))
        {
            return o.put("absent", NONE_RECORDED);
        }
        long sumP50 = 0;
        for (final HopSnapshot hop : result.hops())
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
            sumP50 += hop.hop() == StageHop.KICK_TO_TX_COMPLETE ? 0 : hop.valueAtPercentile(50);
            final ObjectNode buckets = h.putObject("buckets");
            for (int i = 0; i < hop.counts().length; i++)
            {
                if (hop.counts()[i] != 0)
                {
                    buckets.put(Long.toString(HopHistogram.lowerBoundNs(i)), hop.counts()[i]);
                }
            }
        }
        o.putObject(KICK_TO_PEER_KERNEL_RX).put("absent", WIRE_ABSENT);
        if (result.count() > 0)
        {
            o.put("unaccounted_p50_ns", result.histogram().getValueAtPercentile(50) - sumP50);
        }
        return o;
    }

    private static boolean noneRecorded(final RunResult result)
    {
        for (final HopSnapshot hop : result.hops())
        {
            if (hop.count() > 0)
            {
                return false;
            }
        }
        return true;
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
        if (!result.hops().isEmpty() && noneRecorded(result))
        {
            lines.add(indent + "hops absent: " + NONE_RECORDED);
            return lines;
        }
        for (final HopSnapshot hop : result.hops())
        {
            lines.add(0 == hop.count() ?
                String.format(Locale.ROOT, "%shop %-21s absent: %s", indent, hop.hop().label(), absentReason(hop.hop())) :
                String.format(Locale.ROOT, "%shop %-21s p50 %s p99 %s max %s us, n=%d", indent, hop.hop().label(),
                    Micros.format(hop.valueAtPercentile(50)), Micros.format(hop.valueAtPercentile(99)),
                    Micros.format(hop.maxNs()), hop.count()));
        }
        return lines;
    }
}
