package org.oobnet.example.seqmsg;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The values of one socket's {@link SeqMsgCounter}s.
 * <p>
 * <b>Note:</b> the stage is the single writer ({@link #increment}, {@link #add} publish with a release store);
 * any thread may {@link #get} (acquire).
 */
public final class SeqMsgCounters
{
    private static final SeqMsgCounter[] COUNTERS = SeqMsgCounter.values();

    private final AtomicLongArray values = new AtomicLongArray(COUNTERS.length);

    /**
     * Stage only.
     *
     * @param counter which.
     */
    public void increment(final SeqMsgCounter counter)
    {
        add(counter, 1);
    }

    /**
     * Stage only.
     *
     * @param counter which.
     * @param delta   how much.
     */
    public void add(final SeqMsgCounter counter, final long delta)
    {
        final int i = counter.ordinal();
        // release: single writer; a reader sees a value no older than one it saw before
        values.setRelease(i, values.getPlain(i) + delta);
    }

    /**
     * Any thread.
     *
     * @param counter which.
     * @return its value.
     */
    public long get(final SeqMsgCounter counter)
    {
        return values.getAcquire(counter.ordinal());
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        for (final SeqMsgCounter counter : COUNTERS)
        {
            sb.append(sb.isEmpty() ? "" : ", ").append(counter.label()).append('=').append(get(counter));
        }
        return sb.toString();
    }
}
