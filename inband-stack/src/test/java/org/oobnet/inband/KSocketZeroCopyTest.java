package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_INET;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;

/**
 * Zero-copy sends ({@code SO_ZEROCOPY} + {@code MSG_ZEROCOPY}) with their completions read from the error queue.
 */
class KSocketZeroCopyTest
{
    record Done(Object buffer, Object cookie, boolean copied, String thread)
    {
    }

    private static void awaitCount(final List<Done> done, final int count) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (done.size() < count && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(1);
        }
        assertEquals(count, done.size(), "completions: " + done);
    }

    @Test
    void shouldHandEveryBufferBackWhenTheKernelIsDoneOverTcp() throws Exception
    {
        final KSocket[] pair = KSocketLoopbackTest.tcpPair();
        final List<Done> done = new CopyOnWriteArrayList<>();
        final ZeroCopyCompletion completion =
            (socket, buffer, cookie, copied) -> done.add(new Done(buffer, cookie, copied, Thread.currentThread().getName()));
        try (KSocket client = pair[0]; KSocket server = pair[1]; Arena arena = Arena.ofShared())
        {
            // No enableZeroCopy() here: the first zero-copy send turns SO_ZEROCOPY on.
            final MemorySegment segment = arena.allocate(1000).fill((byte)1);
            final ByteBuffer direct = ByteBuffer.allocateDirect(500);
            final UnsafeBuffer agrona = new UnsafeBuffer(ByteBuffer.allocateDirect(300));
            assertEquals(1000, client.sendZeroCopy(segment, 0, completion, "segment"));
            assertEquals(500, client.sendZeroCopy(direct, 0, completion, "direct"));
            assertEquals(500, direct.position());
            assertEquals(300, client.sendZeroCopy(agrona, 0, 300, 0, completion, "agrona"));

            final MemorySegment sink = arena.allocate(4096);
            long received = 0;
            while (received < 1800)
            {
                received += server.recv(sink, 0);
            }
            awaitCount(done, 3);
            assertSame(segment, done.get(0).buffer());
            assertEquals(List.of("segment", "direct", "agrona"), done.stream().map(Done::cookie).toList());
            assertSame(direct, done.get(1).buffer());
            assertSame(agrona, done.get(2).buffer());
            assertEquals(KSocket.eventThreadName(), done.get(0).thread());
            // Loopback delivers to a local socket: the kernel copies, and says so.
            assertTrue(done.stream().allMatch(Done::copied), "loopback copies: " + done);
            assertEquals(3, client.zeroCopyCopiedCount());
            assertEquals(0, client.zeroCopyPending());
        }
    }

    @Test
    void shouldCompleteUdpZeroCopySends() throws Exception
    {
        final List<Done> done = new CopyOnWriteArrayList<>();
        try (KSocket a = KSocket.socket(AF_INET, SOCK_DGRAM, 0); KSocket b = KSocket.socket(AF_INET, SOCK_DGRAM, 0);
            Arena arena = Arena.ofShared())
        {
            b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            a.connect(b.localName());
            a.enableZeroCopy();
            final MemorySegment payload = arena.allocate(256);
            for (int i = 0; i < 10; i++)
            {
                a.sendZeroCopy(payload, 0, (socket, buffer, cookie, copied) ->
                    done.add(new Done(buffer, cookie, copied, Thread.currentThread().getName())), i);
            }
            awaitCount(done, 10);
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), done.stream().map(Done::cookie).toList());
        }
    }

    @Test
    void shouldRefuseZeroCopyFromHeapMemory() throws Exception
    {
        final KSocket[] pair = KSocketLoopbackTest.tcpPair();
        try (KSocket client = pair[0]; KSocket server = pair[1])
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> client.sendZeroCopy(MemorySegment.ofArray(new byte[8]), 0, (s, b, c, copied) -> { }, null));
            assertEquals("zero-copy send needs native memory: a heap buffer may move", ex.getMessage());
            assertEquals(0, client.zeroCopyPending());
            assertEquals(0, server.available());
        }
    }
}
