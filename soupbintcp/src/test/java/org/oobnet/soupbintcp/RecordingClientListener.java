package org.oobnet.soupbintcp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Records what a client session reports; on each sequenced message optionally answers with an unsequenced
 * {@code ORDER <sequence number>} from the stage (the trading loop's shape). Allocates: not for allocation tests.
 */
class RecordingClientListener implements SoupBinTcpClientListener
{
    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<String> status = new CopyOnWriteArrayList<>();
    private final boolean answer;

    RecordingClientListener(final boolean answer)
    {
        this.answer = answer;
    }

    @Override
    public void onLoginAccepted(final SoupBinTcpClient client, final long nextSequenceNumber)
    {
        status.add("accepted " + nextSequenceNumber);
    }

    @Override
    public void onLoginRejected(final SoupBinTcpClient client, final byte reason)
    {
        status.add("rejected " + (char)reason);
    }

    @Override
    public void onSequencedData(final SoupBinTcpClient client, final long sequenceNumber, final DirectBuffer buffer,
        final int offset, final int length)
    {
        messages.add(sequenceNumber + " " + buffer.getStringWithoutLengthAscii(offset, length));
        if (answer)
        {
            final byte[] order = ("ORDER " + sequenceNumber).getBytes();
            client.sendUnsequenced(new UnsafeBuffer(order), 0, order.length);
        }
    }

    @Override
    public void onEnded(final SoupBinTcpClient client, final SoupBinTcpEnd how)
    {
        status.add("ended " + how);
    }
}
