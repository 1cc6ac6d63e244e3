package org.oobnet.example.quickstart;

import java.util.concurrent.atomic.AtomicLong;

import org.agrona.DirectBuffer;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.Errno;

/**
 * Echoes each datagram an OOB UDP socket receives back to its sender, from the OOB stage.
 * <p>
 * <b>Note:</b> {@link #onMessage} runs on the stage and does not allocate; the counts are read in-band.
 */
// tag::handler[]
public final class EchoHandler implements OobReceiveHandler
{
    private final AtomicLong echoed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /**
     * Stage: the record is the sender (oob-udp's UdpAddressHeader, 8 bytes) followed by the payload, so
     * sending the record back as it is answers the sender with the same payload.
     */
    @Override
    public void onMessage(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
    {
        final int rc = socket.oobSend(buffer, offset, length);
        // -EINPROGRESS: the sender's MAC address was not known yet; the in-band side resolves it and sends this
        // reply, and the next ones take the fast path
        if (rc < 0 && rc != -Errno.EINPROGRESS)
        {
            // the TX ring is full or there is no route back: counted, never waited for on the stage
            failed.lazySet(failed.get() + 1);
            return;
        }
        socket.protocol().flush(socket, System.nanoTime());
        // release: the count for in-band readers; only the stage writes it
        echoed.lazySet(echoed.get() + 1);
    }
    // end::handler[]

    /**
     * @return datagrams echoed so far.
     */
    public long echoed()
    {
        return echoed.get();
    }

    /**
     * @return datagrams that could not be echoed.
     */
    public long failed()
    {
        return failed.get();
    }
}
