package org.oobnet.soupbintcp;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.inband.Errno;

/**
 * A server session's sequenced messages, numbered from 1, kept so that a client logging in asking for an older
 * sequence number gets them again (sequence recovery at login). Allocated once: a byte log and an offset per
 * message; full is a return value.
 * <p>
 * <b>Note:</b> not thread safe: the stage of the server sessions that share it.
 */
public final class SequencedStore
{
    private final UnsafeBuffer log;
    private final int[] offsets;
    private int count;
    private int used;

    /**
     * @param capacityBytes the bytes of all messages.
     * @param maxMessages   the most messages.
     */
    public SequencedStore(final int capacityBytes, final int maxMessages)
    {
        if (capacityBytes < 1 || maxMessages < 1)
        {
            throw new IllegalArgumentException("capacityBytes=" + capacityBytes + " maxMessages=" + maxMessages +
                " must be positive");
        }
        this.log = new UnsafeBuffer(new byte[capacityBytes]);
        this.offsets = new int[maxMessages + 1];
    }

    /**
     * Stage: appends a message.
     *
     * @return its sequence number, or {@code -ENOBUFS} when full.
     */
    public long append(final DirectBuffer buffer, final int offset, final int length)
    {
        if (count + 1 >= offsets.length || used + length > log.capacity())
        {
            return -Errno.ENOBUFS;
        }
        log.putBytes(used, buffer, offset, length);
        offsets[count] = used;
        used += length;
        count++;
        offsets[count] = used;
        return count;
    }

    /** @return the sequence number the next message gets. */
    public long nextSequenceNumber()
    {
        return count + 1L;
    }

    /** @return the buffer the messages live in. */
    DirectBuffer buffer()
    {
        return log;
    }

    /** @return where message {@code sequenceNumber} (1..) starts. */
    int offset(final long sequenceNumber)
    {
        return offsets[(int)sequenceNumber - 1];
    }

    /** @return message {@code sequenceNumber}'s length. */
    int length(final long sequenceNumber)
    {
        return offsets[(int)sequenceNumber] - offsets[(int)sequenceNumber - 1];
    }
}
