package org.oobnet.moldudp64;

import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.moldudp64.publish.MoldUdp64RequestServer;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * A relay between a receiver and a request server on loopback that records every request and its answer, and drops
 * requests and answers as the test decides. One thread runs the receiver, the relay and the server in turn: each
 * request is forwarded, answered and its answer forwarded (or dropped) before the receiver polls again, so a
 * request is never in flight when the next poll runs; a request the relay drops, or whose answer it drops, shows
 * only by its timeout.
 */
final class RequestRelay implements AutoCloseable
{
    /** One request the receiver sent, with what became of it. */
    static final class Request
    {
        final long from;
        final int count;
        final long pollStartNs; // the receiver's poll that sent it ran in [pollStartNs, pollEndNs]
        final long pollEndNs;
        boolean requestDropped;
        boolean answerDropped;
        long answerFrom = -1;
        int answerCount;

        Request(final long from, final int count, final long pollStartNs, final long pollEndNs)
        {
            this.from = from;
            this.count = count;
            this.pollStartNs = pollStartNs;
            this.pollEndNs = pollEndNs;
        }

        /** Whether the answer reached the receiver carrying {@code sequence}. */
        boolean delivered(final long sequence)
        {
            return !requestDropped && !answerDropped && sequence >= answerFrom && sequence < answerFrom + answerCount;
        }

        @Override
        public String toString()
        {
            return from + "+" + count + (requestDropped ? " request dropped" : answerDropped ? " answer dropped" :
                " answered " + answerFrom + "+" + answerCount);
        }
    }

    final List<Request> requests = new ArrayList<>();
    long answerMessagesDropped;
    private final DatagramChannel receiverSide;
    private final DatagramChannel serverSide;
    private final SocketAddress server;
    private final LongPredicate dropRequest;
    private final LongPredicate dropAnswer;
    private final ByteBuffer bytes = ByteBuffer.allocateDirect(MoldUdp64Descriptor.MAX_PACKET_LENGTH);
    private final UnsafeBuffer view = new UnsafeBuffer(bytes);
    private SocketAddress receiver;

    /**
     * @param server      the request server's address.
     * @param dropRequest given the request's index (0, 1, ...): whether to drop it.
     * @param dropAnswer  given the request's index: whether to drop its answer.
     */
    RequestRelay(final SocketAddress server, final LongPredicate dropRequest, final LongPredicate dropAnswer)
        throws IOException
    {
        this.receiverSide = MulticastSockets.unicast("127.0.0.1", 0);
        this.serverSide = MulticastSockets.unicast("127.0.0.1", 0);
        this.server = server;
        this.dropRequest = dropRequest;
        this.dropAnswer = dropAnswer;
    }

    /** Where the receiver sends its requests. */
    SocketAddress address() throws IOException
    {
        return receiverSide.getLocalAddress();
    }

    /**
     * Serves every request the receiver's last poll sent.
     *
     * @param pollStartNs when that poll started.
     * @param pollEndNs   when it ended.
     * @param requestServer the server behind the relay, polled here.
     */
    void pump(final long pollStartNs, final long pollEndNs, final MoldUdp64RequestServer requestServer)
        throws IOException
    {
        while (true)
        {
            bytes.clear();
            final SocketAddress from = receiverSide.receive(bytes);
            if (null == from)
            {
                return;
            }
            receiver = from;
            final Request request = new Request(view.getLong(10, ByteOrder.BIG_ENDIAN),
                view.getShort(18, ByteOrder.BIG_ENDIAN) & 0xFFFF, pollStartNs, pollEndNs);
            final int index = requests.size();
            requests.add(request);
            if (dropRequest.test(index))
            {
                request.requestDropped = true;
                continue;
            }
            bytes.flip();
            serverSide.send(bytes, server);
            requestServer.poll(1);
            bytes.clear();
            if (null == serverSide.receive(bytes)) // on loopback the answer is queued as the server's send returns
            {
                continue;
            }
            request.answerFrom = view.getLong(10, ByteOrder.BIG_ENDIAN);
            request.answerCount = view.getShort(18, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (dropAnswer.test(index))
            {
                request.answerDropped = true;
                answerMessagesDropped += request.answerCount;
                continue;
            }
            bytes.flip();
            receiverSide.send(bytes, receiver);
        }
    }

    @Override
    public void close() throws IOException
    {
        receiverSide.close();
        serverSide.close();
    }
}
