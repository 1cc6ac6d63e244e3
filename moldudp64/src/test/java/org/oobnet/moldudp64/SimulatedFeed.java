package org.oobnet.moldudp64;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A session's packets built with the real {@link DownstreamPacketBuilder}, messages of seeded lengths whose
 * payload starts with their sequence number, and a request server's answers from the same messages.
 */
final class SimulatedFeed
{
    final UnsafeBuffer session = new UnsafeBuffer(new byte[MoldUdp64Descriptor.SESSION_LENGTH]);
    final List<byte[]> packets = new ArrayList<>();
    final List<byte[]> messages = new ArrayList<>(); // index 0 is sequence 1
    private final DownstreamPacketBuilder builder = new DownstreamPacketBuilder();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[MoldUdp64Descriptor.MAX_PACKET_LENGTH]);

    SimulatedFeed(final String sessionName, final long messageCount, final int maxPerPacket, final Random random)
    {
        MoldUdp64HeaderFlyweight.encodeSession(sessionName, session, 0);
        for (long sequence = 1; sequence <= messageCount; sequence++)
        {
            final byte[] message = new byte[8 + random.nextInt(24)];
            random.nextBytes(message);
            new UnsafeBuffer(message).putLong(0, sequence, ByteOrder.BIG_ENDIAN);
            messages.add(message);
        }
        long sequence = 1;
        while (sequence <= messageCount)
        {
            final int inPacket = 1 + random.nextInt(maxPerPacket);
            packets.add(packet(sequence, inPacket, 1400));
            sequence += Math.min(inPacket, messageCount - sequence + 1);
        }
    }

    /** Packet of up to {@code count} messages from {@code sequence}, within {@code capacity} bytes. */
    byte[] packet(final long sequence, final int count, final int capacity)
    {
        builder.start(scratch, 0, capacity, session, 0, sequence);
        for (long s = sequence; s < sequence + count && s <= messages.size(); s++)
        {
            final byte[] message = messages.get((int)(s - 1));
            if (!builder.tryAppend(new UnsafeBuffer(message), 0, message.length))
            {
                break;
            }
        }
        return Arrays.copyOf(scratch.byteArray(), builder.length());
    }

    byte[] heartbeat()
    {
        builder.start(scratch, 0, 1400, session, 0, messages.size() + 1);
        return Arrays.copyOf(scratch.byteArray(), builder.heartbeat());
    }

    byte[] endOfSession()
    {
        builder.start(scratch, 0, 1400, session, 0, messages.size() + 1);
        return Arrays.copyOf(scratch.byteArray(), builder.endOfSession());
    }
}
