package org.oobnet.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.tcp.TcpStageTest.awaitTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.IpCommand;

/**
 * Against the kernel's TCP in another namespace: a non-blocking connect followed to completion on the stage
 * ({@code EINPROGRESS}, then {@code CONNECTED}, with what was sent meanwhile going out after it; a refused one:
 * {@code CONNECTFAILED ECONNREFUSED}), and fatal errors told apart by their errno on the stage (a timeout is
 * {@code ERROR ETIMEDOUT} and counted an error, not a reset).
 */
class TcpConnectAndErrorsTest
{
    private static final int PORT = 7520;

    @Test
    void shouldRaiseConnectedAndSendWhatWaitedWhenNonBlockingConnectCompletes() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final ServerSocketChannel server = hosts.listenInB(PORT);
            final OobSocket socket = nonBlockingSocketInA(hosts);
            final ErrnoException pending = assertThrows(ErrnoException.class, () -> hosts.inA(() ->
            {
                socket.ksocket().connect(new InetSocketAddress(hosts.b.address(), PORT));
                return null;
            }));
            assertEquals(Errno.EINPROGRESS, pending.errno());
            final List<String> events = recordEvents(socket);
            assertEquals(0, TcpOobProtocol.start(socket), "a connecting socket may go on the stage");
            final byte[] hello = "sent before the handshake completed".getBytes();
            final UnsafeBuffer message = new UnsafeBuffer(hello);
            while (socket.offer(message, 0, hello.length) < 0)
            {
                Thread.sleep(1);
            }

            final SocketChannel peer = hosts.closeLater(server.accept());
            final ByteBuffer in = ByteBuffer.allocate(hello.length);
            while (in.hasRemaining() && peer.read(in) >= 0)
            {
                Thread.onSpinWait();
            }
            assertArrayEquals(hello, in.array());
            awaitTrue(() -> events.contains("CONNECTED 0"), "CONNECTED");
            assertEquals(List.of("CONNECTED 0"), events, "CONNECTED once, nothing else");
            // the stage counts the bytes after send() returned, and the peer can read them before that
            awaitTrue(() -> hello.length == TcpOobProtocol.counter(socket, TcpCounter.BYTES_OUT), "bytes out counted");
            assertEquals(hello.length, TcpOobProtocol.counter(socket, TcpCounter.BYTES_OUT));
        }
    }

    @Test
    void shouldRaiseConnectFailedWithErrnoWhenNonBlockingConnectIsRefused() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final OobSocket socket = nonBlockingSocketInA(hosts);
            final List<String> events = recordEvents(socket);
            int rc;
            try
            {
                hosts.inA(() ->
                {
                    socket.ksocket().connect(new InetSocketAddress(hosts.b.address(), PORT)); // nobody listens
                    return null;
                });
                rc = Integer.MIN_VALUE;
            }
            catch (final ErrnoException ex)
            {
                rc = -ex.errno();
            }
            if (-Errno.EINPROGRESS == rc)
            {
                rc = TcpOobProtocol.start(socket);
                if (0 == rc)
                {
                    awaitTrue(() -> !events.isEmpty(), "the connect's outcome");
                    assertEquals(List.of("CONNECTFAILED " + Errno.ECONNREFUSED), events);
                    assertEquals(1, TcpOobProtocol.counter(socket, TcpCounter.ERRORS));
                    return;
                }
            }
            // refused before start looked: start (or connect) reports the errno itself
            assertEquals(-Errno.ECONNREFUSED, rc);
        }
    }

    @Test
    void shouldRaiseErrorWithTimeoutErrnoNotResetWhenPeerVanishes() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final ServerSocketChannel server = hosts.listenInB(PORT);
            final OobSocket socket = hosts.connectFromA(new InetSocketAddress(hosts.b.address(), PORT));
            hosts.inA(() ->
            {
                // unacknowledged data for 300 ms drops the connection with ETIMEDOUT
                socket.ksocket().setOption(SocketConstants.IPPROTO_TCP, SocketConstants.TCP_USER_TIMEOUT, 300);
                return null;
            });
            final List<String> events = recordEvents(socket);
            assertEquals(0, TcpOobProtocol.start(socket));
            hosts.closeLater(server.accept());
            // the peer's host goes away without a word: its interface down, nothing answers
            IpCommand.run("-n", hosts.b.namespace(), "link", "set", hosts.b.interfaceName(), "down");
            final UnsafeBuffer message = new UnsafeBuffer("into the void".getBytes());
            while (socket.offer(message, 0, message.capacity()) < 0)
            {
                Thread.sleep(1);
            }

            awaitTrue(() -> events.contains("DISCONNECTED 0"), "DISCONNECTED after the timeout");
            // the blocking connect's CONNECTED is raised asynchronously: it may come before the handler was set
            assertEquals(List.of("ERROR " + Errno.ETIMEDOUT, "DISCONNECTED 0"),
                events.stream().filter(e -> !e.startsWith("CONNECTED")).toList());
            assertEquals(1, TcpOobProtocol.counter(socket, TcpCounter.ERRORS));
            assertEquals(0, TcpOobProtocol.counter(socket, TcpCounter.RESETS), "a timeout is no reset");
        }
    }

    private static OobSocket nonBlockingSocketInA(final TcpHosts hosts) throws Exception
    {
        final KSocket socket = hosts.inA(() -> KSocket.socket(SocketConstants.AF_INET,
            SocketConstants.SOCK_STREAM | SocketConstants.SOCK_OOB | SocketConstants.SOCK_NONBLOCK, 0));
        hosts.closeLater(socket::close);
        assertTrue(socket.isNonBlocking());
        return OobSocket.of(socket);
    }

    private static List<String> recordEvents(final OobSocket socket)
    {
        final List<String> events = new CopyOnWriteArrayList<>();
        socket.eventHandler((s, event, arg, cookie) -> events.add(event + " " + arg), null);
        return events;
    }
}
