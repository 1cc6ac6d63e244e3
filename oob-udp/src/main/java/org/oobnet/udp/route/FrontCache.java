package org.oobnet.udp.route;

import java.util.ArrayList;
import java.util.List;

/**
 * A map from an IPv4 address to an immutable entry that the stage reads without locks or allocation, and in-band
 * code replaces copy-on-write: every change builds a new open-addressing snapshot and publishes it with one
 * volatile store.
 * <p>
 * <b>Note:</b> {@link #lookup} is wait-free and allocation-free from any thread (the stage); writers are in-band
 * and serialised on this object.
 *
 * @param <V> the immutable entry type.
 */
public final class FrontCache<V>
{
    private static final Snapshot EMPTY = new Snapshot(new int[1], new Object[1], 0);

    // volatile: a reader sees a fully built snapshot (its arrays are written before the release of this store)
    private volatile Snapshot snapshot = EMPTY;

    /**
     * Stage or any thread: the entry for {@code address}.
     *
     * @param address the key.
     * @return the entry, or null.
     */
    @SuppressWarnings("unchecked")
    public V lookup(final int address)
    {
        final Snapshot snapshot = this.snapshot;
        final int[] keys = snapshot.keys;
        final Object[] values = snapshot.values;
        final int mask = keys.length - 1;
        int i = hash(address) & mask;
        while (true)
        {
            final Object value = values[i];
            if (null == value)
            {
                return null;
            }
            if (keys[i] == address)
            {
                return (V)value;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * In-band: adds or replaces an entry.
     *
     * @param address the key.
     * @param value   the entry.
     */
    public synchronized void put(final int address, final V value)
    {
        final List<Object[]> entries = entriesWithout(address);
        entries.add(new Object[]{address, value});
        publish(entries);
    }

    /**
     * In-band: removes an entry.
     *
     * @param address the key.
     * @return true when there was one.
     */
    public synchronized boolean remove(final int address)
    {
        if (null == lookup(address))
        {
            return false;
        }
        publish(entriesWithout(address));
        return true;
    }

    /**
     * In-band: a copy of the entries, for a refresh.
     *
     * @return the entries.
     */
    @SuppressWarnings("unchecked")
    public List<V> values()
    {
        final Snapshot snapshot = this.snapshot;
        final List<V> values = new ArrayList<>(snapshot.size);
        for (final Object value : snapshot.values)
        {
            if (null != value)
            {
                values.add((V)value);
            }
        }
        return values;
    }

    /**
     * @return the number of entries.
     */
    public int size()
    {
        return snapshot.size;
    }

    private List<Object[]> entriesWithout(final int address)
    {
        final Snapshot snapshot = this.snapshot;
        final List<Object[]> entries = new ArrayList<>(snapshot.size + 1);
        for (int i = 0; i < snapshot.keys.length; i++)
        {
            if (null != snapshot.values[i] && snapshot.keys[i] != address)
            {
                entries.add(new Object[]{snapshot.keys[i], snapshot.values[i]});
            }
        }
        return entries;
    }

    private void publish(final List<Object[]> entries)
    {
        // at most half full, so a miss ends at an empty slot quickly
        int capacity = 4;
        while (capacity < entries.size() * 2)
        {
            capacity <<= 1;
        }
        final int[] keys = new int[capacity];
        final Object[] values = new Object[capacity];
        for (final Object[] entry : entries)
        {
            final int key = (Integer)entry[0];
            int i = hash(key) & (capacity - 1);
            while (null != values[i])
            {
                i = (i + 1) & (capacity - 1);
            }
            keys[i] = key;
            values[i] = entry[1];
        }
        snapshot = new Snapshot(keys, values, entries.size());
    }

    private static int hash(final int address)
    {
        final int h = address * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private record Snapshot(int[] keys, Object[] values, int size)
    {
    }
}
