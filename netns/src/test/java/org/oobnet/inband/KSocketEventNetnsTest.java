package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oobnet.netns.testing.NetnsFixture;

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
 * docs/ksocket-events.md's connect refusal, graceful and abortive close between two network namespaces joined by
 * veth (a real link, not loopback), with the event sequences checked exactly. Lives in the netns module because
 * the namespace fixture depends on inband-stack; package {@code org.oobnet.inband} for its test helpers.
 */
class KSocketEventNetnsTest
{
    private static final MemorySegment RESET_ON_CLOSE = MemorySegment.ofArray(new int[]{1, 0});
    private static NetnsFixture fixture;

    @BeforeAll
    static void hosts()
    {
        fixture = NetnsFixture.create(2);
    }

    @AfterAll
    static void teardown()
    {
        if (null != fixture)
        {
            fixture.close();
        }
    }

    private static List<KSocketEvent> settled(final RecordingCallbacks events)
    {
        RecordingCallbacks.settle();
        return events.events();
    }

    @Test
    void shouldFireTheSameSequencesAcrossNamespacesForConnectRefusalGracefulAndAbortiveClose() throws Exception
    {
        final InetSocketAddress serverAddress = new InetSocketAddress(InetAddress.getByName(fixture.host(1).address()), 0);
        final KSocket listener = fixture.call(fixture.host(1), () ->
        {
            final KSocket socket = KSocket.socket(AF_INET, SOCK_STREAM, 0);
            socket.bind(serverAddress);
            socket.listen(4);
            return socket;
        });
        try (listener)
        {
            final InetSocketAddress to = listener.localName();
            // Refused: nothing listens on the next port over there.
            final RecordingCallbacks refused = new RecordingCallbacks();
            try (KSocket client = fixture.call(fixture.host(0), () -> KSocket.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)))
            {
                client.setCallbacks(refused, null);
                final ErrnoException ex = assertThrows(ErrnoException.class,
                    () -> client.connect(new InetSocketAddress(to.getAddress(), to.getPort() + 1)));
                assertEquals(Errno.EINPROGRESS, ex.errno());
                assertEquals(Errno.ECONNREFUSED, refused.await(CONNECTFAILED).argument());
                assertEquals(List.of(CONNECTFAILED), settled(refused));
            }
            for (final boolean abortive : new boolean[]{false, true})
            {
                final RecordingCallbacks clientEvents = new RecordingCallbacks();
                final RecordingCallbacks serverEvents = new RecordingCallbacks();
                try (KSocket client = fixture.call(fixture.host(0), () -> KSocket.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)))
                {
                    client.setCallbacks(clientEvents, null);
                    assertEquals(Errno.EINPROGRESS, assertThrows(ErrnoException.class, () -> client.connect(to)).errno());
                    clientEvents.await(CONNECTED);
                    try (KSocket server = listener.accept(0).socket())
                    {
                        server.setCallbacks(serverEvents, null);
                        client.send(MemorySegment.ofArray(new byte[5]), 0);
                        assertEquals(5, serverEvents.await(NEWDATA).argument());
                        if (abortive)
                        {
                            client.setOption(SOL_SOCKET, SO_LINGER, RESET_ON_CLOSE);
                            client.close();
                            assertEquals(Errno.ECONNRESET, serverEvents.await(DISCONNECTED).argument());
                            assertEquals(List.of(NEWDATA, ERROR, CANTRECVMORE, CANTSENDMORE, DISCONNECTED),
                                settled(serverEvents));
                        }
                        else
                        {
                            client.shutdown(SHUT_WR);
                            clientEvents.await(CANTSENDMORE);
                            serverEvents.await(CANTRECVMORE);
                            server.shutdown(SHUT_WR);
                            assertEquals(0, serverEvents.await(DISCONNECTED).argument());
                            assertEquals(0, clientEvents.await(DISCONNECTED).argument());
                            assertEquals(List.of(NEWDATA, CANTRECVMORE, CANTSENDMORE, DISCONNECTED), settled(serverEvents));
                            assertEquals(List.of(CONNECTED, CANTSENDMORE, CANTRECVMORE, DISCONNECTED), settled(clientEvents));
                        }
                    }
                }
                catch (final ErrnoException ex)
                {
                    // close() of the client already closed in the abortive round.
                    assertTrue(abortive && Errno.EBADF == ex.errno(), ex.getMessage());
                }
            }
        }
    }
}
