package org.oobnet.soupbintcp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * SoupBinTCP's fixed-width ASCII fields: alpha fields padded with spaces (usernames and passwords on the right,
 * sessions on the left), numbers as decimal digits padded with spaces on the left. Allocation free.
 */
final class AsciiFields
{
    private static final byte SPACE = ' ';

    private AsciiFields()
    {
    }

    /** Writes {@code value} left-justified, spaces after (a value longer than the field is cut). */
    static void putLeft(final MutableDirectBuffer buffer, final int offset, final int width, final byte[] value)
    {
        final int n = Math.min(width, value.length);
        buffer.putBytes(offset, value, 0, n);
        buffer.setMemory(offset + n, width - n, SPACE);
    }

    /** Writes {@code value} right-justified, spaces before. */
    static void putRight(final MutableDirectBuffer buffer, final int offset, final int width, final byte[] value)
    {
        final int n = Math.min(width, value.length);
        buffer.setMemory(offset, width - n, SPACE);
        buffer.putBytes(offset + width - n, value, 0, n);
    }

    /** Writes a non-negative number right-justified in decimal, spaces before. */
    static void putNumber(final MutableDirectBuffer buffer, final int offset, final int width, final long value)
    {
        long rest = value;
        int position = offset + width - 1;
        do
        {
            buffer.putByte(position--, (byte)('0' + (rest % 10)));
            rest /= 10;
        }
        while (rest > 0 && position >= offset);
        while (position >= offset)
        {
            buffer.putByte(position--, SPACE);
        }
    }

    /**
     * Reads a number: spaces, decimal digits, spaces; all spaces reads 0.
     *
     * @return the value, or -1 when the field holds anything else (or more than 18 digits).
     */
    static long parseNumber(final DirectBuffer buffer, final int offset, final int width)
    {
        final int end = offset + width;
        int position = offset;
        while (position < end && SPACE == buffer.getByte(position))
        {
            position++;
        }
        long value = 0;
        int digits = 0;
        while (position < end)
        {
            final byte b = buffer.getByte(position);
            if (b < '0' || b > '9')
            {
                break;
            }
            value = value * 10 + (b - '0');
            digits++;
            position++;
        }
        while (position < end && SPACE == buffer.getByte(position))
        {
            position++;
        }
        return position != end || digits > 18 ? -1 : value;
    }

    /** Whether the field, spaces on either side left out, equals {@code expected} (ASCII, case sensitive). */
    static boolean equalsTrimmed(final DirectBuffer buffer, final int offset, final int width, final byte[] expected)
    {
        int start = offset;
        int end = offset + width;
        while (start < end && SPACE == buffer.getByte(start))
        {
            start++;
        }
        while (end > start && SPACE == buffer.getByte(end - 1))
        {
            end--;
        }
        if (end - start != expected.length)
        {
            return false;
        }
        for (int i = 0; i < expected.length; i++)
        {
            if (buffer.getByte(start + i) != expected[i])
            {
                return false;
            }
        }
        return true;
    }
}
