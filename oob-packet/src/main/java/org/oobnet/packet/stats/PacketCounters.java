package org.oobnet.packet.stats;

import org.oobnet.core.counters.ProtocolCounters;

/**
 * The values of one socket's {@link PacketCounter}s.
 * <p>
 * A packet socket's live in the runtime's counters file (made by {@link #PacketCounters(ProtocolCounters)} from
 * {@link org.oobnet.core.OobSocket#newProtocolCounters}), so {@code oobnet stat} and {@code oobnet net query} see
 * them from another process; {@link #PacketCounters()} keeps them in process memory for rings used without a
 * runtime.
 * <p>
 * <b>Note:</b> the stage is the single writer of every counter but {@link PacketCounter#KERNEL_DROPS}, which
 * in-band statistics reads also feed, so {@link #increment}/{@link #add} publish with a release store and
 * {@link #addAtomic} uses an atomic add; any thread may {@link #get} (volatile read).
 */
public final class PacketCounters
{
    private static final PacketCounter[] COUNTERS = PacketCounter.values();

    private final ProtocolCounters values;

    /**
     * Counters in process memory only (rings used without a runtime: tests, benchmarks, transports).
     */
    public PacketCounters()
    {
        this(ProtocolCounters.inMemory(COUNTERS));
    }

    /**
     * Counters over {@link ProtocolCounters} allocated for {@link PacketCounter#values()}.
     *
     * @param values the counters, indexed by {@link PacketCounter#ordinal()}.
     * @throws IllegalArgumentException when they are not indexed that way.
     */
    public PacketCounters(final ProtocolCounters values)
    {
        if (values.size() != COUNTERS.length)
        {
            throw new IllegalArgumentException("counters size=" + values.size() + " must be " + COUNTERS.length);
        }
        for (int i = 0; i < COUNTERS.length; i++)
        {
            if (values.type(i) != COUNTERS[i])
            {
                throw new IllegalArgumentException("counter index=" + i + " is " + values.type(i).label() +
                    ", must be " + COUNTERS[i].label());
            }
        }
        this.values = values;
    }

    /**
     * The counters' types, in index order, to allocate them with.
     *
     * @return a fresh copy of {@link PacketCounter#values()}.
     */
    public static PacketCounter[] types()
    {
        return COUNTERS.clone();
    }

    /**
     * Stage only: add one.
     *
     * @param counter which.
     */
    public void increment(final PacketCounter counter)
    {
        // release: single writer; readers on other threads see a value no older than a previous one
        values.increment(counter.ordinal());
    }

    /**
     * Stage only: add {@code delta}.
     *
     * @param counter which.
     * @param delta   how much.
     */
    public void add(final PacketCounter counter, final long delta)
    {
        values.add(counter.ordinal(), delta);
    }

    /**
     * Any thread: add {@code delta} atomically (counters more than one thread feeds).
     *
     * @param counter which.
     * @param delta   how much.
     */
    public void addAtomic(final PacketCounter counter, final long delta)
    {
        values.addAtomic(counter.ordinal(), delta);
    }

    /**
     * Any thread: the counter's value.
     *
     * @param counter which.
     * @return its value.
     */
    public long get(final PacketCounter counter)
    {
        return values.get(counter.ordinal());
    }

    /**
     * The counter's slot in the runtime's counters file (process-private counters have slots of their own).
     *
     * @param counter which.
     * @return the counter id.
     */
    public int counterId(final PacketCounter counter)
    {
        return values.counter(counter.ordinal()).id();
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
