package org.oobnet.harness.soak;

import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The soak's message: stream id, sequence number, payload length and a CRC32C of the payload, then the payload
 * (bytes derived from the sequence, so corruption anywhere is seen).
 * <pre>
 *   0: stream id (int)   4: sequence (long)   12: payload length (short)   14: crc32c of payload (int)   18: payload
 * </pre>
 * <b>Note:</b> not thread safe; one per sender or receiver.
 */
final class SoakMessage
{
    static final int HEADER_LENGTH = 18;
    private final CRC32C crc = new CRC32C();
    private final byte[] scratch = new byte[2048];

    /** Writes a message at {@code offset}; returns its length. */
    int write(final MutableDirectBuffer buffer, final int offset, final int stream, final long sequence,
        final int payloadLength)
    {
        for (int i = 0; i < payloadLength; i++)
        {
            scratch[i] = (byte)(sequence * 31 + i);
        }
        crc.reset();
        crc.update(scratch, 0, payloadLength);
        buffer.putInt(offset, stream, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + 4, sequence, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 12, (short)payloadLength, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + 14, (int)crc.getValue(), ByteOrder.BIG_ENDIAN);
        buffer.putBytes(offset + HEADER_LENGTH, scratch, 0, payloadLength);
        return HEADER_LENGTH + payloadLength;
    }

    static int stream(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, ByteOrder.BIG_ENDIAN);
    }

    static long sequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + 4, ByteOrder.BIG_ENDIAN);
    }

    /** True when the payload is intact: its length fits and its CRC32C matches. */
    boolean isIntact(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            return false;
        }
        final int payloadLength = buffer.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xffff;
        if (payloadLength > length - HEADER_LENGTH || payloadLength > scratch.length)
        {
            return false;
        }
        buffer.getBytes(offset + HEADER_LENGTH, scratch, 0, payloadLength);
        crc.reset();
        crc.update(scratch, 0, payloadLength);
        return (int)crc.getValue() == buffer.getInt(offset + 14, ByteOrder.BIG_ENDIAN);
    }
}
