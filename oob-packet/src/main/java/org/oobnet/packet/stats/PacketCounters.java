package org.oobnet.packet.stats;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The values of one socket's {@link PacketCounter}s.
 * <p>
 * <b>Note:</b> the stage is the single writer of every counter but {@link PacketCounter#KERNEL_DROPS}, which
 * in-band statistics reads also feed, so {@link #increment}/{@link #add} publish with a release store and
 * {@link #addAtomic} uses an atomic add; any thread may {@link #get} (acquire).
 */
public final class PacketCounters
{
    private static final PacketCounter[] COUNTERS = PacketCounter.values();

    private final AtomicLongArray values = new AtomicLongArray(COUNTERS.length);

    /**
     * Stage only: add one.
     *
     * @param counter which.
     */
    public void increment(final PacketCounter counter)
    {
        final int i = counter.ordinal();
        // release: single writer; readers on other threads see a value no older than a previous one
        values.setRelease(i, values.getPlain(i) + 1);
    }

    /**
     * Stage only: add {@code delta}.
     *
     * @param counter which.
     * @param delta   how much.
     */
    public void add(final PacketCounter counter, final long delta)
    {
        final int i = counter.ordinal();
        values.setRelease(i, values.getPlain(i) + delta);
    }

    /**
     * Any thread: add {@code delta} atomically (counters more than one thread feeds).
     *
     * @param counter which.
     * @param delta   how much.
     */
    public void addAtomic(final PacketCounter counter, final long delta)
    {
        values.getAndAdd(counter.ordinal(), delta);
    }

    /**
     * Any thread: the counter's value.
     *
     * @param counter which.
     * @return its value.
     */
    public long get(final PacketCounter counter)
    {
        return values.getAcquire(counter.ordinal());
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        for (final PacketCounter counter : COUNTERS)
        {
            sb.append(sb.isEmpty() ? "" : ", ").append(counter.label()).append('=').append(get(counter));
        }
        return sb.toString();
    }
}
