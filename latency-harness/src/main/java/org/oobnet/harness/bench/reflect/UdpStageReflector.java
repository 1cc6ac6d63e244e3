package org.oobnet.harness.bench.reflect;

import java.util.concurrent.atomic.AtomicLong;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobSocket;
import org.oobnet.harness.bench.msg.SockperfReply;
import org.oobnet.udp.UdpAddressHeader;

/**
 * The sockperf reflector on the OOB stage for OOB UDP sockets: each received record (sender in its
 * {@link UdpAddressHeader}, the message after it) is copied once into a pre-allocated buffer, turned into its reply
 * by {@link SockperfReply}, and sent back to the sender with {@code oobSend}. Malformed messages are counted and
 * dropped; so an unmodified {@code sockperf ping-pong} can measure the OOB paths too.
 * <p>
 * <b>Note:</b> {@link #onMessage} runs on the stage, allocation-free; the counters are read in-band.
 */
public final class UdpStageReflector implements OobReceiveHandler
{
    private static final int MAX_RECORD = UdpAddressHeader.LENGTH + 65_536;

    private final UnsafeBuffer record = new UnsafeBuffer(new byte[MAX_RECORD]);
    private final java.nio.ByteBuffer message;
    private final SockperfReply reply = new SockperfReply();
    private final AtomicLong replied = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();

    /**
     * Creates the reflector and its buffers.
     */
    public UdpStageReflector()
    {
        message = java.nio.ByteBuffer.wrap(record.byteArray(), UdpAddressHeader.LENGTH,
            MAX_RECORD - UdpAddressHeader.LENGTH).slice();
    }

    @Override
    public void onMessage(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < UdpAddressHeader.LENGTH || length > MAX_RECORD)
        {
            malformed.lazySet(malformed.get() + 1);
            return;
        }
        record.putBytes(0, buffer, offset, length);
        final int action = reply.apply(message, length - UdpAddressHeader.LENGTH);
        if (action == SockperfReply.REPLY)
        {
            // the record's header still names the sender: the reply goes back to it
            if (socket.oobSend(record, 0, length) < 0)
            {
                sendFailures.lazySet(sendFailures.get() + 1);
                return;
            }
            socket.protocol().flush(socket, System.nanoTime());
            replied.lazySet(replied.get() + 1);
        }
        else if (action == SockperfReply.MALFORMED)
        {
            malformed.lazySet(malformed.get() + 1);
        }
        else
        {
            ignored.lazySet(ignored.get() + 1);
        }
    }

    /**
     * @return a one-line account of what was answered and dropped.
     */
    public String counts()
    {
        return "replied=" + replied.get() + " ignored=" + ignored.get() + " malformed=" + malformed.get() +
            " send failures=" + sendFailures.get();
    }
}
