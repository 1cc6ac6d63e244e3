package org.oobnet.inband;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_INET;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_STREAM;

/**
 * Closing a socket while other threads use it: the users get a clean {@code EBADF}, and the descriptor number is
 * never closed under a call in flight (so a new socket that reuses the number never receives the old socket's
 * calls).
 */
class KSocketConcurrentCloseTest
{
    private static final InetSocketAddress LOOPBACK_ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private static ErrnoException failureOf(final CompletableFuture<?> future) throws Exception
    {
        final ExecutionException ex = assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS));
        return assertInstanceOf(ErrnoException.class, ex.getCause());
    }

    private static void awaitBlocked(final KSocket socket) throws InterruptedException
    {
        // The blocked call holds a reference of its own.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (socket.refCount() < 2 && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(1);
        }
        Thread.sleep(20);
    }

    @Test
    void shouldFailABlockedRecvWithEbadfWhenClosedFromAnotherThread() throws Exception
    {
        final KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM, 0);
        socket.bind(LOOPBACK_ANY);
        final CompletableFuture<Long> recv = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return socket.recv(MemorySegment.ofArray(new byte[64]), 0);
            }
            catch (final ErrnoException ex)
            {
                throw new java.util.concurrent.CompletionException(ex);
            }
        });
        awaitBlocked(socket);
        assertEquals(2, socket.refCount());
        socket.close();
        final ErrnoException ex = failureOf(recv);
        assertEquals(Errno.EBADF, ex.errno());
        assertEquals("recv: EBADF (Bad file descriptor) fd=" + socket.fd() + " closed", ex.getMessage());
        assertEquals(0, socket.refCount());
    }

    @Test
    void shouldFailABlockedAcceptAndStreamRecvWithEbadfWhenClosed() throws Exception
    {
        final KSocket listener = KSocket.socket(AF_INET, SOCK_STREAM, 0);
        listener.bind(LOOPBACK_ANY);
        listener.listen(1);
        final CompletableFuture<KSocket.Accepted> accept = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return listener.accept(0);
            }
            catch (final ErrnoException ex)
            {
                throw new java.util.concurrent.CompletionException(ex);
            }
        });
        awaitBlocked(listener);
        listener.close();
        assertEquals(Errno.EBADF, failureOf(accept).errno());

        final KSocket[] pair = KSocketLoopbackTest.tcpPair();
        try (KSocket other = pair[1])
        {
            final KSocket client = pair[0];
            final CompletableFuture<Long> recv = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return client.recv(MemorySegment.ofArray(new byte[64]), 0);
                }
                catch (final ErrnoException ex)
                {
                    throw new java.util.concurrent.CompletionException(ex);
                }
            });
            awaitBlocked(client);
            client.close();
            assertEquals(Errno.EBADF, failureOf(recv).errno());
            assertFalse(other.isClosed());
        }
    }

    @Test
    void shouldNeverSendOnAReusedDescriptorWhenClosedDuringSends() throws Exception
    {
        try (KSocket sink = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            sink.bind(LOOPBACK_ANY);
            for (int round = 0; round < 200; round++)
            {
                final KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM, 0);
                socket.connect(sink.localName());
                final CompletableFuture<Integer> sender = CompletableFuture.supplyAsync(() ->
                {
                    int sent = 0;
                    final MemorySegment payload = MemorySegment.ofArray(new byte[1]);
                    while (true)
                    {
                        try
                        {
                            socket.send(payload, SocketConstants.MSG_DONTWAIT);
                            sent++;
                        }
                        catch (final ErrnoException ex)
                        {
                            if (Errno.EAGAIN == ex.errno() || Errno.ECONNREFUSED == ex.errno())
                            {
                                continue;
                            }
                            throw new java.util.concurrent.CompletionException(ex);
                        }
                    }
                });
                Thread.sleep(0, 200_000);
                socket.close();
                // An unconnected socket that reuses the number would turn a stray send into EDESTADDRREQ.
                final KSocket reuser = KSocket.socket(AF_INET, SOCK_DGRAM, 0);
                final ErrnoException ex = failureOf(sender);
                assertEquals("EBADF", ex.errnoName(), "round=" + round + ": " + ex.getMessage());
                reuser.close();
                while (sink.available() > 0)
                {
                    sink.recv(MemorySegment.ofArray(new byte[8]), 0);
                }
            }
        }
    }

    @Test
    void shouldKeepAClosedSocketsResourcesWhileHeld() throws Exception
    {
        final KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM, 0);
        socket.bind(LOOPBACK_ANY);
        final InetSocketAddress address = socket.localName();
        socket.hold();
        socket.hold();
        socket.close();
        assertTrue(socket.isClosed());
        assertEquals(2, socket.refCount());
        try (KSocket other = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            // Held: the kernel socket still owns its port.
            assertEquals(Errno.EADDRINUSE, assertThrows(ErrnoException.class, () -> other.bind(address)).errno());
            assertEquals(Errno.EBADF, assertThrows(ErrnoException.class, socket::hold).errno());
            assertFalse(socket.tryHold());
            socket.rele();
            assertEquals(Errno.EADDRINUSE, assertThrows(ErrnoException.class, () -> other.bind(address)).errno());
            socket.rele();
            assertEquals(0, socket.refCount());
            // Last reference gone: the descriptor was closed and the port is free again.
            other.bind(address);
        }
        final IllegalStateException ex = assertThrows(IllegalStateException.class, socket::rele);
        assertEquals("rele without hold: fd=" + socket.fd() + " refs=0", ex.getMessage());
    }

    @Test
    void shouldRefuseReleOfTheOpenReference() throws Exception
    {
        try (KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            assertThrows(IllegalStateException.class, socket::rele);
            assertTrue(RecordingOobHooks.isOpenSocket(socket.fd()));
        }
    }
}
