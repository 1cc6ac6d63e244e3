package org.oobnet.moldudp64;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static org.oobnet.moldudp64.MoldUdp64Descriptor.COUNT_OFFSET;
import static org.oobnet.moldudp64.MoldUdp64Descriptor.SEQUENCE_OFFSET;
import static org.oobnet.moldudp64.MoldUdp64Descriptor.SESSION_LENGTH;
import static org.oobnet.moldudp64.MoldUdp64Descriptor.SESSION_OFFSET;

/**
 * The 20-byte header shared by downstream and request packets (see {@link MoldUdp64Descriptor}), over a
 * buffer. The caller checks that {@link MoldUdp64Descriptor#HEADER_LENGTH} bytes are there (the parsers do).
 * <p>
 * <b>Note:</b> not thread safe; reuse one per reader or writer.
 */
public final class MoldUdp64HeaderFlyweight
{
    private DirectBuffer buffer;
    private MutableDirectBuffer mutableBuffer;
    private int offset;

    /**
     * Reads the header at {@code offset}.
     *
     * @param buffer the packet.
     * @param offset where the packet starts.
     * @return this.
     */
    public MoldUdp64HeaderFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutableBuffer = null;
        this.offset = offset;
        return this;
    }

    /**
     * Reads and writes the header at {@code offset}.
     *
     * @param buffer the packet.
     * @param offset where the packet starts.
     * @return this.
     */
    public MoldUdp64HeaderFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutableBuffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * The sequence number field.
     *
     * @return the sequence number; unsigned on the wire, negative here above 2^63 (the parser refuses those).
     */
    public long sequence()
    {
        return buffer.getLong(offset + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * The count field.
     *
     * @return 0 to 65535.
     */
    public int count()
    {
        return buffer.getShort(offset + COUNT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * Whether this header's session equals {@code session}.
     *
     * @param session a buffer holding a session name.
     * @param sessionOffset where the name starts in it.
     * @return true when all {@value MoldUdp64Descriptor#SESSION_LENGTH} bytes match.
     */
    public boolean sessionEquals(final DirectBuffer session, final int sessionOffset)
    {
        final DirectBuffer buffer = this.buffer;
        final int start = offset + SESSION_OFFSET;
        for (int i = 0; i < SESSION_LENGTH; i++)
        {
            if (buffer.getByte(start + i) != session.getByte(sessionOffset + i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies the session into {@code destination}.
     *
     * @param destination where to.
     * @param destinationOffset at which offset.
     */
    public void getSession(final MutableDirectBuffer destination, final int destinationOffset)
    {
        destination.putBytes(destinationOffset, buffer, offset + SESSION_OFFSET, SESSION_LENGTH);
    }

    /**
     * The session as text, trailing spaces removed. Allocates: for tests and the in-band side only.
     *
     * @return the session name.
     */
    public String sessionText()
    {
        return buffer.getStringWithoutLengthAscii(offset + SESSION_OFFSET, SESSION_LENGTH).stripTrailing();
    }

    /**
     * Writes the session from a buffer holding its {@value MoldUdp64Descriptor#SESSION_LENGTH} bytes.
     *
     * @param session source.
     * @param sessionOffset where the name starts in it.
     * @return this.
     */
    public MoldUdp64HeaderFlyweight session(final DirectBuffer session, final int sessionOffset)
    {
        mutableBuffer.putBytes(offset + SESSION_OFFSET, session, sessionOffset, SESSION_LENGTH);
        return this;
    }

    /**
     * Writes the sequence number.
     *
     * @param sequence the number.
     * @return this.
     */
    public MoldUdp64HeaderFlyweight sequence(final long sequence)
    {
        mutableBuffer.putLong(offset + SEQUENCE_OFFSET, sequence, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * Writes the count.
     *
     * @param count 0 to 65535.
     * @return this.
     */
    public MoldUdp64HeaderFlyweight count(final int count)
    {
        mutableBuffer.putShort(offset + COUNT_OFFSET, (short)count, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * Encodes a session name as its space-padded {@value MoldUdp64Descriptor#SESSION_LENGTH} bytes, in-band.
     *
     * @param session the name, checked by {@link MoldUdp64Descriptor#checkSession}.
     * @param destination where to.
     * @param destinationOffset at which offset.
     */
    public static void encodeSession(final String session, final MutableDirectBuffer destination, final int destinationOffset)
    {
        MoldUdp64Descriptor.checkSession(session);
        for (int i = 0; i < SESSION_LENGTH; i++)
        {
            destination.putByte(destinationOffset + i, (byte)(i < session.length() ? session.charAt(i) : ' '));
        }
    }
}
