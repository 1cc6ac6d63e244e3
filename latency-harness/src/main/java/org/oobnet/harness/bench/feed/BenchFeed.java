package org.oobnet.harness.bench.feed;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.moldudp64.DownstreamPacketBuilder;
import org.oobnet.moldudp64.MoldUdp64Descriptor;
import org.oobnet.moldudp64.MoldUdp64HeaderFlyweight;
import org.oobnet.moldudp64.publish.MoldUdp64MessageStore;

/**
 * The session {@code oobnet feed bench} sends, built once before the first phase so that the publisher only stamps
 * and sends: every downstream packet back to back in native memory (each {@code perPacket} messages, the last
 * fewer), then one end of session; and the same messages in a {@link MoldUdp64MessageStore} for the request
 * server. Each message is its sequence number (8 bytes, big-endian), its send time ({@code CLOCK_REALTIME} ns,
 * big-endian, written by {@link #stamp} just before the packet leaves; 0 in the store, so a retransmitted copy
 * carries none), then zeros up to its size.
 * <p>
 * <b>Note:</b> built in-band; {@link #stamp} from the one publishing thread.
 */
final class BenchFeed implements AutoCloseable
{
    /** Where a message's send time is, from the message's start. */
    static final int SEND_TIME_OFFSET = 8;
    /** The smallest message: sequence number and send time. */
    static final int MIN_MESSAGE_LENGTH = 16;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment packets;
    private final UnsafeBuffer view;
    private final int[] offsets;
    private final int[] lengths;
    private final int perPacket;
    private final int messageLength;
    private final long messages;
    private final MoldUdp64MessageStore store = new MoldUdp64MessageStore();
    private final UnsafeBuffer session = new UnsafeBuffer(new byte[MoldUdp64Descriptor.SESSION_LENGTH]);

    /**
     * @param sessionName   the session.
     * @param messages      messages in the session.
     * @param perPacket     messages per packet.
     * @param messageLength each message's length, at least {@value #MIN_MESSAGE_LENGTH}.
     */
    BenchFeed(final String sessionName, final long messages, final int perPacket, final int messageLength)
    {
        final int block = 2 + messageLength;
        final int packetCount = (int)((messages + perPacket - 1) / perPacket);
        final long bytes = (long)packetCount * (MoldUdp64Descriptor.HEADER_LENGTH + (long)perPacket * block) +
            MoldUdp64Descriptor.HEADER_LENGTH;
        if (bytes > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("messages=" + messages + " of " + messageLength + " bytes take " + bytes +
                " bytes of packets, more than 2 GiB");
        }
        this.messages = messages;
        this.perPacket = perPacket;
        this.messageLength = messageLength;
        MoldUdp64HeaderFlyweight.encodeSession(sessionName, session, 0);
        this.packets = arena.allocate(bytes, 64);
        this.view = new UnsafeBuffer(packets.address(), (int)bytes);
        this.offsets = new int[packetCount + 1];
        this.lengths = new int[packetCount + 1];
        final UnsafeBuffer message = new UnsafeBuffer(new byte[messageLength]);
        final DownstreamPacketBuilder builder = new DownstreamPacketBuilder();
        int at = 0;
        long sequence = 1;
        for (int p = 0; p < packetCount; p++)
        {
            builder.start(view, at, MoldUdp64Descriptor.HEADER_LENGTH + perPacket * block, session, 0, sequence);
            for (int i = 0; i < perPacket && sequence <= messages; i++, sequence++)
            {
                message.putLong(0, sequence, ByteOrder.BIG_ENDIAN);
                store.append(message, 0, messageLength);
                if (!builder.tryAppend(message, 0, messageLength))
                {
                    throw new IllegalStateException("message " + sequence + " does not fit its packet");
                }
            }
            offsets[p] = at;
            lengths[p] = builder.length();
            at += lengths[p];
        }
        builder.start(view, at, MoldUdp64Descriptor.HEADER_LENGTH, session, 0, messages + 1);
        offsets[packetCount] = at;
        lengths[packetCount] = builder.endOfSession();
    }

    /** @return the downstream packets, the end of session not counted. */
    int packetCount()
    {
        return offsets.length - 1;
    }

    /** @return messages in the session. */
    long messages()
    {
        return messages;
    }

    /**
     * @param packet a packet's index; {@link #packetCount()} is the end of session.
     * @return its bytes, in place.
     */
    MemorySegment packet(final int packet)
    {
        return packets.asSlice(offsets[packet], lengths[packet]);
    }

    /**
     * Writes the send time into every message of packets {@code [from, to)}. Publishing thread.
     *
     * @param from   the first packet.
     * @param to     past the last.
     * @param nowNs  the send time, {@code CLOCK_REALTIME} ns.
     */
    void stamp(final int from, final int to, final long nowNs)
    {
        final int block = 2 + messageLength;
        for (int p = from; p < to; p++)
        {
            final int count = (lengths[p] - MoldUdp64Descriptor.HEADER_LENGTH) / block;
            int at = offsets[p] + MoldUdp64Descriptor.HEADER_LENGTH + 2 + SEND_TIME_OFFSET;
            for (int i = 0; i < count; i++, at += block)
            {
                view.putLong(at, nowNs, ByteOrder.BIG_ENDIAN);
            }
        }
    }

    /** @return messages per packet (the last packet may hold fewer). */
    int perPacket()
    {
        return perPacket;
    }

    /** @return every message, for the request server. */
    MoldUdp64MessageStore store()
    {
        return store;
    }

    /** @return the session's 10 bytes. */
    UnsafeBuffer session()
    {
        return session;
    }

    /**
     * @param buffer        a delivered message's buffer.
     * @param messageOffset where the message starts.
     * @return its send time, 0 when it carries none (a retransmitted copy).
     */
    static long sendTimeNs(final DirectBuffer buffer, final int messageOffset)
    {
        return buffer.getLong(messageOffset + SEND_TIME_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
