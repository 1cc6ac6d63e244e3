package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.KSocketEvent.CANTRECVMORE;
import static org.oobnet.inband.KSocketEvent.CANTSENDMORE;
import static org.oobnet.inband.KSocketEvent.CONNECTED;
import static org.oobnet.inband.KSocketEvent.CONNECTFAILED;
import static org.oobnet.inband.KSocketEvent.DISCONNECTED;
import static org.oobnet.inband.KSocketEvent.ERROR;
import static org.oobnet.inband.KSocketEvent.NEWCONN;
import static org.oobnet.inband.KSocketEvent.NEWDATA;
import static org.oobnet.inband.KSocketEvent.OOBDATA;
import static org.oobnet.inband.SocketConstants.AF_INET;
import static org.oobnet.inband.SocketConstants.IP_RECVERR;
import static org.oobnet.inband.SocketConstants.MSG_DONTWAIT;
import static org.oobnet.inband.SocketConstants.MSG_OOB;
import static org.oobnet.inband.SocketConstants.SHUT_RD;
import static org.oobnet.inband.SocketConstants.SHUT_RDWR;
import static org.oobnet.inband.SocketConstants.SHUT_WR;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_NONBLOCK;
import static org.oobnet.inband.SocketConstants.SOCK_STREAM;
import static org.oobnet.inband.SocketConstants.SOL_IP;
import static org.oobnet.inband.SocketConstants.SOL_SOCKET;
import static org.oobnet.inband.SocketConstants.SO_LINGER;
import static org.oobnet.inband.SocketConstants.SO_RCVBUF;
import static org.oobnet.inband.SocketConstants.SO_RCVTIMEO;
import static org.oobnet.inband.SocketConstants.SO_SNDBUF;

/**
 * Each row of docs/ksocket-events.md's scenario table provoked for real on loopback (the netns module's
 * KSocketEventNetnsTest repeats the connect/close rows between two namespaces joined by veth), with the event sequence checked exactly; the zero-copy abort and {@code SO_RCVTIMEO}.
 */
class KSocketEventContractTest
{
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final MemorySegment RESET_ON_CLOSE = MemorySegment.ofArray(new int[]{1, 0});

    private static List<KSocketEvent> settled(final RecordingCallbacks events)
    {
        RecordingCallbacks.settle();
        return events.events();
    }

    @Test
    void shouldReportAGracefulPeerCloseAsCantrecvmoreAndTheResetOfALaterSendAsDisconnected() throws Exception
    {
        final KSocket[] pair = KSocketLoopbackTest.tcpPair();
        final RecordingCallbacks events = new RecordingCallbacks();
        try (KSocket server = pair[1])
        {
            server.setCallbacks(events, null);
            pair[0].close();
            events.await(CANTRECVMORE);
            assertEquals(List.of(CANTRECVMORE), settled(events), "a FIN alone: the peer may only have half-closed");
            // The peer's socket is gone: it answers our data with RST.
            server.send(MemorySegment.ofArray(new byte[]{1}), 0);
            assertEquals(Errno.EPIPE, events.await(DISCONNECTED).argument());
            assertEquals(List.of(CANTRECVMORE, ERROR, CANTSENDMORE, DISCONNECTED), settled(events));
            assertEquals(Errno.EPIPE, events.calls.get(1).argument());
        }
    }

    @Test
    void shouldReportOnlyCantrecvmoreForALocalShutRd() throws Exception
    {
        final KSocket[] pair = KSocketLoopbackTest.tcpPair();
        final RecordingCallbacks events = new RecordingCallbacks();
        try (KSocket client = pair[0]; KSocket server = pair[1])
        {
            server.setCallbacks(events, null);
            RecordingCallbacks.settle();
            server.shutdown(SHUT_RD);
            events.await(CANTRECVMORE);
            server.shutdown(SHUT_RD);
            assertEquals(List.of(CANTRECVMORE), settled(events));
            assertEquals(-Errno.EAGAIN, client.tryRecv(MemorySegment.ofArray(new byte[4]), MSG_DONTWAIT),
                "SHUT_RD sends nothing to the peer");
        }
    }

    @Test
    void shouldReportBothEndsThenDisconnectedForShutRdwrAndThePeersFin() throws Exception
    {
        final KSocket[] pair = KSocketLoopbackTest.tcpPair();
        final RecordingCallbacks events = new RecordingCallbacks();
        try (KSocket client = pair[0]; KSocket server = pair[1])
        {
            server.setCallbacks(events, null);
            RecordingCallbacks.settle();
            server.shutdown(SHUT_RDWR);
            events.await(CANTSENDMORE);
            assertEquals(List.of(CANTRECVMORE, CANTSENDMORE), settled(events));
            client.shutdown(SHUT_WR);
            assertEquals(0, events.await(DISCONNECTED).argument());
            assertEquals(List.of(CANTRECVMORE, CANTSENDMORE, DISCONNECTED), settled(events));
        }
    }

    @Test
    void shouldReportUrgentDataThenOrdinaryData() throws Exception
    {
        final KSocket[] pair = KSocketLoopbackTest.tcpPair();
        final RecordingCallbacks events = new RecordingCallbacks();
        try (KSocket client = pair[0]; KSocket server = pair[1])
        {
            server.setCallbacks(events, null);
            RecordingCallbacks.settle();
            client.send(MemorySegment.ofArray(new byte[]{'a', 'b', '!'}), MSG_OOB);
            events.await(OOBDATA);
            events.await(NEWDATA);
            EventContract.assertFollowed(events.calls, true);
            assertEquals(OOBDATA, settled(events).get(0));
        }
    }

    @Test
    void shouldReportNewconnOnTheListenerAndNoConnectedOnTheAcceptedSocket() throws Exception
    {
        final RecordingCallbacks listenerEvents = new RecordingCallbacks();
        final RecordingCallbacks serverEvents = new RecordingCallbacks();
        try (KSocket listener = KSocket.socket(AF_INET, SOCK_STREAM, 0); KSocket client = KSocket.socket(AF_INET, SOCK_STREAM, 0))
        {
            listener.bind(new InetSocketAddress(LOOPBACK, 0));
            listener.listen(4);
            listener.setCallbacks(listenerEvents, null);
            client.connect(listener.localName());
            listenerEvents.await(NEWCONN);
            try (KSocket server = listener.accept(0).socket())
            {
                server.setCallbacks(serverEvents, null);
                assertEquals(List.of(NEWCONN), settled(listenerEvents));
                assertEquals(List.of(), settled(serverEvents));
            }
        }
    }

    @Test
    void shouldReportAnIcmpErrorOnAnUnconnectedUdpSocketWithIpRecverr() throws Exception
    {
        final RecordingCallbacks events = new RecordingCallbacks();
        final InetSocketAddress closed = KSocketLoopbackTest.closedAddress(SOCK_DGRAM);
        try (KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            socket.bind(new InetSocketAddress(LOOPBACK, 0));
            socket.setOption(SOL_IP, IP_RECVERR, 1);
            socket.setCallbacks(events, null);
            socket.sendTo(MemorySegment.ofArray(new byte[8]), 0, closed);
            assertEquals(Errno.ECONNREFUSED, events.await(ERROR).argument());
            assertEquals(List.of(ERROR), settled(events), "one ICMP error, one ERROR");
        }
    }

    @Test
    void shouldReportEachConnectOutcomeOnceWhenTheCallbacksAreSetAfterTheConnect() throws Exception
    {
        final RecordingCallbacks events = new RecordingCallbacks();
        final KSocket[] pair = KSocketLoopbackTest.tcpPair();
        try (KSocket client = pair[0]; KSocket server = pair[1])
        {
            server.send(MemorySegment.ofArray(new byte[3]), 0);
            Thread.sleep(20);
            client.setCallbacks(events, null);
            events.await(NEWDATA);
            assertEquals(List.of(CONNECTED, NEWDATA), settled(events));
            // A FIN is no data: the bytes still unread are not reported again.
            server.shutdown(SHUT_WR);
            events.await(CANTRECVMORE);
            assertEquals(List.of(CONNECTED, NEWDATA, CANTRECVMORE), settled(events));
            client.setCallbacks(events, "again");
            // Callbacks set again: what is queued is reported again, the connection and its end are not.
            assertEquals(List.of(CONNECTED, NEWDATA, CANTRECVMORE, NEWDATA), settled(events));
        }
    }

    @Test
    void shouldAbortTheZeroCopySendsTheKernelStillOwnsWhenTheSocketCloses() throws Exception
    {
        final List<String> done = new CopyOnWriteArrayList<>();
        final ZeroCopyCompletion completion = new ZeroCopyCompletion()
        {
            @Override
            public void onComplete(final KSocket socket, final Object buffer, final Object cookie, final boolean copied)
            {
                done.add("complete " + cookie);
            }

            @Override
            public void onAborted(final KSocket socket, final Object buffer, final Object cookie)
            {
                done.add("aborted " + cookie);
            }
        };
        final KSocket client;
        final KSocket server;
        try (KSocket listener = KSocket.socket(AF_INET, SOCK_STREAM, 0))
        {
            listener.bind(new InetSocketAddress(LOOPBACK, 0));
            listener.listen(1);
            client = KSocket.socket(AF_INET, SOCK_STREAM, 0);
            client.setOption(SOL_SOCKET, SO_SNDBUF, 64 * 1024);
            client.connect(listener.localName());
            server = listener.accept(0).socket();
            server.setOption(SOL_SOCKET, SO_RCVBUF, 4096);
        }
        int sent = 0;
        try (server; Arena arena = Arena.ofShared())
        {
            final MemorySegment chunk = arena.allocate(16 * 1024);
            for (int i = 0; i < 64; i++)
            {
                try
                {
                    client.sendZeroCopy(chunk, MSG_DONTWAIT, completion, i);
                    sent++;
                }
                catch (final ErrnoException ex)
                {
                    assertTrue(Errno.EAGAIN == ex.errno() || Errno.ENOBUFS == ex.errno(), ex.getMessage());
                    break;
                }
            }
            client.close();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (done.size() < sent && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(1);
            }
            assertEquals(sent, done.size(), "one completion per send: " + done);
            assertEquals(0, client.zeroCopyPending());
            assertTrue(client.zeroCopyAbortedCount() > 0, "the peer read nothing: some sends were still the kernel's");
            assertEquals(client.zeroCopyAbortedCount(), done.stream().filter(d -> d.startsWith("aborted")).count());
            for (int i = 0; i < sent; i++)
            {
                assertTrue(done.get(i).endsWith(" " + i), "in send order: " + done);
            }
        }
    }

    @Test
    void shouldFailABlockingRecvWithEagainAfterSoRcvtimeo() throws Exception
    {
        try (KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            socket.bind(new InetSocketAddress(LOOPBACK, 0));
            socket.setOption(SOL_SOCKET, SO_RCVTIMEO, MemorySegment.ofArray(new long[]{0, 100_000}));
            final long start = System.nanoTime();
            final ErrnoException ex = assertThrows(ErrnoException.class, () -> socket.recv(MemorySegment.ofArray(new byte[8]), 0));
            final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(Errno.EAGAIN, ex.errno());
            assertTrue(tookMs >= 90 && tookMs < 5_000, "tookMs=" + tookMs);
        }
    }
}
