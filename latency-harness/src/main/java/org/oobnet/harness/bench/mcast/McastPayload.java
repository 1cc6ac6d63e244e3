package org.oobnet.harness.bench.mcast;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The payload {@code oobnet mcast send} publishes and {@code oobnet mcast dump} reads (as msend/mdump do): a magic,
 * the sender's sequence number and its send time, then padding. Other payloads are counted but carry no sequence.
 * <pre>
 *  offset size field
 *     0   4  magic "OOBM"
 *     4   8  sequence, from 0 per sender run
 *    12   8  send time, ns since the epoch (CLOCK_REALTIME)
 * </pre>
 * Big-endian, as on the wire.
 */
public final class McastPayload
{
    /** "OOBM". */
    static final int MAGIC = 0x4F4F424D;
    /** The header's length: the smallest payload {@code send} publishes. */
    public static final int LENGTH = 20;

    private static final int SEQUENCE_OFFSET = 4;
    private static final int SEND_TIME_OFFSET = 12;

    private McastPayload()
    {
    }

    static void write(final MutableDirectBuffer buffer, final int offset, final long sequence, final long sendTimeNs)
    {
        buffer.putInt(offset, MAGIC, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + SEND_TIME_OFFSET, sendTimeNs, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @return the sequence, or -1 when the payload is not one of {@code send}'s.
     */
    public static long sequence(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < LENGTH || MAGIC != buffer.getInt(offset, ByteOrder.BIG_ENDIAN))
        {
            return -1;
        }
        return buffer.getLong(offset + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN);
    }
}
