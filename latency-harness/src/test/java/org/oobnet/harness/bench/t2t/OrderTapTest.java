package org.oobnet.harness.bench.t2t;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.core.RealtimeNanoClock;
import org.oobnet.inband.testing.KernelNetStats;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.soupbintcp.SoupBinTcpDescriptor;

/**
 * The exchange's order tap over a real veth between two namespaces: two orders, the second sent {@value #GAP_MS} ms
 * after the first waited in the exchange's socket, read by the exchange only after both arrived (it was late) keep
 * each its own kernel RX time: the first's is before the second was sent. The order socket's
 * {@code SCM_TIMESTAMPING} gives such a read one time, the second order's, for both: the first order's came out a
 * gap late (BENCHMARKS.md "Session 12 — t2t ms p99"). A segment cut inside a SoupBinTCP packet is counted, not
 * stamped; a retransmitted order keeps its first time. The socket's stamp stays an order's kernel RX time where it
 * is the order's own.
 */
class OrderTapTest
{
    private static final int PORT = 15_401;
    private static final long GAP_MS = 20;
    private static final int PACKET_LENGTH = SoupBinTcpDescriptor.PAYLOAD_OFFSET + T2tMessages.ORDER_LENGTH;
    // the realtime clock of this JVM against the kernel's: calibrated once, off by well under this
    private static final long CLOCK_SLACK_NS = TimeUnit.MICROSECONDS.toNanos(200);

    private final RealtimeNanoClock realtime = new RealtimeNanoClock();

    @Test
    void shouldStampEachOrderWhenOneReadReturnsTwo() throws Exception
    {
        withLink((link, tap, client, stamps) ->
        {
            final long firstSendNs = realtime.nanoTime();
            client.write(orderPacket(1));
            // order 2 goes a gap after order 1 waits in the exchange's socket (the tap takes it in the same softirq
            // pass), not a gap after order 1 was sent: a loaded machine may defer that receive for longer
            awaitQueuedAtExchange(link, PACKET_LENGTH);
            Thread.sleep(GAP_MS);
            final long secondSendNs = realtime.nanoTime();
            client.write(orderPacket(2));

            // the exchange reads late: both orders wait in its socket, where one read takes both under one stamp
            try (SocketChannel accepted = link.server().accept())
            {
                final ByteBuffer read = ByteBuffer.allocate(4 * PACKET_LENGTH);
                final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (read.position() < 2 * PACKET_LENGTH && System.nanoTime() - deadlineNs < 0)
                {
                    accepted.read(read);
                }
                assertEquals(2 * PACKET_LENGTH, read.position(), "both orders read");
            }
            final long readNs = realtime.nanoTime();
            tap.drain(stamps);

            // order 1's time is its own: before order 2 was sent (a shared stamp is order 2's, after it); the
            // receive normally runs inside the send call, later only when the softirq was deferred
            final long first = stamps.get(1, TickStamps.ORDER_TAP_RX);
            final long second = stamps.get(2, TickStamps.ORDER_TAP_RX);
            assertTrue(first >= firstSendNs - CLOCK_SLACK_NS && first < secondSendNs - CLOCK_SLACK_NS,
                "order 1: " + first + " not in [" + firstSendNs + ", " + secondSendNs + ")");
            assertTrue(second >= secondSendNs - CLOCK_SLACK_NS && second <= readNs + CLOCK_SLACK_NS,
                "order 2: " + second + " not in [" + secondSendNs + ", " + readNs + "]");
            assertEquals(2, tap.segments());
            assertEquals(2, tap.orders());
            assertEquals(0, tap.unparsed());
        });
    }

    @Test
    void shouldCountASegmentCutInsideAPacketAndKeepARetransmittedOrdersFirstTime() throws Exception
    {
        withLink((link, tap, client, stamps) ->
        {
            client.write(orderPacket(3));
            // the receive usually ran in the write; under load the softirq may run a little later
            awaitSegments(tap, stamps, 1);
            final long firstTime = stamps.get(3, TickStamps.ORDER_TAP_RX);
            Thread.sleep(2);
            // the same order again (as a retransmission would carry it), then a packet cut short
            client.write(orderPacket(3));
            final ByteBuffer cut = orderPacket(4);
            cut.limit(PACKET_LENGTH - 5);
            client.write(cut);
            awaitSegments(tap, stamps, 3);
            assertTrue(firstTime > 0, "order 3 stamped");
            assertEquals(firstTime, stamps.get(3, TickStamps.ORDER_TAP_RX), "the first time kept");
            assertEquals(0, stamps.get(4, TickStamps.ORDER_TAP_RX), "a cut packet is not stamped");
            assertEquals(3, tap.segments());
            assertEquals(1, tap.orders());
            assertEquals(1, tap.unparsed());
        });
    }

    @Test
    void shouldKeepTheSocketStampOnlyWhenItIsTheOrdersOwn()
    {
        final TickStamps stamps = new TickStamps(4, TickStamps.EXCHANGE_COLUMNS);
        // ticks 1 and 2 came in one read (one socket stamp, the later segment's); 3 alone; 4 without a socket stamp
        final long[] socket = { 0, 2_000, 2_000, 3_000, 0 };
        final long[] tap = { 0, 1_001, 2_001, 3_001, 4_001 };
        for (int tick = 1; tick <= 4; tick++)
        {
            stamps.put(tick, TickStamps.ORDER_SOCKET_RX, socket[tick]);
            stamps.put(tick, TickStamps.ORDER_TAP_RX, tap[tick]);
        }
        OrderTap.chooseKernelRx(stamps);
        assertEquals(1_001, stamps.get(1, TickStamps.ORDER_KERNEL_RX), "shared: the tap's");
        assertEquals(2_000, stamps.get(2, TickStamps.ORDER_KERNEL_RX), "the read's last order: its own");
        assertEquals(3_000, stamps.get(3, TickStamps.ORDER_KERNEL_RX), "alone: its own");
        assertEquals(4_001, stamps.get(4, TickStamps.ORDER_KERNEL_RX), "no socket stamp: the tap's");
    }

    @FunctionalInterface
    private interface LinkTest
    {
        void run(OrderLink link, OrderTap tap, SocketChannel client, TickStamps stamps) throws Exception;
    }

    // two fresh namespaces, the link between them and empty exchange times for each test
    private static void withLink(final LinkTest test) throws Exception
    {
        try (NetnsFixture fixture = NetnsFixture.create(2);
            OrderLink link = OrderLink.open(fixture))
        {
            test.run(link, link.tap(), link.client(), new TickStamps(8, TickStamps.EXCHANGE_COLUMNS));
        }
    }

    // the exchange (host 0) with its tap and listening order port; the trader (host 1) connected to it, no delay
    private record OrderLink(NetnsFixture fixture, OrderTap tap, ServerSocketChannel server, SocketChannel client)
        implements AutoCloseable
    {
        static OrderLink open(final NetnsFixture fixture) throws Exception
        {
            final NetnsFixture.Host exchange = fixture.host(0);
            final InetSocketAddress address = new InetSocketAddress(exchange.address(), PORT);
            final OrderTap tap = fixture.call(exchange,
                () -> OrderTap.open(exchange.interfaceName(), exchange.address(), PORT));
            final ServerSocketChannel server = fixture.call(exchange, () -> ServerSocketChannel.open().bind(address));
            final SocketChannel client = fixture.call(fixture.host(1), () -> SocketChannel.open(address));
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return new OrderLink(fixture, tap, server, client);
        }

        // bytes the exchange's kernel received on established connections to the order port, not yet read
        long queuedAtExchange() throws Exception
        {
            return fixture.call(fixture.host(0), () -> KernelNetStats.sockets("tcp", PORT).stream()
                .filter(row -> KernelNetStats.TCP_ESTABLISHED == row.state())
                .mapToLong(KernelNetStats.SocketRow::rxQueued).sum());
        }

        @Override
        public void close() throws IOException
        {
            client.close();
            server.close();
            tap.close();
        }
    }

    // the exchange's kernel holds this many bytes of the accepted-or-not connection on the order port, unread
    private static void awaitQueuedAtExchange(final OrderLink link, final long bytes) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (link.queuedAtExchange() < bytes)
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, "the exchange's kernel did not queue " + bytes + " bytes");
            Thread.sleep(1);
        }
    }

    private static void awaitSegments(final OrderTap tap, final TickStamps stamps, final long segments)
        throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        tap.drain(stamps);
        while (tap.segments() < segments && System.nanoTime() - deadlineNs < 0)
        {
            Thread.sleep(1);
            tap.drain(stamps);
        }
    }

    private static ByteBuffer orderPacket(final long tick)
    {
        final UnsafeBuffer order = new UnsafeBuffer(new byte[T2tMessages.ORDER_LENGTH]);
        T2tMessages.decide(tick, T2tMessages.priceOf(tick), order);
        final ByteBuffer packet = ByteBuffer.allocate(PACKET_LENGTH);
        packet.putShort((short)(1 + T2tMessages.ORDER_LENGTH));
        packet.put(SoupBinTcpDescriptor.UNSEQUENCED_DATA);
        packet.put(order.byteArray());
        return packet.flip();
    }
}
