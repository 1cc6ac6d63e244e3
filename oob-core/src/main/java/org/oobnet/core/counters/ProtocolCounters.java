package org.oobnet.core.counters;

import java.nio.ByteBuffer;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * A protocol's counters for one socket: one {@link AtomicCounter} per {@link ProtocolCounterType}, indexed by the
 * type's position in the array they were allocated with (an enum's {@code ordinal()}).
 * <p>
 * Made by {@link org.oobnet.core.OobSocket#newProtocolCounters} in the runtime's counters file, where
 * {@code oobnet stat} and {@code oobnet net query} read them from another process, and freed by oob-core when the
 * socket is destroyed (after its last reference, so the stage and any holder of a reference can never write to a
 * slot another socket took over). {@link #inMemory} makes process-private ones for rings used without a runtime.
 * <p>
 * <b>Note:</b> made and freed in-band. The owner's writer (usually the stage) counts with {@link #increment} and
 * {@link #add} (release stores, no allocation, no lock: single writer per counter); a counter fed by more than one
 * thread uses {@link #addAtomic}. Any thread may {@link #get}.
 */
public final class ProtocolCounters
{
    private final ProtocolCounterType[] types;
    private final AtomicCounter[] counters;

    private ProtocolCounters(final ProtocolCounterType[] types, final AtomicCounter[] counters)
    {
        this.types = types;
        this.counters = counters;
    }

    /**
     * In-band: counters in process memory only, for code that runs a protocol's rings without a runtime (tests,
     * benchmarks, a transport built on the rings). Nothing to free: the collector takes the memory.
     *
     * @param types the counter types.
     * @return the counters, all zero.
     */
    public static ProtocolCounters inMemory(final ProtocolCounterType[] types)
    {
        final ByteBuffer memory = BufferUtil.allocateDirectAligned(
            Math.max(1, types.length) * CountersReader.COUNTER_LENGTH, CountersReader.COUNTER_LENGTH);
        final UnsafeBuffer values = new UnsafeBuffer(memory);
        final AtomicCounter[] counters = new AtomicCounter[types.length];
        for (int i = 0; i < types.length; i++)
        {
            counters[i] = new AtomicCounter(values, i);
        }
        return new ProtocolCounters(types.clone(), counters);
    }

    /**
     * In-band, under the runtime's counters lock: allocates them in a counters file. Called by oob-core.
     *
     * @param manager  the counters manager.
     * @param types    the counter types (checked by the caller).
     * @param socketId the socket's id (the counters' registration id).
     * @param suffix   the label suffix, e.g. {@code "packet fd=12"}.
     * @return the counters, or null when the file has no room (nothing is left allocated).
     */
    public static ProtocolCounters allocate(
        final CountersManager manager, final ProtocolCounterType[] types, final long socketId, final String suffix)
    {
        if (manager.available() < types.length)
        {
            return null;
        }
        final AtomicCounter[] counters = new AtomicCounter[types.length];
        for (int i = 0; i < types.length; i++)
        {
            counters[i] = manager.newCounter(types[i].label() + ": " + suffix + " id=" + socketId, types[i].typeId());
            manager.setCounterRegistrationId(counters[i].id(), socketId);
        }
        return new ProtocolCounters(types.clone(), counters);
    }

    /**
     * Checks a protocol's counter types.
     *
     * @param types the types.
     * @return null when valid, else what is wrong ({@code typeId=5 of label=x is below ...}).
     */
    public static String check(final ProtocolCounterType[] types)
    {
        if (null == types || 0 == types.length)
        {
            return "no counter types";
        }
        for (final ProtocolCounterType type : types)
        {
            if (type.typeId() < OobCounterType.FIRST_PROTOCOL_TYPE_ID)
            {
                return "typeId=" + type.typeId() + " of label=" + type.label() + " is below the protocols' range " +
                    "(typeId >= " + OobCounterType.FIRST_PROTOCOL_TYPE_ID + ")";
            }
            if (null == type.label() || type.label().isEmpty())
            {
                return "typeId=" + type.typeId() + " has no label";
            }
        }
        return null;
    }

    /**
     * In-band, under the runtime's counters lock, once the socket is destroyed: frees the slots (oob-core only).
     */
    public void free()
    {
        for (final AtomicCounter counter : counters)
        {
            counter.close();
        }
    }

    /** @return how many counters. */
    public int size()
    {
        return counters.length;
    }

    /**
     * @param index the type's position.
     * @return its type.
     */
    public ProtocolCounterType type(final int index)
    {
        return types[index];
    }

    /**
     * @param index the type's position.
     * @return the counter (its id is its slot in the counters file, or in process memory for {@link #inMemory}).
     */
    public AtomicCounter counter(final int index)
    {
        return counters[index];
    }

    /**
     * Single writer: adds one, published with a release store.
     *
     * @param index the type's position.
     */
    public void increment(final int index)
    {
        counters[index].incrementRelease();
    }

    /**
     * Single writer: adds {@code delta}, published with a release store.
     *
     * @param index the type's position.
     * @param delta how much.
     */
    public void add(final int index, final long delta)
    {
        counters[index].getAndAddRelease(delta);
    }

    /**
     * Any thread: adds {@code delta} atomically (a counter more than one thread feeds).
     *
     * @param index the type's position.
     * @param delta how much.
     */
    public void addAtomic(final int index, final long delta)
    {
        counters[index].getAndAdd(delta);
    }

    /**
     * Any thread: the value (volatile read).
     *
     * @param index the type's position.
     * @return the value.
     */
    public long get(final int index)
    {
        return counters[index].get();
    }
}
