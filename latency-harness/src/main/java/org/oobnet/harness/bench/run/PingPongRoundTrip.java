package org.oobnet.harness.bench.run;

import java.io.IOException;

import org.oobnet.harness.bench.msg.SockperfHeader;
import org.oobnet.harness.bench.transport.ClientEndpoint;

/**
 * A sockperf ping-pong exchange over a {@link ClientEndpoint}: sends a client message that requests a pong, and
 * waits for the reply carrying the same sequence number with the client flag cleared. Stale replies (of an exchange
 * that already timed out) and malformed datagrams are counted and skipped.
 * <p>
 * <b>Note:</b> measuring thread only; allocation-free.
 */
public final class PingPongRoundTrip implements RoundTrip
{
    private final ClientEndpoint endpoint;
    private final int sizeBytes;
    private final SockperfHeader sendHeader = new SockperfHeader();
    private final SockperfHeader receiveHeader = new SockperfHeader();
    private long stale;
    private long malformed;

    /**
     * @param endpoint  the connected endpoint.
     * @param sizeBytes the message's length, header included.
     */
    public PingPongRoundTrip(final ClientEndpoint endpoint, final int sizeBytes)
    {
        if (sizeBytes < SockperfHeader.HEADER_LENGTH || sizeBytes > endpoint.sendBuffer().capacity())
        {
            throw new IllegalArgumentException("size=" + sizeBytes + " must be between " +
                SockperfHeader.HEADER_LENGTH + " (the sockperf header) and " + endpoint.sendBuffer().capacity());
        }
        this.endpoint = endpoint;
        this.sizeBytes = sizeBytes;
        sendHeader.wrap(endpoint.sendBuffer());
        receiveHeader.wrap(endpoint.receiveBuffer());
        for (int i = SockperfHeader.HEADER_LENGTH; i < sizeBytes; i++)
        {
            endpoint.sendBuffer().put(i, (byte)i);
        }
    }

    @Override
    public boolean exchange(final long sequence) throws IOException
    {
        sendHeader.encode(sequence, SockperfHeader.FLAG_CLIENT | SockperfHeader.FLAG_PONG_REQUEST, sizeBytes);
        endpoint.send(sizeBytes);
        while (true)
        {
            final int length = endpoint.receive();
            if (length < 0)
            {
                return false;
            }
            if (receiveHeader.check(length) != SockperfHeader.VALID)
            {
                malformed++;
            }
            else if (receiveHeader.sequence() == sequence && !receiveHeader.has(SockperfHeader.FLAG_CLIENT))
            {
                return true;
            }
            else
            {
                stale++;
            }
        }
    }

    /**
     * @return replies that did not match the exchange in flight (late replies of lost exchanges).
     */
    public long stale()
    {
        return stale;
    }

    /**
     * @return malformed datagrams received.
     */
    public long malformed()
    {
        return malformed;
    }
}
