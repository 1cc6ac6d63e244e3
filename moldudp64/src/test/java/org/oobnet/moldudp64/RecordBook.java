package org.oobnet.moldudp64;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobSocket;
import org.oobnet.moldudp64.stage.MoldUdp64Record;

/**
 * A stage receive handler on a subscribing feed socket that keeps exact books from its {@link MoldUdp64Record}s:
 * every sequence number once, in order, in a message or a lost range; each message's payload starts with its own
 * sequence number. A broken book is remembered (no throw on the stage) and read by the test thread.
 */
final class RecordBook implements OobReceiveHandler
{
    volatile long delivered;
    volatile long lost;
    volatile long next = -1;
    volatile long endOfSession = -1;
    volatile String broken;
    volatile long sessions;
    volatile long lastRxTimestampNs;

    @Override
    public void onMessage(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
    {
        final long sequence = MoldUdp64Record.sequence(buffer, offset);
        switch (MoldUdp64Record.kind(buffer, offset))
        {
            case MoldUdp64Record.SESSION ->
            {
                sessions = sessions + 1;
                next = sequence;
            }
            case MoldUdp64Record.MESSAGE ->
            {
                if (sequence != next && null == broken)
                {
                    broken = "delivered " + sequence + " but expected " + next;
                }
                final long payload = buffer.getLong(offset + MoldUdp64Record.HEADER_LENGTH, ByteOrder.BIG_ENDIAN);
                if (payload != sequence && null == broken)
                {
                    broken = "message " + sequence + " carries " + payload;
                }
                lastRxTimestampNs = MoldUdp64Record.rxTimestampNs(buffer, offset);
                next = sequence + 1;
                delivered = delivered + 1;
            }
            case MoldUdp64Record.LOST ->
            {
                if (sequence != next && null == broken)
                {
                    broken = "lost from " + sequence + " but expected " + next;
                }
                final long count = MoldUdp64Record.count(buffer, offset);
                next = sequence + count;
                lost = lost + count;
            }
            case MoldUdp64Record.END_OF_SESSION ->
            {
                if (sequence != next && null == broken)
                {
                    broken = "end of session at " + sequence + " but expected " + next;
                }
                endOfSession = sequence;
            }
            default ->
            {
                if (null == broken)
                {
                    broken = "unknown record kind " + MoldUdp64Record.kind(buffer, offset);
                }
            }
        }
    }

    String books()
    {
        return "delivered=" + delivered + " lost=" + lost + " next=" + next + " endOfSession=" + endOfSession +
            " sessions=" + sessions + " broken=" + broken;
    }
}
