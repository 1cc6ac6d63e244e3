package org.oobnet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.tcp.TcpStageTest.awaitTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.oobnet.core.OobSocket;

/**
 * {@link TcpOobProtocol#rxTimestamps}: against the kernel's TCP in another namespace, each write of the peer is
 * handed to the stage handler with a kernel RX time ({@code CLOCK_REALTIME}) between the peer's clock before the
 * write and the moment the handler had it; a connection without timestamps reports 0.
 */
class TcpRxTimestampTest
{
    private static final int PORT = 7530;
    private static final int WRITES = 20;

    @Test
    void shouldStampEachReadWithItsKernelRxTimeWhenRxTimestampsAreOn() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final ServerSocketChannel server = hosts.listenInB(PORT);
            final OobSocket socket = hosts.connectFromA(new InetSocketAddress(hosts.b.address(), PORT));
            final SocketChannel peer = hosts.closeLater(server.accept());
            assertEquals(0, TcpOobProtocol.rxTimestamps(socket));
            final AtomicLong stampNs = new AtomicLong(-1);
            final AtomicLong bytes = new AtomicLong();
            socket.stageReceiveHandler((s, buffer, offset, length) ->
            {
                stampNs.set(TcpOobProtocol.rxTimestampNs(s));
                bytes.addAndGet(length);
            });
            assertEquals(0, TcpOobProtocol.start(socket));

            // the kernel turns software RX timestamps on from a workqueue once a socket asks: the first reads may
            // come unstamped
            long sent = 0;
            for (int i = 0; i < 1000 && stampNs.get() <= 0; i++)
            {
                sent += write(peer);
                final long expected = sent;
                awaitTrue(() -> bytes.get() == expected, "the warm-up bytes");
            }
            assertTrue(stampNs.get() > 0, "no read came stamped");
            for (int i = 0; i < WRITES; i++)
            {
                final long beforeNs = realtimeNs();
                sent += write(peer);
                final long expected = sent;
                awaitTrue(() -> bytes.get() == expected, "write " + i);
                final long afterNs = realtimeNs();
                final long stamp = stampNs.get();
                assertTrue(stamp >= beforeNs && stamp <= afterNs,
                    "write " + i + ": stamp=" + stamp + " not in [" + beforeNs + ", " + afterNs + "]");
            }
        }
    }

    @Test
    void shouldReportNoTimestampWhenRxTimestampsAreOff() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts())
        {
            final ServerSocketChannel server = hosts.listenInB(PORT);
            final OobSocket socket = hosts.connectFromA(new InetSocketAddress(hosts.b.address(), PORT));
            final SocketChannel peer = hosts.closeLater(server.accept());
            final AtomicLong stampNs = new AtomicLong(-1);
            socket.stageReceiveHandler((s, buffer, offset, length) -> stampNs.set(TcpOobProtocol.rxTimestampNs(s)));
            assertEquals(0, TcpOobProtocol.start(socket));
            write(peer);
            awaitTrue(() -> stampNs.get() >= 0, "the bytes");
            assertEquals(0, stampNs.get());
        }
    }

    private static int write(final SocketChannel peer) throws Exception
    {
        final ByteBuffer data = ByteBuffer.wrap("0123456789".getBytes());
        while (data.hasRemaining())
        {
            peer.write(data);
        }
        return data.capacity();
    }

    private static long realtimeNs()
    {
        final Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
