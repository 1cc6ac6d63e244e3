package org.oobnet.moldudp64;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static org.oobnet.moldudp64.MoldUdp64Descriptor.END_OF_SESSION_COUNT;
import static org.oobnet.moldudp64.MoldUdp64Descriptor.HEADER_LENGTH;
import static org.oobnet.moldudp64.MoldUdp64Descriptor.HEARTBEAT_COUNT;
import static org.oobnet.moldudp64.MoldUdp64Descriptor.MESSAGE_LENGTH_FIELD_LENGTH;

/**
 * Checks a whole downstream packet (header, every message block, nothing after the last) before anything is
 * delivered from it, names the first problem as a {@link MoldUdp64DropReason} and counts it; then walks the
 * messages of an accepted packet as views into the packet's own bytes (zero copy).
 * <p>
 * A malformed packet is dropped whole: a count that lies or a length that overruns makes every block after it
 * suspect, and delivering a prefix would make a gap that looks filled. Never reads outside
 * {@code [offset, offset + length)}.
 * <p>
 * <b>Note:</b> not thread safe; one per receiving thread. Allocation-free.
 */
public final class DownstreamPacketParser
{
    private final MoldUdp64HeaderFlyweight header = new MoldUdp64HeaderFlyweight();
    private final MoldUdp64DropCounters counters;

    private DirectBuffer buffer;
    private int end;
    private long sequence;
    private int count;
    private boolean endOfSession;
    private int cursor;
    private int cursorIndex;
    private int messageOffset;
    private int messageLength;

    /**
     * A parser counting into {@code counters}.
     *
     * @param counters where each packet's outcome is counted.
     */
    public DownstreamPacketParser(final MoldUdp64DropCounters counters)
    {
        this.counters = counters;
    }

    /**
     * Checks the packet in {@code [offset, offset + length)} and, when it is well formed, readies its messages.
     *
     * @param buffer the bytes.
     * @param offset where the packet starts.
     * @param length its length (the UDP payload length).
     * @return {@link MoldUdp64DropReason#NONE} or why it must be dropped (already counted).
     */
    public MoldUdp64DropReason parse(final DirectBuffer buffer, final int offset, final int length)
    {
        final MoldUdp64DropReason reason = check(buffer, offset, length);
        counters.increment(reason);
        return reason;
    }

    private MoldUdp64DropReason check(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.end = offset + Math.max(0, length);
        this.count = 0;
        this.cursorIndex = 0;
        this.cursor = offset + HEADER_LENGTH;
        if (length < HEADER_LENGTH)
        {
            return MoldUdp64DropReason.TRUNCATED_HEADER;
        }
        header.wrap(buffer, offset);
        final long sequence = header.sequence();
        final int rawCount = header.count();
        final boolean endOfSession = END_OF_SESSION_COUNT == rawCount;
        final int count = endOfSession ? 0 : rawCount;
        if (!MoldUdp64Descriptor.isSequenceInRange(sequence, count))
        {
            return MoldUdp64DropReason.SEQUENCE_OUT_OF_RANGE;
        }
        final int end = this.end;
        int position = offset + HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            if (end - position < MESSAGE_LENGTH_FIELD_LENGTH)
            {
                return MoldUdp64DropReason.COUNT_OVERRUNS_PACKET;
            }
            final int messageLength = buffer.getShort(position, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            position += MESSAGE_LENGTH_FIELD_LENGTH;
            if (end - position < messageLength)
            {
                return MoldUdp64DropReason.MESSAGE_OVERRUNS_PACKET;
            }
            position += messageLength;
        }
        if (position != end)
        {
            return MoldUdp64DropReason.TRAILING_BYTES;
        }
        this.sequence = sequence;
        this.count = count;
        this.endOfSession = endOfSession;
        return MoldUdp64DropReason.NONE;
    }

    /**
     * The header of the packet last parsed; valid after {@link MoldUdp64DropReason#NONE} (and after any reason
     * but {@code TRUNCATED_HEADER}).
     *
     * @return the header flyweight.
     */
    public MoldUdp64HeaderFlyweight header()
    {
        return header;
    }

    /**
     * Sequence number of the accepted packet's first message (the next sequence number for a heartbeat or an
     * end of session).
     *
     * @return the sequence number.
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * How many messages the accepted packet carries.
     *
     * @return 0 for a heartbeat and an end of session.
     */
    public int messageCount()
    {
        return count;
    }

    /**
     * Whether the accepted packet is a heartbeat.
     *
     * @return true for count {@value MoldUdp64Descriptor#HEARTBEAT_COUNT}.
     */
    public boolean isHeartbeat()
    {
        return HEARTBEAT_COUNT == count && !endOfSession;
    }

    /**
     * Whether the accepted packet ends the session.
     *
     * @return true for count {@value MoldUdp64Descriptor#END_OF_SESSION_COUNT}.
     */
    public boolean isEndOfSession()
    {
        return endOfSession;
    }

    /**
     * Moves to the next message of the accepted packet.
     *
     * @return false when there is none left.
     */
    public boolean nextMessage()
    {
        if (cursorIndex >= count)
        {
            return false;
        }
        final int length = buffer.getShort(cursor, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        messageOffset = cursor + MESSAGE_LENGTH_FIELD_LENGTH;
        messageLength = length;
        cursor = messageOffset + length;
        cursorIndex++;
        return true;
    }

    /**
     * Sequence number of the current message.
     *
     * @return {@link #sequence()} plus the message's index.
     */
    public long messageSequence()
    {
        return sequence + cursorIndex - 1;
    }

    /**
     * Where the current message's data starts in the packet's buffer.
     *
     * @return the offset.
     */
    public int messageOffset()
    {
        return messageOffset;
    }

    /**
     * Length of the current message's data.
     *
     * @return 0 to 65535.
     */
    public int messageLength()
    {
        return messageLength;
    }

    /**
     * The buffer the current message lies in.
     *
     * @return the packet's buffer.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }
}
