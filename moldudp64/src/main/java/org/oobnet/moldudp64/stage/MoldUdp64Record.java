package org.oobnet.moldudp64.stage;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * What a subscribing MoldUDP64 feed socket delivers (to its stage receive handler, or into its receive ring):
 * one record per event, a 24-byte header in native byte order followed, for a message, by the message's bytes.
 * <pre>
 *   0: kind (i32)   {@link #MESSAGE}, {@link #LOST}, {@link #SESSION} or {@link #END_OF_SESSION}
 *   4: line (i32)   MESSAGE: the line whose copy won (lineCount = the request server); else 0
 *   8: sequence     MESSAGE: its sequence number; LOST: the first lost; SESSION, END_OF_SESSION: the next expected
 *  16: value        MESSAGE: the packet's RX timestamp (ns); LOST: how many were lost; else 0
 *  24: data         MESSAGE: the message; SESSION: the 10-byte session name
 * </pre>
 * A session's records account for every sequence number once: each is in a MESSAGE or in a LOST range.
 * <p>
 * <b>Note:</b> stateless; the readers are allocation-free.
 */
public final class MoldUdp64Record
{
    /** A message, delivered once and in order. */
    public static final int MESSAGE = 1;
    /** A range no line delivered and the request server did not send in time. */
    public static final int LOST = 2;
    /** A session was taken up (the first, or after a session change). */
    public static final int SESSION = 3;
    /** The session ended; everything before it was delivered or reported lost. */
    public static final int END_OF_SESSION = 4;
    /** The header's length: the message's data starts here. */
    public static final int HEADER_LENGTH = 24;

    private static final int KIND_OFFSET = 0;
    private static final int LINE_OFFSET = 4;
    private static final int SEQUENCE_OFFSET = 8;
    private static final int VALUE_OFFSET = 16;

    private MoldUdp64Record()
    {
    }

    /**
     * Writes a record's header.
     *
     * @param buffer   where.
     * @param offset   where it starts.
     * @param kind     the kind.
     * @param line     the line (MESSAGE), else 0.
     * @param sequence the sequence number.
     * @param value    the RX timestamp (MESSAGE), the count (LOST), else 0.
     */
    public static void writeHeader(
        final MutableDirectBuffer buffer, final int offset, final int kind, final int line, final long sequence,
        final long value)
    {
        buffer.putInt(offset + KIND_OFFSET, kind);
        buffer.putInt(offset + LINE_OFFSET, line);
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence);
        buffer.putLong(offset + VALUE_OFFSET, value);
    }

    /**
     * Writes a MESSAGE record: its header, then the message's bytes.
     *
     * @param record        where.
     * @param line          the line that delivered it.
     * @param sequence      its sequence number.
     * @param rxTimestampNs its packet's RX timestamp.
     * @param message       the message's buffer.
     * @param offset        where the message starts.
     * @param length        its length.
     * @return the record's length, header included.
     */
    public static int writeMessage(
        final MutableDirectBuffer record, final int line, final long sequence, final long rxTimestampNs,
        final DirectBuffer message, final int offset, final int length)
    {
        writeHeader(record, 0, MESSAGE, line, sequence, rxTimestampNs);
        record.putBytes(HEADER_LENGTH, message, offset, length);
        return HEADER_LENGTH + length;
    }

    /**
     * @param buffer a delivered record's buffer.
     * @param offset where the record starts.
     * @return its kind.
     */
    public static int kind(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + KIND_OFFSET);
    }

    /**
     * @param buffer a delivered record's buffer.
     * @param offset where the record starts.
     * @return the line whose copy won (MESSAGE).
     */
    public static int line(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + LINE_OFFSET);
    }

    /**
     * @param buffer a delivered record's buffer.
     * @param offset where the record starts.
     * @return the sequence number (see the layout).
     */
    public static long sequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SEQUENCE_OFFSET);
    }

    /**
     * @param buffer a delivered record's buffer.
     * @param offset where the record starts.
     * @return the RX timestamp of a MESSAGE, in the clock the stage's receive path gives.
     */
    public static long rxTimestampNs(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + VALUE_OFFSET);
    }

    /**
     * @param buffer a delivered record's buffer.
     * @param offset where the record starts.
     * @return how many were lost (LOST).
     */
    public static long count(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + VALUE_OFFSET);
    }
}
