package org.oobnet.moldudp64.publish;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.moldudp64.DownstreamPacketBuilder;

/**
 * The last {@code slots} messages of a session in fixed slots, by sequence number: what a publisher on the OOB
 * stage answers requests from. Unlike {@link MoldUdp64MessageStore} it never grows, so it allocates nothing once
 * built; a request for a message that fell out of it is not answered (the receiver then reports it lost).
 * <p>
 * <b>Note:</b> not thread safe; one thread (the stage) appends and answers.
 */
public final class MoldUdp64RingStore
{
    private final int mask;
    private final int slotBytes;
    private final UnsafeBuffer data;
    private final int[] lengths;
    private long newest;

    /**
     * A store.
     *
     * @param slots     messages kept, a power of two.
     * @param slotBytes the longest message.
     */
    public MoldUdp64RingStore(final int slots, final int slotBytes)
    {
        if (slots < 1 || Integer.bitCount(slots) != 1)
        {
            throw new IllegalArgumentException("slots=" + slots + " must be a power of two");
        }
        if (slotBytes < 1 || (long)slots * slotBytes > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException("slotBytes=" + slotBytes + " must be positive and slots * slotBytes " +
                "below 2 GiB (slots=" + slots + ")");
        }
        this.mask = slots - 1;
        this.slotBytes = slotBytes;
        this.data = new UnsafeBuffer(new byte[slots * slotBytes]);
        this.lengths = new int[slots];
    }

    /**
     * Stores the next message of the session, overwriting the oldest when full.
     *
     * @param message the data.
     * @param offset  where it starts.
     * @param length  its length, at most the slot's.
     * @return its sequence number, or -1 when it is longer than a slot (nothing stored).
     */
    public long append(final DirectBuffer message, final int offset, final int length)
    {
        if (length < 0 || length > slotBytes)
        {
            return -1;
        }
        final long sequence = newest + 1;
        final int slot = (int)((sequence - 1) & mask);
        data.putBytes(slot * slotBytes, message, offset, length);
        lengths[slot] = length;
        newest = sequence;
        return sequence;
    }

    /** @return the last sequence number stored (0 before the first). */
    public long newest()
    {
        return newest;
    }

    /** @return the first sequence number still stored (newest + 1 when empty). */
    public long oldest()
    {
        return Math.max(1, newest - mask);
    }

    /**
     * Appends stored messages from {@code sequence} on to a started packet, while they fit.
     *
     * @param builder  a packet started at {@code sequence}.
     * @param sequence the first to append.
     * @param count    the most to append.
     * @return how many were appended (0 when {@code sequence} is not stored).
     */
    public int appendTo(final DownstreamPacketBuilder builder, final long sequence, final int count)
    {
        final long oldest = oldest();
        int appended = 0;
        for (long s = sequence; s < sequence + count && s >= oldest && s <= newest; s++)
        {
            final int slot = (int)((s - 1) & mask);
            if (!builder.tryAppend(data, slot * slotBytes, lengths[slot]))
            {
                break;
            }
            appended++;
        }
        return appended;
    }
}
