package org.oobnet.moldudp64;

/**
 * Which line revealed each part of a {@link MoldUdp64Receiver}'s known gap (its packet came past the highest sequence
 * seen), so that the gap's requests and lost messages are counted on the line that showed them missing: a sequence
 * belongs to the last part starting at or before it.
 * <p>
 * <b>Note:</b> not thread safe; the receiver's thread only. Allocation-free after construction.
 */
final class GapRevealers
{
    /** Parts kept; past them a new part counts on the last one's line. */
    static final int CAPACITY = 64;

    private final long[] start = new long[CAPACITY];
    private final int[] line = new int[CAPACITY];
    private final int unrevealedLine;
    private int size;

    /**
     * No parts yet.
     *
     * @param unrevealedLine the line a sequence no line revealed counts on (the retransmission channel).
     */
    GapRevealers(final int unrevealedLine)
    {
        this.unrevealedLine = unrevealedLine;
    }

    /**
     * {@code [from, ...)}, past everything seen so far, was revealed by {@code revealingLine}'s packet.
     *
     * @param from          the highest sequence seen before the packet.
     * @param revealingLine the packet's line.
     */
    void revealed(final long from, final int revealingLine)
    {
        if (size > 0 && line[size - 1] == revealingLine)
        {
            return; // the same line's part goes on
        }
        if (size == CAPACITY)
        {
            return; // counted on the last part's line
        }
        start[size] = from;
        line[size] = revealingLine;
        size++;
    }

    /**
     * Drops the parts wholly before {@code sequence} (delivered or lost).
     *
     * @param sequence the next sequence to be delivered.
     */
    void forgetBefore(final long sequence)
    {
        int drop = 0;
        while (drop + 1 < size && start[drop + 1] <= sequence)
        {
            drop++;
        }
        if (drop > 0)
        {
            System.arraycopy(start, drop, start, 0, size - drop);
            System.arraycopy(line, drop, line, 0, size - drop);
            size -= drop;
        }
    }

    /** Forgets every part: the gap closed, or a new session began. */
    void clear()
    {
        size = 0;
    }

    /**
     * The line that revealed {@code sequence}.
     *
     * @param sequence a sequence in the known gap.
     * @return its part's line; the first part's for a sequence before every part; the unrevealed line when there is
     * no part (a session's missing start in join mode).
     */
    int lineOf(final long sequence)
    {
        final int entry = entryOf(sequence);
        return entry < 0 ? unrevealedLine : line[entry];
    }

    /**
     * Where the part holding {@code sequence} ends, at most {@code end}.
     *
     * @param sequence a sequence in the known gap.
     * @param end      the end of the range being split into parts.
     * @return the next part's start, or {@code end} when it comes first or there is no next part.
     */
    long partEnd(final long sequence, final long end)
    {
        final int entry = entryOf(sequence);
        return entry >= 0 && entry + 1 < size ? Math.min(end, start[entry + 1]) : end;
    }

    // the part sequence belongs to, or -1 when no line revealed it (a session's missing start in join mode)
    private int entryOf(final long sequence)
    {
        int entry = -1;
        for (int i = 0; i < size && start[i] <= sequence; i++)
        {
            entry = i;
        }
        return entry < 0 && size > 0 ? 0 : entry;
    }
}
