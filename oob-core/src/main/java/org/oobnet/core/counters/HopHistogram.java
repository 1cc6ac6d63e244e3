package org.oobnet.core.counters;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * One hop's durations in log-linear buckets, each bucket a counter in the counters file, with the count and the
 * longest duration beside them: {@code oobnet stat} reads them live from another process.
 * <p>
 * Buckets: {@link #SUB_BUCKETS} per power of two from {@code 2^}{@link #FIRST_EXPONENT} ns to
 * {@code 2^}{@link #LAST_EXPONENT} ns, so a bucket is at most 25% wide; one bucket below (shorter than
 * {@code 2^FIRST_EXPONENT}, negatives included: a clock offset's error) and one above. Why not HdrHistogram: it
 * lives on the heap, and another process could not read it without a copy protocol; 69 counters per hop keep
 * four hops of a stage within the counters file's headroom.
 * <b>Note:</b> {@link #record} is single writer (the stage), allocation-free; reads from any thread.
 */
public final class HopHistogram
{
    /** Lowest power of two with buckets of its own: 2^7 = 128 ns. */
    public static final int FIRST_EXPONENT = 7;
    /** First power of two counted in the overflow bucket: 2^23 ns, about 8.4 ms. */
    public static final int LAST_EXPONENT = 23;
    /** Buckets per power of two. */
    public static final int SUB_BUCKETS = 4;
    private static final int SUB_BITS = 2;
    /** Buckets in all: underflow, the log-linear ones, overflow. */
    public static final int BUCKETS = 2 + (LAST_EXPONENT - FIRST_EXPONENT) * SUB_BUCKETS;

    private final AtomicCounter[] buckets = new AtomicCounter[BUCKETS];
    private final AtomicCounter count;
    private final AtomicCounter maxNs;
    private final AtomicCounter sumNs;
    private long max = Long.MIN_VALUE;

    /**
     * In-band: allocates the hop's counters ({@code "hop <hop> <lower>ns<suffix>"}, {@code "hop <hop> count"},
     * {@code "hop <hop> max ns"}).
     *
     * @param manager the counters manager.
     * @param hop     the hop.
     * @param suffix  appended to each label: empty for the default stage, else the stage's suffix.
     */
    public HopHistogram(final CountersManager manager, final StageHop hop, final String suffix)
    {
        final String prefix = OobCounterType.HOP_BUCKET.label() + " " + hop.label() + " ";
        for (int i = 0; i < BUCKETS; i++)
        {
            buckets[i] = manager.newCounter(prefix + lowerBoundNs(i) + "ns" + suffix, OobCounterType.HOP_BUCKET.typeId());
        }
        count = manager.newCounter(prefix + "count" + suffix, OobCounterType.HOP_COUNT.typeId());
        maxNs = manager.newCounter(prefix + "max ns" + suffix, OobCounterType.HOP_MAX_NS.typeId());
        sumNs = manager.newCounter(prefix + "sum ns" + suffix, OobCounterType.HOP_SUM_NS.typeId());
    }

    /**
     * Stage: counts one duration.
     *
     * @param durationNs the duration; negative counts in the first bucket.
     */
    public void record(final long durationNs)
    {
        // release: single writer; pairs with a reader's volatile get in another process
        buckets[bucketIndex(durationNs)].incrementRelease();
        count.incrementRelease();
        sumNs.getAndAddRelease(durationNs);
        if (durationNs > max)
        {
            max = durationNs;
            maxNs.setRelease(durationNs);
        }
    }

    /**
     * @param durationNs a duration.
     * @return its bucket, 0 .. {@link #BUCKETS} - 1.
     */
    public static int bucketIndex(final long durationNs)
    {
        if (durationNs < (1L << FIRST_EXPONENT))
        {
            return 0;
        }
        final int exponent = 63 - Long.numberOfLeadingZeros(durationNs);
        if (exponent >= LAST_EXPONENT)
        {
            return BUCKETS - 1;
        }
        final int sub = (int)(durationNs >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
        return 1 + (exponent - FIRST_EXPONENT) * SUB_BUCKETS + sub;
    }

    /**
     * @param index a bucket.
     * @return the shortest duration it holds (0 for the underflow bucket).
     */
    public static long lowerBoundNs(final int index)
    {
        if (0 == index)
        {
            return 0;
        }
        if (BUCKETS - 1 == index)
        {
            return 1L << LAST_EXPONENT;
        }
        final int exponent = FIRST_EXPONENT + (index - 1) / SUB_BUCKETS;
        final int sub = (index - 1) % SUB_BUCKETS;
        return (long)(SUB_BUCKETS + sub) << (exponent - SUB_BITS);
    }

    /**
     * The value at a percentile of bucket counts: the lower bound of the bucket holding that rank (the true value
     * is at most 25% above it), never above the longest duration seen.
     *
     * @param counts  one count per bucket.
     * @param maxNs   the longest duration seen.
     * @param percent 0 .. 100.
     * @return the value, or 0 when nothing was counted.
     */
    public static long valueAtPercentile(final long[] counts, final long maxNs, final double percent)
    {
        long total = 0;
        for (final long c : counts)
        {
            total += c;
        }
        if (0 == total)
        {
            return 0;
        }
        final long rank = Math.max(1, (long)Math.ceil(percent / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return Math.min(lowerBoundNs(i), maxNs);
            }
        }
        return maxNs;
    }

    /**
     * Any thread: the current bucket counts.
     *
     * @return one count per bucket.
     */
    public long[] counts()
    {
        final long[] counts = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++)
        {
            counts[i] = buckets[i].get();
        }
        return counts;
    }

    /** @return durations recorded. */
    public long count()
    {
        return count.get();
    }

    /** @return the sum of the durations recorded, ns. */
    public long sumNs()
    {
        return sumNs.get();
    }

    /** @return the longest duration recorded, ns (0 before any). */
    public long maxNs()
    {
        return maxNs.get();
    }

    /** In-band: frees the counters. */
    public void free()
    {
        for (final AtomicCounter bucket : buckets)
        {
            bucket.close();
        }
        count.close();
        maxNs.close();
        sumNs.close();
    }
}
