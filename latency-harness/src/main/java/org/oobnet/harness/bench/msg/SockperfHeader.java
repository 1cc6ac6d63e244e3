package org.oobnet.harness.bench.msg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Flyweight over the header of sockperf's ping-pong message, so that an unmodified {@code sockperf ping-pong} client
 * can measure against our reflector and our client against an unmodified {@code sockperf server}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 sequence number (64 bits)                     |
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |        flags (16 bits)        |    length (32 bits) ...       |
 *  +-------------------------------+-------------------------------+
 *  |  ... length                   |  payload (length - 14 bytes)  |
 *  +-------------------------------+-------------------------------+
 * </pre>
 * All fields in network byte order; 14 bytes, no padding (sockperf packs the header to 2-byte alignment). Flags:
 * {@link #FLAG_CLIENT} (sent by a client; a server clears it in its reply), {@link #FLAG_PONG_REQUEST} (reply
 * wanted), {@link #FLAG_WARMUP} (a warm-up message, never answered). {@code length} is the whole message, header
 * included, and must equal the datagram's length.
 * <p>
 * <b>Note:</b> not thread safe; one instance per thread, reused by {@link #wrap(ByteBuffer)}.
 */
public final class SockperfHeader
{
    /** Offset of the 64-bit sequence number. */
    public static final int SEQUENCE_OFFSET = 0;
    /** Offset of the 16-bit flags. */
    public static final int FLAGS_OFFSET = 8;
    /** Offset of the 32-bit message length. */
    public static final int LENGTH_OFFSET = 10;
    /** The header's length; also the smallest valid message. */
    public static final int HEADER_LENGTH = 14;

    /** Set by the client, cleared by the server in its reply. */
    public static final int FLAG_CLIENT = 1;
    /** The sender wants this message answered. */
    public static final int FLAG_PONG_REQUEST = 2;
    /** A warm-up message: counted, never answered. */
    public static final int FLAG_WARMUP = 4;

    /** {@link #check(int)}: the message is well formed. */
    public static final int VALID = 0;
    /** {@link #check(int)}: the datagram is shorter than the header. */
    public static final int SHORTER_THAN_HEADER = -1;
    /** {@link #check(int)}: the header's length field disagrees with the datagram's length. */
    public static final int LENGTH_MISMATCH = -2;

    private ByteBuffer buffer;

    /**
     * @param buffer the message at index 0 (absolute accesses; the buffer's order is set to big-endian).
     * @return this.
     */
    public SockperfHeader wrap(final ByteBuffer buffer)
    {
        buffer.order(ByteOrder.BIG_ENDIAN);
        this.buffer = buffer;
        return this;
    }

    /**
     * @return the sequence number.
     */
    public long sequence()
    {
        return buffer.getLong(SEQUENCE_OFFSET);
    }

    /**
     * @param sequence the sequence number.
     * @return this.
     */
    public SockperfHeader sequence(final long sequence)
    {
        buffer.putLong(SEQUENCE_OFFSET, sequence);
        return this;
    }

    /**
     * @return the flags, 0 to 0xFFFF.
     */
    public int flags()
    {
        return buffer.getShort(FLAGS_OFFSET) & 0xFFFF;
    }

    /**
     * @param flags the flags.
     * @return this.
     */
    public SockperfHeader flags(final int flags)
    {
        buffer.putShort(FLAGS_OFFSET, (short)flags);
        return this;
    }

    /**
     * @return the message length the header claims, 0 to 2^32-1.
     */
    public long length()
    {
        return buffer.getInt(LENGTH_OFFSET) & 0xFFFF_FFFFL;
    }

    /**
     * @param length the whole message's length, header included.
     * @return this.
     */
    public SockperfHeader length(final int length)
    {
        buffer.putInt(LENGTH_OFFSET, length);
        return this;
    }

    /**
     * Writes a whole header.
     *
     * @param sequence the sequence number.
     * @param flags    the flags.
     * @param length   the whole message's length.
     * @return this.
     */
    public SockperfHeader encode(final long sequence, final int flags, final int length)
    {
        return sequence(sequence).flags(flags).length(length);
    }

    /**
     * @param flag one of the {@code FLAG_*} bits.
     * @return whether it is set.
     */
    public boolean has(final int flag)
    {
        return (flags() & flag) != 0;
    }

    /**
     * Checks a received datagram before any field is trusted. Allocation-free.
     *
     * @param datagramLength the datagram's length in the buffer.
     * @return {@link #VALID}, {@link #SHORTER_THAN_HEADER} or {@link #LENGTH_MISMATCH}.
     */
    public int check(final int datagramLength)
    {
        if (datagramLength < HEADER_LENGTH)
        {
            return SHORTER_THAN_HEADER;
        }
        if (length() != datagramLength)
        {
            return LENGTH_MISMATCH;
        }
        return VALID;
    }

    /**
     * Explains a {@link #check(int)} failure (in-band only: builds a string).
     *
     * @param result         what {@link #check(int)} returned.
     * @param datagramLength the datagram's length.
     * @return e.g. {@code "length=5 is shorter than the 14-byte sockperf header"}.
     */
    public String describe(final int result, final int datagramLength)
    {
        return switch (result)
        {
            case VALID -> "valid sockperf message of length=" + datagramLength;
            case SHORTER_THAN_HEADER -> "length=" + datagramLength + " is shorter than the " + HEADER_LENGTH +
                "-byte sockperf header";
            case LENGTH_MISMATCH -> "header length=" + length() + " at offset " + LENGTH_OFFSET +
                " does not match datagram length=" + datagramLength;
            default -> "unknown check result=" + result;
        };
    }
}
