package org.oobnet.core.counters;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * Durations of stalled stage cycles in log2 buckets, each bucket a counter in the counters file.
 * <p>
 * Why not HdrHistogram: a stall is already an outlier, so a power-of-two resolution says what matters (a
 * page fault's tens of µs versus a safepoint's ms versus a descheduling's tens of ms); recording is a
 * {@code numberOfLeadingZeros} and an ordered increment, allocation-free by construction; and because the
 * buckets are counters in the mapped file, {@code oobnet stat} shows them live from another process, which a
 * heap histogram could not offer without a copy protocol. Bucket {@code b} holds durations in
 * {@code [2^b, 2^(b+1))} ns; the first holds everything shorter, the last everything longer.
 * <b>Note:</b> {@link #record} is single writer (the stage); reads are from any thread.
 */
public final class StallHistogram
{
    /** First bucket: 2^10 ns (about 1 µs) and shorter. */
    public static final int FIRST_BUCKET = 10;
    /** Last bucket: 2^34 ns (about 17 s) and longer. */
    public static final int LAST_BUCKET = 34;

    private final AtomicCounter[] buckets = new AtomicCounter[LAST_BUCKET - FIRST_BUCKET + 1];

    /**
     * In-band: allocates the bucket counters.
     *
     * @param manager the counters manager.
     */
    public StallHistogram(final CountersManager manager)
    {
        this(manager, "");
    }

    /**
     * In-band: allocates the bucket counters of one stage.
     *
     * @param manager the counters manager.
     * @param suffix  appended to each label: empty for the default stage, else the stage's suffix
     *                ({@link StageCounters#STAGE_LABEL_SEPARATOR} and its name).
     */
    public StallHistogram(final CountersManager manager, final String suffix)
    {
        for (int b = FIRST_BUCKET; b <= LAST_BUCKET; b++)
        {
            final String range = b == FIRST_BUCKET ? "< " + formatNs(1L << (b + 1)) :
                b == LAST_BUCKET ? ">= " + formatNs(1L << b) : formatNs(1L << b) + " .. " + formatNs(1L << (b + 1));
            buckets[b - FIRST_BUCKET] = manager.newCounter(
                OobCounterType.STALL_BUCKET.label() + " " + range + suffix, OobCounterType.STALL_BUCKET.typeId());
        }
    }

    /**
     * Stage: counts one stalled cycle.
     *
     * @param durationNs the cycle's duration.
     */
    public void record(final long durationNs)
    {
        buckets[bucketIndex(durationNs)].incrementRelease();
    }

    /**
     * @param durationNs a duration.
     * @return the index of its bucket in {@link #counts()}.
     */
    public static int bucketIndex(final long durationNs)
    {
        final int log2 = 63 - Long.numberOfLeadingZeros(Math.max(1L, durationNs));
        return Math.min(LAST_BUCKET, Math.max(FIRST_BUCKET, log2)) - FIRST_BUCKET;
    }

    /**
     * Any thread: the current counts.
     *
     * @return one count per bucket, from {@link #FIRST_BUCKET}.
     */
    public long[] counts()
    {
        final long[] counts = new long[buckets.length];
        for (int i = 0; i < buckets.length; i++)
        {
            counts[i] = buckets[i].get();
        }
        return counts;
    }

    /** @return the total count. */
    public long total()
    {
        long total = 0;
        for (final AtomicCounter bucket : buckets)
        {
            total += bucket.get();
        }
        return total;
    }

    /**
     * @param ns a duration.
     * @return it in the largest unit that keeps it readable ({@code 512ns}, {@code 65.5us}, {@code 1.07s}).
     */
    public static String formatNs(final long ns)
    {
        if (ns < 1_000L)
        {
            return ns + "ns";
        }
        if (ns < 1_000_000L)
        {
            return String.format(java.util.Locale.ROOT, "%.1fus", ns / 1e3);
        }
        if (ns < 1_000_000_000L)
        {
            return String.format(java.util.Locale.ROOT, "%.1fms", ns / 1e6);
        }
        return String.format(java.util.Locale.ROOT, "%.2fs", ns / 1e9);
    }

    /** In-band: frees the counters. */
    public void free()
    {
        for (final AtomicCounter bucket : buckets)
        {
            bucket.close();
        }
    }
}
