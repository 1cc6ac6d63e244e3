package org.oobnet.example.seqmsg;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The sender's bounded history: the last {@code capacity} messages of a stream, in fixed slots of one
 * pre-allocated buffer, so a NAK can be served without allocating. Slot of sequence {@code s}:
 * {@code s & (capacity - 1)}.
 * <p>
 * <b>Note:</b> stage only, allocation-free after construction.
 */
public final class MessageHistory
{
    private final int capacity;
    private final int mask;
    private final int slotBytes;
    private final UnsafeBuffer slots;
    private final int[] lengths;
    private long newest;

    /**
     * In-band.
     *
     * @param capacity        messages kept, a power of two.
     * @param maxPayloadBytes the longest message.
     */
    public MessageHistory(final int capacity, final int maxPayloadBytes)
    {
        if (capacity < 1 || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " must be a power of two");
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.slotBytes = maxPayloadBytes;
        this.slots = new UnsafeBuffer(new byte[capacity * maxPayloadBytes]);
        this.lengths = new int[capacity];
    }

    /**
     * Stage: keeps message {@code sequence}, which must be the one after {@link #newest()}.
     *
     * @param sequence its sequence.
     * @param buffer   its bytes.
     * @param offset   where they start.
     * @param length   how many.
     */
    public void put(final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        final int slot = (int)(sequence & mask);
        slots.putBytes(slot * slotBytes, buffer, offset, length);
        lengths[slot] = length;
        newest = sequence;
    }

    /** @return the newest sequence kept, 0 when none. */
    public long newest()
    {
        return newest;
    }

    /** @return the oldest sequence still kept (1 when nothing was overwritten yet). */
    public long oldest()
    {
        return Math.max(1, newest - capacity + 1);
    }

    /**
     * @param sequence a sequence between {@link #oldest()} and {@link #newest()}.
     * @return where its bytes start in {@link #buffer()}.
     */
    public int offset(final long sequence)
    {
        return (int)(sequence & mask) * slotBytes;
    }

    /**
     * @param sequence a sequence between {@link #oldest()} and {@link #newest()}.
     * @return its length.
     */
    public int length(final long sequence)
    {
        return lengths[(int)(sequence & mask)];
    }

    /** @return the buffer holding the slots. */
    public DirectBuffer buffer()
    {
        return slots;
    }

    /** @return messages kept at most. */
    public int capacity()
    {
        return capacity;
    }
}
