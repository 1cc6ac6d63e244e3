package org.oobnet.tcp;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobStage;
import org.oobnet.core.StageCommand;
import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stage-driven TCP connection against the kernel's TCP in another namespace: the stream both ways, accept,
 * the peer's close and reset as events, a peer that stops reading as short writes and counted would-blocks.
 */
class TcpStageTest
{
    private static final int PORT = 7100;

    @Test
    void shouldEchoExactStreamWhenConnectedToKernelPeer() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final ServerSocketChannel server = hosts.listenInB(PORT);
            final OobSocket socket = hosts.connectFromA(new InetSocketAddress(hosts.b.address(), PORT));
            // the stage echoes each chunk as it arrives
            socket.stageReceiveHandler((s, buffer, offset, length) -> s.oobSend(buffer, offset, length));
            assertEquals(0, TcpOobProtocol.start(socket));
            final SocketChannel peer = hosts.closeLater(server.accept());

            final byte[] sent = new byte[300_000];
            for (int i = 0; i < sent.length; i++)
            {
                sent[i] = (byte)(i * 31 + (i >> 8));
            }
            final byte[] echoed = exchange(peer, sent);
            assertArrayEquals(sent, echoed);
            assertEquals(sent.length, TcpOobProtocol.counter(socket, TcpCounter.BYTES_IN));
            // the stage counts the last bytes after send() returned, and the peer can read them before that
            awaitTrue(() -> sent.length == TcpOobProtocol.counter(socket, TcpCounter.BYTES_OUT), "bytes out counted");
            assertEquals(sent.length, TcpOobProtocol.counter(socket, TcpCounter.BYTES_OUT));
        }
    }

    @Test
    void shouldAcceptOobConnectionWhenListenerIsOob() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final KSocket listener = hosts.listenInA(PORT);
            final SocketChannel peer = hosts.closeLater(hosts.inB(() ->
                SocketChannel.open(new InetSocketAddress(hosts.a.address(), PORT))));
            final KSocket.Accepted accepted = listener.accept(0);
            hosts.closeLater(accepted.socket()::close);
            assertTrue(accepted.socket().isOob(), "an OOB listener's connection is OOB");
            final OobSocket socket = OobSocket.of(accepted.socket());
            socket.stageReceiveHandler((s, buffer, offset, length) -> s.oobSend(buffer, offset, length));
            assertEquals(0, TcpOobProtocol.start(socket));

            final byte[] sent = "ping over an accepted stage connection".getBytes();
            assertArrayEquals(sent, exchange(peer, sent));
        }
    }

    @Test
    void shouldSendInOrderFromApplicationThreadThroughSendRing() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final ServerSocketChannel server = hosts.listenInB(PORT);
            final OobSocket socket = hosts.connectFromA(new InetSocketAddress(hosts.b.address(), PORT));
            assertEquals(0, TcpOobProtocol.start(socket));
            final SocketChannel peer = hosts.closeLater(server.accept());

            // the application thread queues; the stage sends, in order, retrying what the TCP path refused
            final ByteArrayOutputStream expected = new ByteArrayOutputStream();
            final UnsafeBuffer message = new UnsafeBuffer(new byte[100]);
            for (int i = 0; i < 2_000; i++)
            {
                final byte[] text = String.format("message %06d;", i).getBytes();
                message.putBytes(0, text);
                while (socket.offer(message, 0, text.length) < 0)
                {
                    Thread.sleep(1);
                }
                expected.write(text);
            }
            final ByteBuffer in = ByteBuffer.allocate(expected.size());
            while (in.hasRemaining())
            {
                peer.read(in);
            }
            assertArrayEquals(expected.toByteArray(), in.array());
        }
    }

    @Test
    void shouldEndPeersStreamWhenClosedInBand() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final ServerSocketChannel server = hosts.listenInB(PORT);
            final OobSocket socket = hosts.connectFromA(new InetSocketAddress(hosts.b.address(), PORT));
            assertEquals(0, TcpOobProtocol.start(socket));
            final SocketChannel peer = hosts.closeLater(server.accept());
            socket.ksocket().close();

            assertEquals(-1, peer.read(ByteBuffer.allocate(16)), "the peer reads the end of the stream");
        }
    }

    @Test
    void shouldRaiseDisconnectedWhenPeerCloses() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final ServerSocketChannel server = hosts.listenInB(PORT);
            final OobSocket socket = hosts.connectFromA(new InetSocketAddress(hosts.b.address(), PORT));
            final List<String> events = TcpHosts.startRecordingEnd(socket);
            server.accept().close();

            awaitTrue(() -> events.contains("DISCONNECTED 0"), "DISCONNECTED after the peer's close");
            assertEquals(List.of("DISCONNECTED 0"), events);
            assertEquals(1, TcpOobProtocol.counter(socket, TcpCounter.PEER_CLOSES));
            assertEquals(0, TcpOobProtocol.counter(socket, TcpCounter.RESETS));
        }
    }

    @Test
    void shouldRaiseErrorAndDisconnectedWhenPeerResets() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final ServerSocketChannel server = hosts.listenInB(PORT);
            final OobSocket socket = hosts.connectFromA(new InetSocketAddress(hosts.b.address(), PORT));
            final List<String> events = TcpHosts.startRecordingEnd(socket);
            final SocketChannel peer = server.accept();
            // linger 0: close sends a RST
            peer.setOption(StandardSocketOptions.SO_LINGER, 0);
            peer.close();

            awaitTrue(() -> events.contains("DISCONNECTED 0"), "DISCONNECTED after the peer's reset");
            assertEquals(List.of("ERROR " + Errno.ECONNRESET, "DISCONNECTED 0"), events);
            assertEquals(1, TcpOobProtocol.counter(socket, TcpCounter.RESETS));
            assertEquals(0, TcpOobProtocol.counter(socket, TcpCounter.ERRORS), "a reset is not counted an error");
        }
    }

    @Test
    void shouldCountShortWritesAndWouldBlocksWhenPeerStopsReading() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final ServerSocketChannel server = hosts.listenInB(PORT);
            final OobSocket socket = hosts.connectFromA(new InetSocketAddress(hosts.b.address(), PORT));
            hosts.inA(() ->
            {
                socket.ksocket().setOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_SNDBUF, 4096);
                return null;
            });
            assertEquals(0, TcpOobProtocol.start(socket));
            final SocketChannel peer = hosts.closeLater(server.accept());

            // the stage sends 16 KB messages until the outbound buffer refuses one: the peer reads nothing
            final UnsafeBuffer message = new UnsafeBuffer(new byte[16 * 1024]);
            final int[] accepted = new int[1];
            final int refused = socket.runtime().callOnStage(new StageCommand()
            {
                @Override
                protected int execute(final OobStage stage, final long nowNs)
                {
                    for (int i = 0; i < 1000; i++)
                    {
                        final int rc = socket.oobSend(message, 0, message.capacity());
                        if (rc < 0)
                        {
                            return rc;
                        }
                        accepted[0] += rc;
                    }
                    return 0;
                }
            });
            assertEquals(-Errno.EWOULDBLOCK, refused);
            assertEquals(1, TcpOobProtocol.counter(socket, TcpCounter.WOULD_BLOCKS));
            assertTrue(TcpOobProtocol.counter(socket, TcpCounter.SHORT_WRITES) >= 1, "a short write at least");

            // the peer drains: every accepted byte arrives, nothing lost nor duplicated
            final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            long read = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (read < accepted[0] && System.nanoTime() < deadline)
            {
                in.clear();
                read += peer.read(in);
            }
            assertEquals(accepted[0], read);
            awaitTrue(() -> TcpOobProtocol.counter(socket, TcpCounter.BYTES_OUT) == accepted[0], "all bytes out");
        }
    }

    // writes all of data (the stage echoes as it goes), reads back as many bytes
    private static byte[] exchange(final SocketChannel peer, final byte[] data) throws Exception
    {
        peer.configureBlocking(false);
        final ByteBuffer out = ByteBuffer.wrap(data);
        final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        final ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (echoed.size() < data.length && System.nanoTime() < deadline)
        {
            if (out.hasRemaining())
            {
                peer.write(out);
            }
            in.clear();
            final int n = peer.read(in);
            if (n > 0)
            {
                echoed.write(in.array(), 0, n);
            }
            else
            {
                Thread.onSpinWait();
                Thread.sleep(0, 100_000);
            }
        }
        return echoed.toByteArray();
    }

    static void awaitTrue(final java.util.function.BooleanSupplier condition, final String what) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }
}
