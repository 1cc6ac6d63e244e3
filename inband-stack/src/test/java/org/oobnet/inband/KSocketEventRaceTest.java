package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.oobnet.inband.testing.KernelNetStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.oobnet.inband.SocketConstants.AF_INET;
import static org.oobnet.inband.SocketConstants.MSG_DONTWAIT;
import static org.oobnet.inband.SocketConstants.SHUT_RDWR;
import static org.oobnet.inband.SocketConstants.SHUT_WR;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_NONBLOCK;
import static org.oobnet.inband.SocketConstants.SOCK_STREAM;
import static org.oobnet.inband.SocketConstants.SOL_SOCKET;
import static org.oobnet.inband.SocketConstants.SO_LINGER;
import static org.oobnet.inband.SocketConstants.SO_RCVBUF;
import static org.oobnet.inband.SocketConstants.SO_SNDBUF;

/**
 * Stress and race tests of the event contract over real loopback sockets: each provokes one way the event thread
 * used to fire events against the contract (a stale edge read after the event thread was held busy, a connect
 * reported from two sides, a one-shot event posted again by a local shutdown, {@code CANSEND} on every writable
 * edge, a refused blocking connect without {@code CONNECTFAILED}, zero-copy completions dropped at close, a held
 * socket's connection shut by {@code close()}), and checks the recorded sequences exactly or against the list of
 * acceptable ones ({@link EventContract}).
 */
class KSocketEventRaceTest
{
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final MemorySegment RESET_ON_CLOSE = MemorySegment.ofArray(new int[]{1, 0});

    private static KSocket listener() throws ErrnoException
    {
        final KSocket listener = KSocket.socket(AF_INET, SOCK_STREAM, 0);
        listener.bind(new InetSocketAddress(LOOPBACK, 0));
        listener.listen(64);
        return listener;
    }

    private static void connectAllowingInProgress(final KSocket socket, final InetSocketAddress to)
        throws ErrnoException
    {
        try
        {
            socket.connect(to);
        }
        catch (final ErrnoException ex)
        {
            if (Errno.EINPROGRESS != ex.errno())
            {
                throw ex;
            }
        }
    }

    private static void awaitKernelConnected(final KSocket socket) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true)
        {
            try
            {
                socket.peerName();
                return;
            }
            catch (final ErrnoException ex)
            {
                assertTrue(System.nanoTime() - deadline < 0, "not connected within 5 s: " + ex.getMessage());
                Thread.sleep(1);
            }
        }
    }

    @Test
    void shouldReportOnlyConnectedWhenTheConnectCompletedWhileTheEventThreadWasBusyWithAnotherSocket() throws Exception
    {
        final CountDownLatch firstBusy = new CountDownLatch(1);
        final CountDownLatch firstRelease = new CountDownLatch(1);
        final CountDownLatch secondBusy = new CountDownLatch(1);
        final CountDownLatch secondRelease = new CountDownLatch(1);
        final AtomicInteger otherCalls = new AtomicInteger();
        final RecordingCallbacks events = new RecordingCallbacks();
        try (KSocket other = KSocket.socket(AF_INET, SOCK_DGRAM, 0); KSocket poke = KSocket.socket(AF_INET, SOCK_DGRAM, 0);
            KSocket listener = listener(); KSocket client = KSocket.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0))
        {
            other.bind(new InetSocketAddress(LOOPBACK, 0));
            other.setCallbacks(new KSocketCallbacks()
            {
                @Override
                public void onNewData(final KSocket socket, final Object cookie, final long argument)
                {
                    socket.tryRecv(MemorySegment.ofArray(new byte[8]), MSG_DONTWAIT);
                    final boolean first = 1 == otherCalls.incrementAndGet();
                    (first ? firstBusy : secondBusy).countDown();
                    try
                    {
                        (first ? firstRelease : secondRelease).await(10, TimeUnit.SECONDS);
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                }
            }, null);
            poke.sendTo(MemorySegment.ofArray(new byte[1]), 0, other.localName());
            assertTrue(firstBusy.await(5, TimeUnit.SECONDS), "the other socket's callback holds the event thread");
            // While the thread is held, the other socket and then the client (not yet connected: writable, hung
            // up) become ready: the thread's next epoll_wait returns both, in that order, with those masks.
            poke.sendTo(MemorySegment.ofArray(new byte[1]), 0, other.localName());
            client.setCallbacks(events, "client");
            firstRelease.countDown();
            assertTrue(secondBusy.await(5, TimeUnit.SECONDS), "the other socket's second callback holds the thread");
            // The client's entry of that batch is read only after its connect completed.
            connectAllowingInProgress(client, listener.localName());
            try (KSocket server = listener.accept(0).socket())
            {
                awaitKernelConnected(client);
                secondRelease.countDown();
                events.await(KSocketEvent.CONNECTED);
                RecordingCallbacks.settle();
                assertEquals(List.of(KSocketEvent.CONNECTED), events.events());
                assertTrue(client.isConnected());

                // The connection is healthy: data flows and is reported.
                server.send(MemorySegment.ofArray(new byte[]{7}), 0);
                assertEquals(1, events.await(KSocketEvent.NEWDATA).argument());
                assertEquals(1, client.recv(MemorySegment.ofArray(new byte[4]), 0));

                // And its real end, later, is reported.
                server.setOption(SOL_SOCKET, SO_LINGER, RESET_ON_CLOSE);
            }
            assertEquals(Errno.ECONNRESET, events.await(KSocketEvent.DISCONNECTED).argument());
            RecordingCallbacks.settle();
            assertEquals(List.of(KSocketEvent.CONNECTED, KSocketEvent.NEWDATA, KSocketEvent.ERROR,
                KSocketEvent.CANTRECVMORE, KSocketEvent.CANTSENDMORE, KSocketEvent.DISCONNECTED), events.events());
        }
        finally
        {
            firstRelease.countDown();
            secondRelease.countDown();
        }
    }

    @Test
    void shouldFireExactlyTheContractsEventsInAThousandConnectCloseCycles() throws Exception
    {
        final int cycles = 1000;
        try (KSocket listener = listener())
        {
            for (int cycle = 0; cycle < cycles; cycle++)
            {
                final boolean blocking = 0 == (cycle & 1);
                final RecordingCallbacks clientEvents = new RecordingCallbacks();
                final RecordingCallbacks serverEvents = new RecordingCallbacks();
                try (KSocket client = KSocket.socket(AF_INET, SOCK_STREAM | (blocking ? 0 : SOCK_NONBLOCK), 0))
                {
                    client.setCallbacks(clientEvents, cycle);
                    connectAllowingInProgress(client, listener.localName());
                    try (KSocket server = listener.accept(0).socket())
                    {
                        server.setCallbacks(serverEvents, cycle);
                        clientEvents.await(KSocketEvent.CONNECTED);
                        client.shutdown(SHUT_WR);
                        clientEvents.await(KSocketEvent.CANTSENDMORE);
                        serverEvents.await(KSocketEvent.CANTRECVMORE);
                        server.shutdown(SHUT_WR);
                        clientEvents.await(KSocketEvent.DISCONNECTED);
                        serverEvents.await(KSocketEvent.DISCONNECTED);
                        RecordingCallbacks.settle();
                        final String where = "cycle " + cycle + (blocking ? " (blocking)" : " (non-blocking)");
                        assertEquals(List.of(KSocketEvent.CONNECTED, KSocketEvent.CANTSENDMORE, KSocketEvent.CANTRECVMORE,
                            KSocketEvent.DISCONNECTED), clientEvents.events(), where + " client " + clientEvents.calls);
                        assertEquals(List.of(KSocketEvent.CANTRECVMORE, KSocketEvent.CANTSENDMORE,
                            KSocketEvent.DISCONNECTED), serverEvents.events(), where + " server " + serverEvents.calls);
                        assertEquals(0, clientEvents.await(KSocketEvent.DISCONNECTED).argument(), where);
                        assertEquals(0, serverEvents.await(KSocketEvent.DISCONNECTED).argument(), where);
                    }
                }
            }
        }
    }

    @Test
    void shouldFireOneOutcomeAndAValidSequenceWhenAConnectRacesThePeersClose() throws Exception
    {
        final int rounds = 200;
        try (KSocket listener = listener())
        {
            for (int round = 0; round < rounds; round++)
            {
                final boolean reset = 0 == (round & 1);
                final RecordingCallbacks events = new RecordingCallbacks();
                try (KSocket client = KSocket.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0))
                {
                    client.setCallbacks(events, round);
                    final CompletableFuture<Void> closer = CompletableFuture.runAsync(() ->
                    {
                        try (KSocket server = listener.accept(0).socket())
                        {
                            if (reset)
                            {
                                server.setOption(SOL_SOCKET, SO_LINGER, RESET_ON_CLOSE);
                            }
                        }
                        catch (final ErrnoException ex)
                        {
                            throw new IllegalStateException(ex);
                        }
                    });
                    connectAllowingInProgress(client, listener.localName());
                    closer.get(5, TimeUnit.SECONDS);
                    // The peer's close ends the connection for us too: the end must be reported in full.
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while (!events.has(KSocketEvent.CONNECTFAILED) && !events.has(reset ? KSocketEvent.DISCONNECTED :
                        KSocketEvent.CANTRECVMORE))
                    {
                        assertTrue(System.nanoTime() - deadline < 0, "round " + round + ": no end within 5 s: " + events.calls);
                        Thread.sleep(1);
                    }
                    RecordingCallbacks.settle();
                    EventContract.assertFollowed(events.calls, false);
                    assertEquals(1, events.count(KSocketEvent.CONNECTED) + events.count(KSocketEvent.CONNECTFAILED),
                        "round " + round + ": " + events.calls);
                }
            }
        }
    }

    @Test
    void shouldFireCantrecvmoreOnceWhenALocalShutdownFollowsThePeersFin() throws Exception
    {
        final KSocket[] pair = KSocketLoopbackTest.tcpPair();
        final RecordingCallbacks events = new RecordingCallbacks();
        try (KSocket client = pair[0]; KSocket server = pair[1])
        {
            server.setCallbacks(events, null);
            RecordingCallbacks.settle();
            client.shutdown(SHUT_WR);
            events.await(KSocketEvent.CANTRECVMORE);
            server.shutdown(SHUT_RDWR);
            events.await(KSocketEvent.DISCONNECTED);
            RecordingCallbacks.settle();
            assertEquals(List.of(KSocketEvent.CANTRECVMORE, KSocketEvent.CANTSENDMORE, KSocketEvent.DISCONNECTED),
                events.events());
        }
    }

    @Test
    void shouldNotFireCansendOnASocketThatWasNeverFlowControlled() throws Exception
    {
        final int messages = 200;
        final RecordingCallbacks events = new RecordingCallbacks();
        final AtomicInteger received = new AtomicInteger();
        try (KSocket a = KSocket.socket(AF_INET, SOCK_DGRAM, 0); KSocket b = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            a.bind(new InetSocketAddress(LOOPBACK, 0));
            b.bind(new InetSocketAddress(LOOPBACK, 0));
            a.setCallbacks(new KSocketCallbacks()
            {
                @Override
                public void onNewData(final KSocket socket, final Object cookie, final long argument)
                {
                    final MemorySegment into = MemorySegment.ofArray(new byte[64]);
                    while (socket.tryRecv(into, MSG_DONTWAIT) >= 0)
                    {
                        received.incrementAndGet();
                    }
                }

                @Override
                public void onCanSend(final KSocket socket, final Object cookie, final long argument)
                {
                    events.onCanSend(socket, cookie, argument);
                }
            }, null);
            for (int i = 0; i < messages; i++)
            {
                b.sendTo(MemorySegment.ofArray(new byte[8]), 0, a.localName());
                a.sendTo(MemorySegment.ofArray(new byte[8]), 0, b.localName());
                Thread.sleep(0, 200_000);
            }
            // every message read or dropped by the kernel at a's full receive buffer (the event thread off its CPU
            // for a while on a loaded machine): the kernel's count, not an assumed zero
            final int aPort = a.localName().getPort();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.get() + KernelNetStats.udpDrops(aPort) < messages && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(1);
            }
            RecordingCallbacks.settle();
            final long dropped = KernelNetStats.udpDrops(aPort);
            assertEquals(messages, received.get() + dropped, "received " + received.get() + ", dropped " + dropped);
            assertTrue(received.get() > 0, "the new data was read");
            assertEquals(0, events.count(KSocketEvent.CANSEND), "CANSEND without flow control: " + events.calls.size());
        }
    }

    @Test
    void shouldFireConnectfailedWhenABlockingConnectIsRefused() throws Exception
    {
        final RecordingCallbacks events = new RecordingCallbacks();
        final InetSocketAddress closed = KSocketLoopbackTest.closedAddress(SOCK_STREAM);
        try (KSocket client = KSocket.socket(AF_INET, SOCK_STREAM, 0))
        {
            client.setCallbacks(events, null);
            assertEquals(Errno.ECONNREFUSED, assertThrows(ErrnoException.class, () -> client.connect(closed)).errno());
            assertEquals(Errno.ECONNREFUSED, events.await(KSocketEvent.CONNECTFAILED).argument());
            RecordingCallbacks.settle();
            assertEquals(List.of(KSocketEvent.CONNECTFAILED), events.events());
        }
    }

    @Test
    void shouldGiveEveryZeroCopyBufferBackWhenTheSocketClosesWithSendsInFlight() throws Exception
    {
        final AtomicInteger completions = new AtomicInteger();
        final KSocket[] pair;
        try (KSocket listener = listener())
        {
            final KSocket client = KSocket.socket(AF_INET, SOCK_STREAM, 0);
            client.setOption(SOL_SOCKET, SO_SNDBUF, 16 * 1024);
            client.connect(listener.localName());
            final KSocket server = listener.accept(0).socket();
            server.setOption(SOL_SOCKET, SO_RCVBUF, 4096);
            pair = new KSocket[]{client, server};
        }
        final KSocket client = pair[0];
        int sent = 0;
        try (KSocket server = pair[1]; Arena arena = Arena.ofShared())
        {
            final MemorySegment chunk = arena.allocate(16 * 1024);
            // The peer reads nothing: what does not fit its window stays in our send queue, owned by the kernel.
            for (int i = 0; i < 64; i++)
            {
                try
                {
                    client.sendZeroCopy(chunk, MSG_DONTWAIT, (socket, buffer, cookie, copied) ->
                        completions.incrementAndGet(), i);
                    sent++;
                }
                catch (final ErrnoException ex)
                {
                    if (Errno.EAGAIN != ex.errno() && Errno.ENOBUFS != ex.errno())
                    {
                        throw ex;
                    }
                    break;
                }
            }
            assertTrue(sent > 0, "no zero-copy send went through");
            client.close();
            // The event thread may hold the socket a moment longer (reaping): the last reference gives the rest back.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((client.zeroCopyPending() > 0 || completions.get() < sent) && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(1);
            }
            assertEquals(0, client.zeroCopyPending(), "sent=" + sent + " completed=" + completions.get());
            assertEquals(sent, completions.get());
            Thread.sleep(50);
            assertEquals(sent, completions.get(), "exactly one completion per send");
        }
    }

    @Test
    void shouldKeepAHeldStreamsConnectionUntilTheLastReleWhenClosed() throws Exception
    {
        final KSocket[] pair = KSocketLoopbackTest.tcpPair();
        final KSocket client = pair[0];
        try (KSocket server = pair[1])
        {
            final MemorySegment into = MemorySegment.ofArray(new byte[16]);
            client.hold();
            client.close();
            // The holder still has the connection: the peer sees no end of stream.
            Thread.sleep(100);
            assertEquals(-Errno.EAGAIN, server.tryRecv(into, MSG_DONTWAIT));
            client.rele();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            long result;
            while ((result = server.tryRecv(into, MSG_DONTWAIT)) == -Errno.EAGAIN)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    fail("no end of stream within 5 s of the last rele");
                }
                Thread.sleep(1);
            }
            assertEquals(0, result, "end of stream once the last hold went");
        }
    }
}
