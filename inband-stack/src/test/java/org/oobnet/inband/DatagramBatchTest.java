package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.oobnet.inband.SocketConstants.AF_INET;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;

/**
 * {@link DatagramBatch} sent with {@link KSocket#sendMmsg(DatagramBatch, int, int, int)} over loopback: any run of
 * its entries, again and again, each datagram to its own destination with its own payload.
 */
class DatagramBatchTest
{
    @Test
    void shouldSendARunOfEntriesEachToItsDestinationWhenSentRepeatedly() throws Exception
    {
        try (DatagramChannel first = DatagramChannel.open();
            DatagramChannel second = DatagramChannel.open();
            KSocket sender = KSocket.socket(AF_INET, SOCK_DGRAM, 0);
            DatagramBatch batch = new DatagramBatch(4);
            Arena arena = Arena.ofConfined())
        {
            first.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            second.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final MemorySegment toFirst = SockAddr.encode((InetSocketAddress)first.getLocalAddress(), arena);
            final MemorySegment toSecond = SockAddr.encode((InetSocketAddress)second.getLocalAddress(), arena);
            for (int i = 0; i < 4; i++)
            {
                final MemorySegment payload = arena.allocate(i + 1);
                payload.fill((byte)('a' + i));
                batch.set(i, payload, i % 2 == 0 ? toFirst : toSecond);
            }

            assertEquals(3, sender.sendMmsg(batch, 1, 3, 0));
            assertEquals(2, sender.sendMmsg(batch, 0, 2, 0));

            // entries 1 and 3 went to the second, 2 to the first; then 0 to the first, 1 to the second
            assertEquals("bb", receive(second));
            assertEquals("dddd", receive(second));
            assertEquals("bb", receive(second));
            assertEquals("ccc", receive(first));
            assertEquals("a", receive(first));
            assertEquals(4, batch.capacity());
        }
    }

    @Test
    void shouldRefuseEntriesOutsideTheBatch() throws Exception
    {
        try (KSocket sender = KSocket.socket(AF_INET, SOCK_DGRAM, 0);
            DatagramBatch batch = new DatagramBatch(2);
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment payload = arena.allocate(8);
            final MemorySegment address = SockAddr.encode(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9),
                arena);
            assertEquals("index=2 must be in 0..1",
                assertThrows(IndexOutOfBoundsException.class, () -> batch.set(2, payload, address)).getMessage());
            assertEquals("first=1 count=2 must lie in 0..2",
                assertThrows(IndexOutOfBoundsException.class, () -> sender.sendMmsg(batch, 1, 2, 0)).getMessage());
            assertEquals("capacity=0 must be at least 1",
                assertThrows(IllegalArgumentException.class, () -> new DatagramBatch(0)).getMessage());
        }
    }

    private static String receive(final DatagramChannel channel) throws Exception
    {
        final ByteBuffer buffer = ByteBuffer.allocate(64);
        channel.receive(buffer);
        buffer.flip();
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
