package org.oobnet.moldudp64.publish;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.moldudp64.DownstreamPacketBuilder;
import org.oobnet.moldudp64.MoldUdp64Descriptor;
import org.oobnet.moldudp64.MoldUdp64DropCounters;
import org.oobnet.moldudp64.MoldUdp64DropReason;
import org.oobnet.moldudp64.RequestPacketParser;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * A MoldUDP64 request server: answers each well-formed request for its session with one downstream packet,
 * sent unicast to the requester, holding the stored messages from the requested sequence number on, as many as
 * were asked for and fit in {@code packetCapacity}. Malformed requests are counted by reason and dropped;
 * requests for another session or past the store are counted and not answered.
 * <p>
 * <b>Note:</b> not thread safe; runs on the publisher's thread. In-band, on a kernel UDP socket.
 */
public final class MoldUdp64RequestServer implements AutoCloseable
{
    private final DatagramChannel channel;
    private final DirectBuffer session;
    private final MoldUdp64MessageStore store;
    private final int packetCapacity;
    private final ByteBuffer requestBytes = ByteBuffer.allocateDirect(MoldUdp64Descriptor.MAX_PACKET_LENGTH);
    private final UnsafeBuffer request = new UnsafeBuffer(requestBytes);
    private final ByteBuffer responseBytes;
    private final UnsafeBuffer response;
    private final DownstreamPacketBuilder builder = new DownstreamPacketBuilder();
    private final MoldUdp64DropCounters drops = new MoldUdp64DropCounters();
    private final RequestPacketParser parser = new RequestPacketParser(drops);
    private long answered;
    private long messagesSent;
    private long wrongSession;
    private long beyondStore;

    /**
     * A request server.
     *
     * @param channel        a bound, non-blocking, unconnected UDP socket.
     * @param session        buffer holding the session's 10 bytes at offset 0.
     * @param store          the messages to answer from.
     * @param packetCapacity the largest response, header included.
     */
    public MoldUdp64RequestServer(
        final DatagramChannel channel, final DirectBuffer session, final MoldUdp64MessageStore store, final int packetCapacity)
    {
        this.channel = channel;
        this.session = session;
        this.store = store;
        this.packetCapacity = packetCapacity;
        this.responseBytes = ByteBuffer.allocateDirect(packetCapacity);
        this.response = new UnsafeBuffer(responseBytes);
    }

    /**
     * Answers the requests waiting on the socket.
     *
     * @param limit the most requests to take in this call.
     * @return requests taken.
     * @throws IOException from the socket.
     */
    public int poll(final int limit) throws IOException
    {
        int work = 0;
        while (work < limit)
        {
            requestBytes.clear();
            final SocketAddress requester = channel.receive(requestBytes);
            if (null == requester)
            {
                break;
            }
            work++;
            serve(requester, requestBytes.position());
        }
        return work;
    }

    private void serve(final SocketAddress requester, final int length) throws IOException
    {
        if (MoldUdp64DropReason.NONE != parser.parse(request, 0, length))
        {
            return;
        }
        if (!parser.header().sessionEquals(session, 0))
        {
            wrongSession++;
            return;
        }
        builder.start(response, 0, packetCapacity, session, 0, parser.sequence());
        final int count = store.appendTo(builder, parser.sequence(), parser.count());
        if (0 == count)
        {
            beyondStore++;
            return;
        }
        responseBytes.clear().limit(builder.length());
        PublishedLine.sendFully(channel, responseBytes, requester);
        answered++;
        messagesSent += count;
    }

    /** @return requests answered. */
    public long answered()
    {
        return answered;
    }

    /** @return messages sent in answers. */
    public long messagesSent()
    {
        return messagesSent;
    }

    /** @return well-formed requests for another session. */
    public long wrongSession()
    {
        return wrongSession;
    }

    /** @return well-formed requests for messages not stored (yet). */
    public long beyondStore()
    {
        return beyondStore;
    }

    /** @return requests by parse outcome. */
    public MoldUdp64DropCounters drops()
    {
        return drops;
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
