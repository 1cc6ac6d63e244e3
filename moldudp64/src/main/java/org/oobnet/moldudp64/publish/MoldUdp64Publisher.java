package org.oobnet.moldudp64.publish;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.moldudp64.DownstreamPacketBuilder;
import org.oobnet.moldudp64.MoldUdp64Descriptor;
import org.oobnet.moldudp64.MoldUdp64HeaderFlyweight;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A MoldUDP64 publisher for tests and demos: packs messages into downstream packets of at most
 * {@code packetCapacity} bytes, sends each packet on every line (A/B: the same packet on two groups), stores every
 * message for the request server, and sends heartbeats and the end of session.
 * <p>
 * <b>Note:</b> not thread safe; one thread publishes (and serves requests from the same store). In-band, kernel
 * UDP sockets.
 */
public final class MoldUdp64Publisher implements AutoCloseable
{
    private final UnsafeBuffer session = new UnsafeBuffer(new byte[MoldUdp64Descriptor.SESSION_LENGTH]);
    private final MoldUdp64MessageStore store;
    private final List<PublishedLine> lines;
    private final int packetCapacity;
    private final ByteBuffer packetBytes;
    private final UnsafeBuffer packet;
    private final DownstreamPacketBuilder builder = new DownstreamPacketBuilder();
    private long packetsSent;

    /**
     * A publisher.
     *
     * @param sessionName    the session, up to 10 printable ASCII characters.
     * @param store          where every message is kept (empty: the session starts at sequence 1).
     * @param packetCapacity the largest packet, header included (the path's UDP payload: 1400 is Nassau's).
     * @param lines          the lines every packet goes to.
     */
    public MoldUdp64Publisher(
        final String sessionName, final MoldUdp64MessageStore store, final int packetCapacity, final List<PublishedLine> lines)
    {
        if (packetCapacity < MoldUdp64Descriptor.HEADER_LENGTH + 2 || packetCapacity > MoldUdp64Descriptor.MAX_PACKET_LENGTH)
        {
            throw new IllegalArgumentException("packetCapacity=" + packetCapacity + " must be 22 to " +
                MoldUdp64Descriptor.MAX_PACKET_LENGTH);
        }
        MoldUdp64HeaderFlyweight.encodeSession(sessionName, session, 0);
        this.store = store;
        this.lines = List.copyOf(lines);
        this.packetCapacity = packetCapacity;
        this.packetBytes = ByteBuffer.allocateDirect(packetCapacity);
        this.packet = new UnsafeBuffer(packetBytes);
        startPacket();
    }

    /**
     * Publishes one message: stores it and adds it to the packet being filled, sending that packet first when
     * the message does not fit.
     *
     * @param message the data.
     * @param offset where it starts.
     * @param length its length.
     * @return the message's sequence number.
     * @throws IOException from a line's socket.
     */
    public long publish(final DirectBuffer message, final int offset, final int length) throws IOException
    {
        if (length + MoldUdp64Descriptor.HEADER_LENGTH + 2 > packetCapacity)
        {
            throw new IllegalArgumentException("length=" + length + " does not fit a packet of " + packetCapacity + " bytes");
        }
        if (!builder.tryAppend(message, offset, length))
        {
            flush();
            builder.tryAppend(message, offset, length);
        }
        return store.append(message, offset, length);
    }

    /**
     * Sends the packet being filled, if it holds any message.
     *
     * @throws IOException from a line's socket.
     */
    public void flush() throws IOException
    {
        if (builder.messageCount() > 0)
        {
            sendPacket(builder.length());
            startPacket();
        }
    }

    /**
     * Flushes, then sends a heartbeat carrying the next sequence number.
     *
     * @throws IOException from a line's socket.
     */
    public void heartbeat() throws IOException
    {
        flush();
        sendPacket(builder.heartbeat());
        startPacket();
    }

    /**
     * Flushes, then sends the end of session, and any packet a line held back.
     *
     * @throws IOException from a line's socket.
     */
    public void endOfSession() throws IOException
    {
        flush();
        sendPacket(builder.endOfSession());
        startPacket();
        for (int i = 0; i < lines.size(); i++)
        {
            lines.get(i).flushHeld();
        }
    }

    /**
     * The session's 10 bytes, for the request server.
     *
     * @return a buffer holding them at offset 0.
     */
    public DirectBuffer session()
    {
        return session;
    }

    /**
     * Packets handed to the lines (each line applies its faults).
     *
     * @return the count.
     */
    public long packetsSent()
    {
        return packetsSent;
    }

    private void startPacket()
    {
        builder.start(packet, 0, packetCapacity, session, 0, store.size() + 1);
    }

    private void sendPacket(final int length) throws IOException
    {
        packetBytes.clear().limit(length);
        for (int i = 0; i < lines.size(); i++)
        {
            lines.get(i).send(packetBytes);
        }
        packetsSent++;
    }

    @Override
    public void close() throws IOException
    {
        for (int i = 0; i < lines.size(); i++)
        {
            lines.get(i).close();
        }
    }
}
