package org.oobnet.core.counters;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.agrona.concurrent.status.CountersReader;

/**
 * One reading of a hop's histogram: bucket counts, count and longest duration, with its percentiles. Read from a
 * live {@link HopHistogram} or from a counters file by label ({@link #readAll}); two readings subtract to a
 * window's ({@link #minus}).
 * <b>Note:</b> immutable, thread safe.
 *
 * @param hop    the hop.
 * @param counts one count per bucket ({@link HopHistogram#BUCKETS}).
 * @param count  durations recorded.
 * @param maxNs  the longest, ns; in a window, bounded by the highest bucket counted (see {@link #minus}).
 * @param sumNs  the durations' sum, ns (exact).
 */
public record HopSnapshot(StageHop hop, long[] counts, long count, long maxNs, long sumNs)
{
    /**
     * @param hop       the hop.
     * @param histogram its live histogram.
     * @return its current reading.
     */
    public static HopSnapshot of(final StageHop hop, final HopHistogram histogram)
    {
        final long max = histogram.maxNs();
        final long sum = histogram.sumNs();
        final long[] counts = histogram.counts();
        long count = 0;
        for (final long c : counts)
        {
            count += c;
        }
        return new HopSnapshot(hop, counts, count, max, sum);
    }

    /**
     * The window between an earlier reading and this one. Its longest duration is this reading's when that grew
     * in the window, else at most the top of the highest bucket the window counted.
     *
     * @param earlier an earlier reading of the same hop.
     * @return the difference.
     */
    public HopSnapshot minus(final HopSnapshot earlier)
    {
        final long[] delta = new long[counts.length];
        long total = 0;
        int highest = -1;
        for (int i = 0; i < counts.length; i++)
        {
            delta[i] = counts[i] - earlier.counts[i];
            total += delta[i];
            if (delta[i] > 0)
            {
                highest = i;
            }
        }
        final long max = maxNs > earlier.maxNs || highest < 0 ? (highest < 0 ? 0 : maxNs) :
            Math.min(maxNs, highest + 1 < HopHistogram.BUCKETS ? HopHistogram.lowerBoundNs(highest + 1) : maxNs);
        return new HopSnapshot(hop, delta, total, max, sumNs - earlier.sumNs);
    }

    /**
     * Two windows of the same hop together (rounds of one row).
     *
     * @param other another reading of the same hop.
     * @return the counts summed, the longer max.
     */
    public HopSnapshot plus(final HopSnapshot other)
    {
        final long[] sum = new long[counts.length];
        for (int i = 0; i < counts.length; i++)
        {
            sum[i] = counts[i] + other.counts[i];
        }
        return new HopSnapshot(hop, sum, count + other.count, Math.max(maxNs, other.maxNs), sumNs + other.sumNs);
    }

    /** @return the mean duration, ns (0 when nothing was recorded). */
    public double meanNs()
    {
        return 0 == count ? 0 : (double)sumNs / count;
    }

    /**
     * @param percent 0 .. 100.
     * @return the value there ({@link HopHistogram#valueAtPercentile}).
     */
    public long valueAtPercentile(final double percent)
    {
        return HopHistogram.valueAtPercentile(counts, maxNs, percent);
    }

    /**
     * Every stage's hops in a counters file, by the labels {@link HopHistogram} gives them.
     *
     * @param counters the file's counters.
     * @return stage name ("" for the one stage of a one-stage runtime) to its hops, in the file's order; hops with
     * nothing recorded included.
     */
    public static Map<String, Map<StageHop, HopSnapshot>> readAll(final CountersReader counters)
    {
        final Map<String, Map<StageHop, long[]>> buckets = new LinkedHashMap<>();
        final Map<String, Map<StageHop, Long>> maxes = new LinkedHashMap<>();
        final Map<String, Map<StageHop, Long>> sums = new LinkedHashMap<>();
        final String prefix = OobCounterType.HOP_BUCKET.label() + " ";
        counters.forEach((value, id, label) ->
        {
            final int typeId = counters.getCounterTypeId(id);
            if (typeId != OobCounterType.HOP_BUCKET.typeId() && typeId != OobCounterType.HOP_MAX_NS.typeId() &&
                typeId != OobCounterType.HOP_SUM_NS.typeId() || !label.startsWith(prefix))
            {
                return;
            }
            final String stage = StageCounters.stageOf(label);
            final String rest = label.substring(prefix.length(), label.length() -
                (null == stage ? 0 : StageCounters.STAGE_LABEL_SEPARATOR.length() + stage.length()));
            final int space = rest.indexOf(' ');
            final StageHop hop = space < 0 ? null : StageHop.of(rest.substring(0, space));
            if (null == hop)
            {
                return;
            }
            final String key = null == stage ? "" : stage;
            if (typeId == OobCounterType.HOP_SUM_NS.typeId())
            {
                sums.computeIfAbsent(key, k -> new EnumMap<>(StageHop.class)).put(hop, value);
                return;
            }
            if (typeId == OobCounterType.HOP_MAX_NS.typeId())
            {
                maxes.computeIfAbsent(key, k -> new EnumMap<>(StageHop.class)).put(hop, value);
                return;
            }
            final String bound = rest.substring(space + 1);
            if (bound.endsWith("ns"))
            {
                final int index = HopHistogram.bucketIndex(Long.parseLong(bound.substring(0, bound.length() - 2)));
                buckets.computeIfAbsent(key, k -> new EnumMap<>(StageHop.class))
                    .computeIfAbsent(hop, h -> new long[HopHistogram.BUCKETS])[index] = value;
            }
        });
        final Map<String, Map<StageHop, HopSnapshot>> stages = new LinkedHashMap<>();
        buckets.forEach((stage, hops) ->
        {
            final Map<StageHop, HopSnapshot> snapshots = new EnumMap<>(StageHop.class);
            hops.forEach((hop, counts) ->
            {
                long count = 0;
                for (final long c : counts)
                {
                    count += c;
                }
                snapshots.put(hop, new HopSnapshot(hop, counts, count,
                    maxes.getOrDefault(stage, Map.of()).getOrDefault(hop, 0L),
                    sums.getOrDefault(stage, Map.of()).getOrDefault(hop, 0L)));
            });
            stages.put(stage, snapshots);
        });
        return stages;
    }
}
