package org.oobnet.moldudp64.publish;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.oobnet.moldudp64.DownstreamPacketBuilder;

import java.util.Arrays;

/**
 * Every message of a session, by sequence number, in one growing buffer: what the publisher sent and what the
 * request server answers from.
 * <p>
 * <b>Note:</b> not thread safe; the publisher and the request server share it on one thread.
 * In-band only (it grows).
 */
public final class MoldUdp64MessageStore
{
    private final ExpandableArrayBuffer data = new ExpandableArrayBuffer(64 * 1024);
    private long[] ends = new long[1024]; // ends[i]: end offset of sequence i + 1
    private int size;
    private long used;

    /**
     * Stores the next message of the session.
     *
     * @param message the data.
     * @param offset where it starts.
     * @param length its length, 0 to 65535.
     * @return its sequence number.
     */
    public long append(final DirectBuffer message, final int offset, final int length)
    {
        if (length < 0 || length > 0xFFFF)
        {
            throw new IllegalArgumentException("length=" + length + " must be 0 to 65535");
        }
        if (used + length > Integer.MAX_VALUE - 8)
        {
            throw new IllegalStateException("store full: " + used + " bytes");
        }
        if (size == ends.length)
        {
            ends = Arrays.copyOf(ends, size * 2);
        }
        data.putBytes((int)used, message, offset, length);
        used += length;
        ends[size++] = used;
        return size;
    }

    /**
     * How many messages are stored; also the last sequence number.
     *
     * @return the count.
     */
    public long size()
    {
        return size;
    }

    /**
     * Appends stored messages from {@code sequence} on to a started packet, while they fit.
     *
     * @param builder a packet started at {@code sequence}.
     * @param sequence the first to append.
     * @param count the most to append.
     * @return how many were appended (0 when {@code sequence} is not stored).
     */
    public int appendTo(final DownstreamPacketBuilder builder, final long sequence, final int count)
    {
        int appended = 0;
        for (long s = sequence; s < sequence + count && s >= 1 && s <= size; s++)
        {
            final int index = (int)(s - 1);
            final int start = 0 == index ? 0 : (int)ends[index - 1];
            if (!builder.tryAppend(data, start, (int)ends[index] - start))
            {
                break;
            }
            appended++;
        }
        return appended;
    }
}
