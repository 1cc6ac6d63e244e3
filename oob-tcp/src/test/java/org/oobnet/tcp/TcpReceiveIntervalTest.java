package org.oobnet.tcp;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.Errno;
import org.oobnet.inband.testing.KernelNetStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection with a receive interval, against the kernel's TCP in another namespace: quiet, it is received from
 * once per interval (bytes wait for the next of those receives); after bytes came in or went out it is received
 * from every cycle for an interval. The interval is long (4 s) so that the two cases are seconds apart, not
 * microseconds: the bounds hold on a loaded machine, where the stage or the test thread may be off its CPU for
 * hundreds of milliseconds, and a connection received only once per interval would still wait seconds.
 */
class TcpReceiveIntervalTest
{
    private static final int PORT = 7110;
    private static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(4);
    private static final long QUIET_WAIT_MIN_NS = TimeUnit.SECONDS.toNanos(2);
    private static final long HOT_WAIT_MAX_NS = TimeUnit.MILLISECONDS.toNanos(1500);

    @Test
    void shouldReceiveQuietConnectionOncePerIntervalAndEveryCycleAfterBytesCameIn() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts(new TcpOobProtocol(1024, 1024, INTERVAL_NS)))
        {
            final BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
            final SocketChannel peer = startQuiet(hosts, arrivals).peer();

            final long quietWaitNs = sendAndAwait(peer, arrivals);
            assertTrue(quietWaitNs > QUIET_WAIT_MIN_NS, "a quiet connection's bytes wait for the interval's " +
                "receive: waited " + TimeUnit.NANOSECONDS.toMillis(quietWaitNs) + " ms");
            final long hotWaitNs = sendAndAwait(peer, arrivals);
            assertTrue(hotWaitNs < HOT_WAIT_MAX_NS, "after bytes came in, it is received from every cycle: waited " +
                TimeUnit.NANOSECONDS.toMillis(hotWaitNs) + " ms");
        }
    }

    @Test
    void shouldReceivePeersAnswerAtOnceWhenBytesWentOut() throws Exception
    {
        try (TcpHosts hosts = new TcpHosts(new TcpOobProtocol(1024, 1024, INTERVAL_NS)))
        {
            final BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
            final Connection connection = startQuiet(hosts, arrivals);
            final OobSocket socket = connection.socket();
            final SocketChannel peer = connection.peer();

            // an order goes out from the stage (through the send ring); the peer reads it and answers at once
            final UnsafeBuffer order = new UnsafeBuffer(new byte[]{ 42 });
            assertTrue(socket.offer(order, 0, 1) >= 0);
            final ByteBuffer in = ByteBuffer.allocate(1);
            while (in.hasRemaining())
            {
                assertTrue(peer.read(in) >= 0);
            }
            final long answerWaitNs = sendAndAwait(peer, arrivals);
            assertTrue(answerWaitNs < HOT_WAIT_MAX_NS, "after bytes went out, it is received from every cycle: " +
                "waited " + TimeUnit.NANOSECONDS.toMillis(answerWaitNs) + " ms");
        }
    }

    @Test
    void shouldEndQuietConnectionAsResetWhenItsSendMeetsThePeersReset() throws Exception
    {
        // a receive interval far beyond the test: the send, not a receive, meets the reset
        try (TcpHosts hosts = new TcpHosts(new TcpOobProtocol(1024, 1024, TimeUnit.SECONDS.toNanos(600))))
        {
            final ServerSocketChannel server = hosts.listenInB(PORT);
            final OobSocket socket = hosts.connectFromA(new InetSocketAddress(hosts.b.address(), PORT));
            final List<String> events = TcpHosts.startRecordingEnd(socket);
            final SocketChannel peer = server.accept();
            awaitFirstReceive(hosts);
            final int localPort = socket.ksocket().localName().getPort();
            assertEquals(1, hosts.fixture.call(hosts.a, () -> KernelNetStats.sockets("tcp", localPort)).size(),
                "A's connection in its kernel's table");
            // linger 0: close sends a RST, which the quiet connection does not receive
            peer.setOption(StandardSocketOptions.SO_LINGER, 0);
            peer.close();
            // A's kernel took the RST: the connection left its table (closed)
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!hosts.fixture.call(hosts.a, () -> KernelNetStats.sockets("tcp", localPort)).isEmpty())
            {
                assertTrue(System.nanoTime() - deadlineNs < 0, "A's kernel did not take the reset");
                Thread.sleep(2);
            }
            // a stage that received the quiet connection anyway would show the reset within this
            Thread.sleep(200);
            assertEquals(List.of(), events, "nothing received before the send");

            final UnsafeBuffer order = new UnsafeBuffer(new byte[]{ 42 });
            assertTrue(socket.offer(order, 0, 1) >= 0);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!events.contains("DISCONNECTED 0") && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertEquals(List.of("ERROR " + Errno.ECONNRESET, "DISCONNECTED 0"), events);
            assertEquals(1, TcpOobProtocol.counter(socket, TcpCounter.RESETS));
            assertEquals(0, TcpOobProtocol.counter(socket, TcpCounter.ERRORS), "a reset is not counted an error");
        }
    }

    @Test
    void shouldRefuseNegativeReceiveInterval()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new TcpOobProtocol(1024, 1024, -1));
        assertEquals("receiveIntervalNs=-1 must not be negative", ex.getMessage());
    }

    private record Connection(OobSocket socket, SocketChannel peer)
    {
    }

    // a started connection whose stage records each delivery's time (System.nanoTime) in arrivals, quiet: its
    // first cycle's receive found nothing, so the next is an interval later
    private static Connection startQuiet(final TcpHosts hosts, final BlockingQueue<Long> arrivals) throws Exception
    {
        final ServerSocketChannel server = hosts.listenInB(PORT);
        final OobSocket socket = hosts.connectFromA(new InetSocketAddress(hosts.b.address(), PORT));
        socket.stageReceiveHandler((s, buffer, offset, length) -> arrivals.add(System.nanoTime()));
        assertEquals(0, TcpOobProtocol.start(socket));
        final SocketChannel peer = hosts.closeLater(server.accept());
        awaitFirstReceive(hosts);
        return new Connection(socket, peer);
    }

    // the stage finished a cycle after the one that started the connection (start returns once that one ended): the
    // connection's first receive, which begins its quiet schedule, is done (the cycles counter is raised last)
    private static void awaitFirstReceive(final TcpHosts hosts) throws Exception
    {
        final long cycles = hosts.runtime.counters().cycles().get();
        TcpStageTest.awaitTrue(() -> hosts.runtime.counters().cycles().get() > cycles + 1, "two stage cycles");
    }

    // the peer writes one byte: how long until the stage delivered it
    private static long sendAndAwait(final SocketChannel peer, final BlockingQueue<Long> arrivals) throws Exception
    {
        final long sentNs = System.nanoTime();
        assertEquals(1, peer.write(ByteBuffer.wrap(new byte[]{ 7 })));
        final Long arrivedNs = arrivals.poll(10, TimeUnit.SECONDS);
        assertNotNull(arrivedNs, "the byte was delivered");
        return arrivedNs - sentNs;
    }
}
