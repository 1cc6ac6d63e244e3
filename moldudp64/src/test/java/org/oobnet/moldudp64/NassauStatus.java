package org.oobnet.moldudp64;

import java.util.concurrent.atomic.AtomicBoolean;

import com.paritytrading.nassau.moldudp64.MoldUDP64Client;
import com.paritytrading.nassau.moldudp64.MoldUDP64ClientState;
import com.paritytrading.nassau.moldudp64.MoldUDP64ClientStatusListener;

/**
 * What the tests want to know from Nassau's {@code MoldUDP64Client}: how many requests it made, and whether it saw
 * the end of the session.
 */
final class NassauStatus implements MoldUDP64ClientStatusListener
{
    final AtomicBoolean ended = new AtomicBoolean();
    volatile long requests;

    @Override
    public void state(final MoldUDP64Client client, final MoldUDP64ClientState next)
    {
    }

    @Override
    public void downstream(final MoldUDP64Client client, final long sequenceNumber, final int messageCount)
    {
    }

    @Override
    public void request(final MoldUDP64Client client, final long sequenceNumber, final int requestedMessageCount)
    {
        requests = requests + 1; // one polling thread
    }

    @Override
    public void endOfSession(final MoldUDP64Client client)
    {
        ended.set(true);
    }
}
