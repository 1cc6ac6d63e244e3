package org.oobnet.moldudp64;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static org.oobnet.moldudp64.MoldUdp64Descriptor.END_OF_SESSION_COUNT;
import static org.oobnet.moldudp64.MoldUdp64Descriptor.HEADER_LENGTH;
import static org.oobnet.moldudp64.MoldUdp64Descriptor.HEARTBEAT_COUNT;
import static org.oobnet.moldudp64.MoldUdp64Descriptor.MAX_MESSAGE_COUNT;
import static org.oobnet.moldudp64.MoldUdp64Descriptor.MESSAGE_LENGTH_FIELD_LENGTH;

/**
 * Writes one downstream packet into a buffer: the header, then message blocks appended while they fit in the
 * capacity given (the path MTU's UDP payload). Used by the publisher, the request server and tests.
 * <p>
 * <b>Note:</b> not thread safe. Allocation-free.
 */
public final class DownstreamPacketBuilder
{
    private final MoldUdp64HeaderFlyweight header = new MoldUdp64HeaderFlyweight();
    private MutableDirectBuffer buffer;
    private int offset;
    private int limit;
    private int position;
    private int count;

    /**
     * Starts a packet of messages at {@code offset}.
     *
     * @param buffer where to write.
     * @param offset where the packet starts.
     * @param capacity the most bytes the packet may take, header included.
     * @param session buffer holding the 10-byte session.
     * @param sessionOffset where in it.
     * @param sequence sequence number of the first message.
     * @return this.
     */
    public DownstreamPacketBuilder start(
        final MutableDirectBuffer buffer,
        final int offset,
        final int capacity,
        final DirectBuffer session,
        final int sessionOffset,
        final long sequence)
    {
        if (capacity < HEADER_LENGTH)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " is below the header length " + HEADER_LENGTH);
        }
        this.buffer = buffer;
        this.offset = offset;
        this.limit = offset + capacity;
        this.position = offset + HEADER_LENGTH;
        this.count = 0;
        header.wrap(buffer, offset).session(session, sessionOffset).sequence(sequence).count(0);
        return this;
    }

    /**
     * Appends one message block if it fits.
     *
     * @param message source of the data.
     * @param messageOffset where the data starts.
     * @param messageLength its length, 0 to 65535.
     * @return false when the block does not fit or the packet holds the most messages a packet may.
     */
    public boolean tryAppend(final DirectBuffer message, final int messageOffset, final int messageLength)
    {
        if (count >= MAX_MESSAGE_COUNT || limit - position < MESSAGE_LENGTH_FIELD_LENGTH + messageLength)
        {
            return false;
        }
        buffer.putShort(position, (short)messageLength, ByteOrder.BIG_ENDIAN);
        buffer.putBytes(position + MESSAGE_LENGTH_FIELD_LENGTH, message, messageOffset, messageLength);
        position += MESSAGE_LENGTH_FIELD_LENGTH + messageLength;
        count++;
        header.count(count);
        return true;
    }

    /**
     * Turns the started packet into a heartbeat (drops any appended block).
     *
     * @return the packet's length.
     */
    public int heartbeat()
    {
        return control(HEARTBEAT_COUNT);
    }

    /**
     * Turns the started packet into an end of session (drops any appended block).
     *
     * @return the packet's length.
     */
    public int endOfSession()
    {
        return control(END_OF_SESSION_COUNT);
    }

    private int control(final int marker)
    {
        count = 0;
        position = offset + HEADER_LENGTH;
        header.count(marker);
        return HEADER_LENGTH;
    }

    /**
     * Messages appended so far.
     *
     * @return the count.
     */
    public int messageCount()
    {
        return count;
    }

    /**
     * Bytes written so far, header included.
     *
     * @return the packet's length.
     */
    public int length()
    {
        return position - offset;
    }

    /**
     * Writes a request packet.
     *
     * @param buffer where to write.
     * @param offset where it starts.
     * @param session buffer holding the 10-byte session.
     * @param sessionOffset where in it.
     * @param sequence first sequence number asked for.
     * @param count how many, 1 to 65534.
     * @return the request's length, {@value MoldUdp64Descriptor#HEADER_LENGTH}.
     */
    public int request(
        final MutableDirectBuffer buffer,
        final int offset,
        final DirectBuffer session,
        final int sessionOffset,
        final long sequence,
        final int count)
    {
        header.wrap(buffer, offset).session(session, sessionOffset).sequence(sequence).count(count);
        return HEADER_LENGTH;
    }
}
