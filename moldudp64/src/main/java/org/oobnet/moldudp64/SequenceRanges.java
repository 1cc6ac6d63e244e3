package org.oobnet.moldudp64;

/**
 * A set of sequence numbers kept as sorted, disjoint, non-adjacent ranges {@code [from, end)} in fixed arrays: what
 * {@link ParkedPackets} holds past a {@link MoldUdp64Receiver}'s gap, so that only the holes are asked for.
 * <p>
 * <b>Note:</b> not thread safe; allocation-free after construction.
 */
final class SequenceRanges
{
    private final long[] from;
    private final long[] end;
    private int size;

    /**
     * An empty set.
     *
     * @param capacity the most ranges it holds at once.
     */
    SequenceRanges(final int capacity)
    {
        this.from = new long[capacity];
        this.end = new long[capacity];
    }

    /**
     * Adds {@code [rangeFrom, rangeEnd)}, merged with the ranges it overlaps or touches.
     *
     * @param rangeFrom the first sequence number.
     * @param rangeEnd  one past the last.
     * @throws IllegalStateException when the range would be one more than the capacity holds.
     */
    void add(final long rangeFrom, final long rangeEnd)
    {
        if (rangeFrom >= rangeEnd)
        {
            return;
        }
        final int first = firstEndingAfter(rangeFrom - 1); // the first that overlaps or touches, or lies past
        long mergedFrom = rangeFrom;
        long mergedEnd = rangeEnd;
        int past = first;
        while (past < size && from[past] <= mergedEnd)
        {
            mergedFrom = Math.min(mergedFrom, from[past]);
            mergedEnd = Math.max(mergedEnd, end[past]);
            past++;
        }
        final int merged = past - first;
        if (0 == merged)
        {
            if (size == from.length)
            {
                throw new IllegalStateException("ranges=" + size + " at capacity: cannot add [" + rangeFrom + ", " +
                    rangeEnd + ")");
            }
            System.arraycopy(from, first, from, first + 1, size - first);
            System.arraycopy(end, first, end, first + 1, size - first);
            size++;
        }
        else if (merged > 1)
        {
            System.arraycopy(from, past, from, first + 1, size - past);
            System.arraycopy(end, past, end, first + 1, size - past);
            size -= merged - 1;
        }
        from[first] = mergedFrom;
        end[first] = mergedEnd;
    }

    /**
     * Forgets every sequence number below {@code sequence} (delivered or lost).
     *
     * @param sequence the first one kept.
     */
    void removeBefore(final long sequence)
    {
        final int drop = firstEndingAfter(sequence);
        if (drop > 0)
        {
            System.arraycopy(from, drop, from, 0, size - drop);
            System.arraycopy(end, drop, end, 0, size - drop);
            size -= drop;
        }
        if (size > 0 && from[0] < sequence)
        {
            from[0] = sequence;
        }
    }

    /** Forgets everything. */
    void clear()
    {
        size = 0;
    }

    /**
     * The first sequence number at or past {@code sequence} that is not in the set.
     *
     * @param sequence where to start.
     * @return it: {@code sequence} itself, or the end of the range holding it.
     */
    long firstAbsent(final long sequence)
    {
        final int i = firstEndingAfter(sequence);
        return i < size && from[i] <= sequence ? end[i] : sequence;
    }

    /**
     * The start of the first range past {@code sequence}.
     *
     * @param sequence a sequence number not in the set.
     * @return that start, or {@link Long#MAX_VALUE} when none lies past it.
     */
    long nextStart(final long sequence)
    {
        int i = firstEndingAfter(sequence);
        if (i < size && from[i] <= sequence)
        {
            i++;
        }
        return i < size ? from[i] : Long.MAX_VALUE;
    }

    /**
     * How many ranges the set holds.
     *
     * @return the count.
     */
    int size()
    {
        return size;
    }

    // the index of the first range whose end is past sequence (size when none): binary search, ends are sorted
    private int firstEndingAfter(final long sequence)
    {
        int low = 0;
        int high = size;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (end[mid] > sequence)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }
        return low;
    }
}
