package org.oobnet.example.seqmsg;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The seqmsg header, right after the Ethernet header (EtherType {@link #ETHER_TYPE}), big-endian on the wire.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  |   version=1   |     type      |            stream             |  0
 *  +---------------+---------------+-------------------------------+
 *  |                        payload length                         |  4
 *  +---------------------------------------------------------------+
 *  |                      sequence (64 bits)                       |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                         aux (64 bits)                         | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      payload ...                              | 24
 * </pre>
 * {@code sequence} and {@code aux} by type: DATA and RETRANSMIT: the message's sequence, aux 0; HEARTBEAT: the
 * highest sequence sent so far; NAK: the first and last sequence wanted; UNAVAILABLE: the first sequence asked
 * for and, in aux, the oldest sequence the sender still holds.
 * <b>Note:</b> a flyweight: not thread safe, reused by its owner (the stage).
 */
public final class SeqMsgHeaderFlyweight
{
    /** IEEE 802 local experimental EtherType 1. */
    public static final int ETHER_TYPE = 0x88B5;
    /** The protocol version this code speaks. */
    public static final int VERSION = 1;
    /** A new message. */
    public static final int TYPE_DATA = 1;
    /** The sender is alive; its highest sequence so far. */
    public static final int TYPE_HEARTBEAT = 2;
    /** A receiver asks for a range again. */
    public static final int TYPE_NAK = 3;
    /** A message sent again, answering a NAK. */
    public static final int TYPE_RETRANSMIT = 4;
    /** The sender's history no longer holds the start of a NAK'd range. */
    public static final int TYPE_UNAVAILABLE = 5;

    /** Offset of the version. */
    public static final int VERSION_OFFSET = 0;
    /** Offset of the type. */
    public static final int TYPE_OFFSET = 1;
    /** Offset of the stream. */
    public static final int STREAM_OFFSET = 2;
    /** Offset of the payload length. */
    public static final int LENGTH_OFFSET = 4;
    /** Offset of the sequence. */
    public static final int SEQUENCE_OFFSET = 8;
    /** Offset of aux. */
    public static final int AUX_OFFSET = 16;
    /** Length of the header, where the payload starts. */
    public static final int HEADER_LENGTH = 24;

    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer the frame's buffer (a TX ring frame, or an RX frame view: read only then).
     * @param offset where the header starts.
     * @return this.
     */
    public SeqMsgHeaderFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** @return the version. */
    public int version()
    {
        return buffer.getByte(offset + VERSION_OFFSET) & 0xFF;
    }

    /** @return the type. */
    public int type()
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    /** @return the stream. */
    public int stream()
    {
        return buffer.getShort(offset + STREAM_OFFSET, ORDER) & 0xFFFF;
    }

    /** @return the payload length. */
    public int payloadLength()
    {
        return buffer.getInt(offset + LENGTH_OFFSET, ORDER);
    }

    /** @return the sequence. */
    public long sequence()
    {
        return buffer.getLong(offset + SEQUENCE_OFFSET, ORDER);
    }

    /** @return aux. */
    public long aux()
    {
        return buffer.getLong(offset + AUX_OFFSET, ORDER);
    }

    /**
     * Writes a whole header; the wrapped buffer must be a {@link MutableDirectBuffer}.
     *
     * @param type          the type.
     * @param stream        the stream.
     * @param payloadLength the payload's length.
     * @param sequence      the sequence.
     * @param aux           aux.
     * @return {@link #HEADER_LENGTH}.
     */
    public int put(final int type, final int stream, final int payloadLength, final long sequence, final long aux)
    {
        final MutableDirectBuffer buffer = (MutableDirectBuffer)this.buffer;
        final int offset = this.offset;
        buffer.putByte(offset + VERSION_OFFSET, (byte)VERSION);
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
        buffer.putShort(offset + STREAM_OFFSET, (short)stream, ORDER);
        buffer.putInt(offset + LENGTH_OFFSET, payloadLength, ORDER);
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence, ORDER);
        buffer.putLong(offset + AUX_OFFSET, aux, ORDER);
        return HEADER_LENGTH;
    }
}
