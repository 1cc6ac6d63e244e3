package org.oobnet.moldudp64;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.moldudp64.inband.KernelFeedReceiver;
import org.oobnet.moldudp64.publish.LineFaults;
import org.oobnet.moldudp64.publish.MoldUdp64MessageStore;
import org.oobnet.moldudp64.publish.MoldUdp64Publisher;
import org.oobnet.moldudp64.publish.PublishedLine;

import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code KernelFeedReceiver}'s RX timestamps are on {@code CLOCK_REALTIME}, the epoch of the stage's kernel RX
 * timestamps (and of the delivery clocks that latency figures subtract them from), not {@code System.nanoTime()}.
 */
class KernelFeedReceiverClockTest
{
    @Test
    void shouldStampEachPacketOnTheRealtimeClock() throws Exception
    {
        final List<Long> stamps = new ArrayList<>();
        final MoldUdp64Handler handler = new MoldUdp64Handler()
        {
            @Override
            public void onMessage(final long sequence, final DirectBuffer buffer, final int offset, final int length,
                final int line, final long rxTimestampNs)
            {
                stamps.add(rxTimestampNs);
            }

            @Override
            public void onLost(final long fromSequence, final long count)
            {
            }

            @Override
            public void onSession(final DirectBuffer session, final int offset, final long nextSequence)
            {
            }

            @Override
            public void onEndOfSession(final long nextSequence)
            {
            }
        };
        try (DatagramChannel line = MulticastSockets.unicast("127.0.0.1", 0);
            KernelFeedReceiver receiver = new KernelFeedReceiver(MoldUdp64ReceiverConfig.defaults(1), handler,
                List.of(line), MulticastSockets.unicast("127.0.0.1", 0), line.getLocalAddress());
            MoldUdp64Publisher publisher = new MoldUdp64Publisher("CLOCK", new MoldUdp64MessageStore(), 1400,
                List.of(new PublishedLine(DatagramChannel.open(), line.getLocalAddress(), LineFaults.NONE))))
        {
            final long before = System.currentTimeMillis() * 1_000_000L;
            final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
            for (long sequence = 1; sequence <= 10; sequence++)
            {
                message.putLong(0, sequence, ByteOrder.BIG_ENDIAN);
                publisher.publish(message, 0, 8);
                publisher.flush();
            }
            for (int i = 0; i < 1000 && stamps.size() < 10; i++)
            {
                receiver.poll(16);
                Thread.sleep(1);
            }
            final long after = (System.currentTimeMillis() + 1) * 1_000_000L;
            assertEquals(10, stamps.size());
            for (final long stamp : stamps)
            {
                assertTrue(stamp >= before && stamp <= after, stamp + " not in [" + before + ", " + after + "]");
            }
        }
    }
}
