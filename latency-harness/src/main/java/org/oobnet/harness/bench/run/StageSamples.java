package org.oobnet.harness.bench.run;

import java.util.concurrent.atomic.AtomicLong;

import org.oobnet.harness.report.LatencyRecorder;

/**
 * A single-producer single-consumer ring of samples (ns) from the OOB stage to an in-band thread: the stage only
 * stores a long into a pre-allocated array and publishes the new tail; the in-band thread records what it takes
 * into the {@link LatencyRecorder}, so the histogram's code (its call-site linkage, resizing checks, deoptimisations)
 * never runs on the stage. A full ring drops the sample and counts it.
 * <p>
 * <b>Note:</b> {@link #offer(long)} is called by one stage thread, allocation-free and lock-free;
 * {@link #drainTo(LatencyRecorder)} by one in-band thread at a time.
 */
public final class StageSamples
{
    /** Enough for 64 Ki samples between two drains (a drain every millisecond keeps up with 64 M/s). */
    public static final int DEFAULT_CAPACITY = 1 << 16;

    private final long[] values;
    private final int mask;
    // written by the consumer (release), read by the producer when its cached view says the ring is full
    private final AtomicLong head = new AtomicLong();
    // written by the producer (release), read by the consumer
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private long producerTail;
    private long producerHeadCache;
    private long consumerLimit = Long.MAX_VALUE;
    private long consumed;

    /**
     * @param capacity a power of two.
     */
    public StageSamples(final int capacity)
    {
        if (capacity < 2 || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " must be a power of two of at least 2");
        }
        values = new long[capacity];
        mask = capacity - 1;
    }

    /**
     * Stage: hands one sample to the in-band side.
     *
     * @param value the sample.
     * @return false when the ring was full (the sample is dropped and counted).
     */
    public boolean offer(final long value)
    {
        final long t = producerTail;
        if (t - producerHeadCache >= values.length)
        {
            // acquire: pairs with the consumer's release of head after it read the slots
            producerHeadCache = head.get();
            if (t - producerHeadCache >= values.length)
            {
                dropped.lazySet(dropped.get() + 1);
                return false;
            }
        }
        values[(int)(t & mask)] = value;
        producerTail = t + 1;
        // release: the slot's value before the tail that hands it over; pairs with drainTo's acquire of tail
        tail.lazySet(t + 1);
        return true;
    }

    /**
     * In-band, before the stage offers: records only the first {@code limit} samples, drops the later ones (a run of
     * a given count, which the stage does not count itself).
     *
     * @param limit how many samples to record.
     */
    public void limitTo(final long limit)
    {
        consumerLimit = limit;
    }

    /**
     * @return the samples offered so far (dropped ones excluded).
     */
    public long offered()
    {
        return tail.get();
    }

    /**
     * In-band: records every sample offered so far (up to the limit).
     *
     * @param recorder where they go.
     * @return how many were taken.
     */
    public int drainTo(final LatencyRecorder recorder)
    {
        final long h = head.get();
        // acquire: pairs with offer's release of tail, so the slots up to it are written
        final long t = tail.get();
        for (long i = h; i < t && consumed < consumerLimit; i++, consumed++)
        {
            recorder.recordNs(values[(int)(i & mask)]);
        }
        // release: the slots are read and may be overwritten; pairs with offer's acquire of head
        head.lazySet(t);
        return (int)(t - h);
    }

    /**
     * @return samples dropped because the ring was full.
     */
    public long dropped()
    {
        return dropped.get();
    }
}
