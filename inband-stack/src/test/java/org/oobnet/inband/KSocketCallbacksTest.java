package org.oobnet.inband;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_INET;
import static org.oobnet.inband.SocketConstants.MSG_DONTWAIT;
import static org.oobnet.inband.SocketConstants.MSG_OOB;
import static org.oobnet.inband.SocketConstants.SHUT_WR;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_NONBLOCK;
import static org.oobnet.inband.SocketConstants.SOCK_STREAM;
import static org.oobnet.inband.SocketConstants.SOL_SOCKET;
import static org.oobnet.inband.SocketConstants.SO_LINGER;
import static org.oobnet.inband.SocketConstants.SO_SNDBUF;

/**
 * Every ksocket event provoked for real on loopback sockets, delivered on the event thread with the cookie.
 */
class KSocketCallbacksTest
{
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static int closedPort() throws ErrnoException
    {
        try (KSocket probe = KSocket.socket(AF_INET, SOCK_STREAM, 0))
        {
            probe.bind(new InetSocketAddress(LOOPBACK, 0));
            return probe.localName().getPort();
        }
    }

    @Test
    void shouldFireNewconnConnectedNewdataAndOobdataWhenAClientConnectsAndSends() throws Exception
    {
        final RecordingCallbacks listenerEvents = new RecordingCallbacks();
        final RecordingCallbacks clientEvents = new RecordingCallbacks();
        final RecordingCallbacks serverEvents = new RecordingCallbacks();
        try (KSocket listener = KSocket.socket(AF_INET, SOCK_STREAM, 0);
            KSocket client = KSocket.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0))
        {
            listener.bind(new InetSocketAddress(LOOPBACK, 0));
            listener.listen(4);
            listener.setCallbacks(listenerEvents, "listener");
            client.setCallbacks(clientEvents, "client");
            try
            {
                client.connect(listener.localName());
            }
            catch (final ErrnoException ex)
            {
                assertEquals(Errno.EINPROGRESS, ex.errno());
            }
            final RecordingCallbacks.Call connected = clientEvents.await(KSocketEvent.CONNECTED);
            assertEquals("client", connected.cookie());
            assertEquals(KSocket.eventThreadName(), connected.thread());
            assertTrue(client.isConnected());
            final RecordingCallbacks.Call newConn = listenerEvents.await(KSocketEvent.NEWCONN);
            assertEquals("listener", newConn.cookie());

            try (KSocket server = listener.accept(0).socket())
            {
                server.setCallbacks(serverEvents, 42);
                RecordingCallbacks.settle();
                client.send(ByteBuffer.wrap(new byte[]{1, 2, 3, 4, 5}), 0);
                final RecordingCallbacks.Call newData = serverEvents.await(KSocketEvent.NEWDATA);
                assertEquals(5, newData.argument());
                assertEquals(42, newData.cookie());

                client.send(ByteBuffer.wrap(new byte[]{'!'}), MSG_OOB);
                serverEvents.await(KSocketEvent.OOBDATA);
                RecordingCallbacks.settle();
                // An accepted socket is connected from birth; nothing was flow controlled: no CONNECTED, no CANSEND.
                assertFalse(serverEvents.has(KSocketEvent.CONNECTED), serverEvents.calls.toString());
                assertEquals(0, serverEvents.count(KSocketEvent.CANSEND), serverEvents.calls.toString());
                assertEquals(List.of(KSocketEvent.CONNECTED), clientEvents.events());
            }
        }
    }

    @Test
    void shouldFireConnectfailedWithTheErrnoWhenTheConnectionIsRefused() throws Exception
    {
        final RecordingCallbacks events = new RecordingCallbacks();
        final int port = closedPort();
        try (KSocket client = KSocket.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0))
        {
            client.setCallbacks(events, null);
            final ErrnoException ex = assertThrows(ErrnoException.class,
                () -> client.connect(new InetSocketAddress(LOOPBACK, port)));
            assertEquals(Errno.EINPROGRESS, ex.errno());
            assertEquals(Errno.ECONNREFUSED, events.await(KSocketEvent.CONNECTFAILED).argument());
            assertFalse(events.has(KSocketEvent.CONNECTED));
            assertFalse(client.isConnected());
        }
    }

    @Test
    void shouldFireCansendWhenTheSendBufferDrains() throws Exception
    {
        final KSocket[] pair = KSocketLoopbackTest.tcpPair();
        final RecordingCallbacks events = new RecordingCallbacks();
        try (KSocket client = pair[0]; KSocket server = pair[1])
        {
            client.setOption(SOL_SOCKET, SO_SNDBUF, 4096);
            client.setCallbacks(events, null);
            RecordingCallbacks.settle();
            final MemorySegment chunk = MemorySegment.ofArray(new byte[4096]);
            final MemorySegment sink = MemorySegment.ofArray(new byte[65536]);
            final int episodes = 3;
            for (int episode = 1; episode <= episodes; episode++)
            {
                // Fill until the kernel cuts a send short or refuses it (EAGAIN): flow controlled.
                long sent;
                while ((sent = client.trySend(chunk, MSG_DONTWAIT)) == chunk.byteSize())
                {
                    assertEquals(episode - 1, events.count(KSocketEvent.CANSEND), "CANSEND while not refused");
                }
                assertTrue(sent == -Errno.EAGAIN || (sent >= 0 && sent < chunk.byteSize()), "sent=" + sent);
                // The peer reads until the kernel lets us send again: exactly one CANSEND, and it is true.
                while (events.count(KSocketEvent.CANSEND) < episode)
                {
                    if (server.tryRecv(sink, MSG_DONTWAIT) < 0)
                    {
                        Thread.sleep(1);
                    }
                }
                assertTrue(client.trySend(MemorySegment.ofArray(new byte[1]), MSG_DONTWAIT) > 0, "CANSEND, can send");
            }
            RecordingCallbacks.settle();
            // The blocking connect of tcpPair() is reported once the callbacks are set; one CANSEND per episode.
            assertEquals(List.of(KSocketEvent.CONNECTED, KSocketEvent.CANSEND, KSocketEvent.CANSEND,
                KSocketEvent.CANSEND), events.events());
        }
    }

    @Test
    void shouldFireCantrecvmoreAndCantsendmoreWhenEitherSideShutsDown() throws Exception
    {
        final KSocket[] pair = KSocketLoopbackTest.tcpPair();
        final RecordingCallbacks events = new RecordingCallbacks();
        try (KSocket client = pair[0]; KSocket server = pair[1])
        {
            server.setCallbacks(events, null);
            client.shutdown(SHUT_WR);
            events.await(KSocketEvent.CANTRECVMORE);
            assertFalse(events.has(KSocketEvent.CANTSENDMORE));
            server.shutdown(SHUT_WR);
            events.await(KSocketEvent.CANTSENDMORE);
            // Both directions are now shut: the connection is gone, orderly.
            assertEquals(0, events.await(KSocketEvent.DISCONNECTED).argument());
            RecordingCallbacks.settle();
            assertEquals(List.of(KSocketEvent.CANTRECVMORE, KSocketEvent.CANTSENDMORE, KSocketEvent.DISCONNECTED),
                events.events());
        }
    }

    @Test
    void shouldFireErrorAndDisconnectedWhenThePeerResets() throws Exception
    {
        final KSocket[] pair = KSocketLoopbackTest.tcpPair();
        final RecordingCallbacks events = new RecordingCallbacks();
        try (KSocket server = pair[1])
        {
            server.setCallbacks(events, null);
            RecordingCallbacks.settle();
            final KSocket client = pair[0];
            client.setOption(SOL_SOCKET, SO_LINGER, MemorySegment.ofArray(new int[]{1, 0}));
            client.close();
            assertEquals(Errno.ECONNRESET, events.await(KSocketEvent.ERROR).argument());
            events.await(KSocketEvent.CANTSENDMORE);
            assertEquals(Errno.ECONNRESET, events.await(KSocketEvent.DISCONNECTED).argument());
            RecordingCallbacks.settle();
            assertEquals(List.of(KSocketEvent.ERROR, KSocketEvent.CANTRECVMORE, KSocketEvent.CANTSENDMORE,
                KSocketEvent.DISCONNECTED), events.events());
        }
    }

    @Test
    void shouldFireErrorWhenAConnectedUdpPeerIsUnreachable() throws Exception
    {
        final RecordingCallbacks events = new RecordingCallbacks();
        final int port;
        try (KSocket probe = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            probe.bind(new InetSocketAddress(LOOPBACK, 0));
            port = probe.localName().getPort();
        }
        try (KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            socket.connect(new InetSocketAddress(LOOPBACK, port));
            socket.setCallbacks(events, "udp");
            socket.send(MemorySegment.ofArray(new byte[8]), 0);
            final RecordingCallbacks.Call error = events.await(KSocketEvent.ERROR);
            assertEquals(Errno.ECONNREFUSED, error.argument());
            assertEquals("udp", error.cookie());
        }
    }

    @Test
    void shouldKeepDeliveringWhenACallbackThrows() throws Exception
    {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch second = new CountDownLatch(1);
        final long failuresBefore = KSocketEventThread.instance().callbackFailures();
        try (KSocket a = KSocket.socket(AF_INET, SOCK_DGRAM, 0); KSocket b = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            b.bind(new InetSocketAddress(LOOPBACK, 0));
            b.setCallbacks(new KSocketCallbacks()
            {
                @Override
                public void onNewData(final KSocket socket, final Object cookie, final long argument)
                {
                    try
                    {
                        socket.recv(MemorySegment.ofArray(new byte[16]), MSG_DONTWAIT);
                    }
                    catch (final ErrnoException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                    if (1 == calls.incrementAndGet())
                    {
                        throw new IllegalStateException("test: callback failure");
                    }
                    second.countDown();
                }
            }, null);
            a.sendTo(MemorySegment.ofArray(new byte[1]), 0, b.localName());
            while (0 == calls.get())
            {
                Thread.sleep(1);
            }
            a.sendTo(MemorySegment.ofArray(new byte[1]), 0, b.localName());
            assertTrue(second.await(5, TimeUnit.SECONDS), "the event thread survived the throwing callback");
            assertEquals(failuresBefore + 1, KSocketEventThread.instance().callbackFailures());
        }
    }

    @Test
    void shouldLetACallbackCloseItsOwnSocket() throws Exception
    {
        final CountDownLatch closed = new CountDownLatch(1);
        final RecordingCallbacks after = new RecordingCallbacks();
        try (KSocket a = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            final KSocket b = KSocket.socket(AF_INET, SOCK_DGRAM, 0);
            b.bind(new InetSocketAddress(LOOPBACK, 0));
            final InetSocketAddress address = b.localName();
            b.setCallbacks(new KSocketCallbacks()
            {
                @Override
                public void onNewData(final KSocket socket, final Object cookie, final long argument)
                {
                    try
                    {
                        socket.close();
                        // The dispatch still holds the socket: the descriptor number stays ours until it returns.
                        after.onNewData(socket, RecordingOobHooks.isOpenSocket(socket.fd()), argument);
                    }
                    catch (final ErrnoException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                    closed.countDown();
                }
            }, null);
            a.sendTo(MemorySegment.ofArray(new byte[1]), 0, address);
            assertTrue(closed.await(5, TimeUnit.SECONDS));
            // The event thread's hold is dropped after the callback: then the descriptor goes.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (0 != b.refCount() && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(1);
            }
            assertEquals(0, b.refCount());
            assertTrue(b.isClosed());
            assertEquals(1, after.calls.size());
            assertEquals(true, after.calls.get(0).cookie(), "descriptor open during the dispatch");
            // The kernel socket is gone after the dispatch: its port can be bound again.
            try (KSocket rebound = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
            {
                rebound.bind(address);
            }
        }
    }
}
