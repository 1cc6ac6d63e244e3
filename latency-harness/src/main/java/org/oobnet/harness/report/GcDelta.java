package org.oobnet.harness.report;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Garbage collections (count and accumulated time) that happened in this JVM between two snapshots, per collector.
 * <p>
 * <b>Note:</b> immutable once built; {@link #snapshot()} reads the MXBeans of the calling JVM.
 *
 * @param collections the number of collections per collector name.
 * @param timesMs     the accumulated collection time per collector name, in milliseconds.
 */
public record GcDelta(Map<String, Long> collections, Map<String, Long> timesMs)
{
    /** No collections at all. */
    public static final GcDelta NONE = new GcDelta(Map.of(), Map.of());

    /**
     * Counters of every collector now; subtract two with {@link #minus(GcDelta)}.
     *
     * @return absolute counts and times since the JVM started.
     */
    public static GcDelta snapshot()
    {
        final Map<String, Long> counts = new LinkedHashMap<>();
        final Map<String, Long> times = new LinkedHashMap<>();
        final List<GarbageCollectorMXBean> beans = ManagementFactory.getGarbageCollectorMXBeans();
        for (final GarbageCollectorMXBean bean : beans)
        {
            counts.put(bean.getName(), Math.max(0, bean.getCollectionCount()));
            times.put(bean.getName(), Math.max(0, bean.getCollectionTime()));
        }
        return new GcDelta(counts, times);
    }

    /**
     * @param earlier a snapshot taken before this one.
     * @return the collections between the two.
     */
    public GcDelta minus(final GcDelta earlier)
    {
        final Map<String, Long> counts = new LinkedHashMap<>();
        final Map<String, Long> times = new LinkedHashMap<>();
        collections.forEach((name, n) -> counts.put(name, n - earlier.collections.getOrDefault(name, 0L)));
        timesMs.forEach((name, t) -> times.put(name, t - earlier.timesMs.getOrDefault(name, 0L)));
        return new GcDelta(counts, times);
    }

    /**
     * @param other collections of another run or round.
     * @return both added per collector.
     */
    public GcDelta plus(final GcDelta other)
    {
        final Map<String, Long> counts = new LinkedHashMap<>(collections);
        final Map<String, Long> times = new LinkedHashMap<>(timesMs);
        other.collections.forEach((name, n) -> counts.merge(name, n, Long::sum));
        other.timesMs.forEach((name, t) -> times.merge(name, t, Long::sum));
        return new GcDelta(counts, times);
    }

    /**
     * @return the number of collections of all collectors.
     */
    public long totalCollections()
    {
        return collections.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * @return the time of all collectors, in milliseconds.
     */
    public long totalTimeMs()
    {
        return timesMs.values().stream().mapToLong(Long::longValue).sum();
    }
}
