package org.oobnet.moldudp64;

import com.paritytrading.nassau.MessageListener;
import com.paritytrading.nassau.moldudp64.MoldUDP64Client;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.moldudp64.inband.KernelFeedReceiver;
import org.oobnet.moldudp64.publish.LineFaults;
import org.oobnet.moldudp64.publish.MoldUdp64MessageStore;
import org.oobnet.moldudp64.publish.MoldUdp64Publisher;
import org.oobnet.moldudp64.publish.MoldUdp64RequestServer;
import org.oobnet.moldudp64.publish.PublishedLine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interop with an independent MoldUDP64 implementation, Nassau, across two network namespaces joined by veth:
 * Nassau's server and request server feeding our receiver over two lines (A/B), and our publisher and request
 * server feeding Nassau's client. Each line drops, reorders and repeats packets by a seeded schedule applied in
 * the publishing namespace. Exact books both ways.
 */
class NassauInteropTest
{
    private static final String IF = NetnsFixture.HOST_INTERFACE;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(90);

    /**
     * Nassau publishes through a relay in its namespace that fans each packet out to lines A and B, each with
     * its own faults; our receiver arbitrates the two lines in the other namespace and asks Nassau's request
     * server for what both lost.
     */
    @Test
    void shouldDeliverNassausFeedOnceInOrderWhenBothLinesLoseReorderAndRepeat() throws Exception
    {
        final int messageCount = 6000;
        final long seed = 20L;
        System.out.println("seed=" + seed);
        try (NetnsFixture net = NetnsFixture.create(2))
        {
            final NetnsFixture.Host pub = net.host(0);
            final NetnsFixture.Host sub = net.host(1);
            final FeedBook book = new FeedBook();
            final MoldUdp64ReceiverConfig config = new MoldUdp64ReceiverConfig(
                2, 1, 500_000, 20_000_000, 500_000_000, 10, 1000);
            final KernelFeedReceiver receiver = net.call(sub, () -> new KernelFeedReceiver(config, book,
                List.of(MulticastSockets.member(IF, NassauFeed.GROUP_A, NassauFeed.PORT_A),
                    MulticastSockets.member(IF, NassauFeed.GROUP_B, NassauFeed.PORT_B)),
                MulticastSockets.unicast(sub.address(), 0),
                new InetSocketAddress(pub.address(), NassauFeed.REQUEST_PORT)));
            try (NassauFeed feed = new NassauFeed(net, pub, seed))
            {
                feed.start(messageCount, seed, System.nanoTime() + DEADLINE_NS);
                final long packets;
                try
                {
                    final long deadline = System.nanoTime() + DEADLINE_NS;
                    while (book.endOfSession < 0 && System.nanoTime() - deadline < 0 && !feed.isDone())
                    {
                        if (0 == receiver.poll(64))
                        {
                            LockSupport.parkNanos(50_000);
                        }
                    }
                }
                finally
                {
                    packets = feed.stop();
                    receiver.close();
                }

                final MoldUdp64Receiver r = receiver.receiver();
                final String books = "packets=" + packets + " " + feed.books() + " requests=" + r.feed().requests() +
                    " retransmitted=" + r.line(2).wins() + " filledA=" + r.line(0).filled() +
                    " filledB=" + r.line(1).filled() + " lost=" + r.feed().lost();
                System.out.println(books);
                book.assertNassauFeed(r, messageCount, books);
                assertTrue(feed.lineA.dropped() > 0 && feed.lineB.dropped() > 0 && feed.lineA.swapped() > 0 &&
                    feed.lineA.repeated() > 0, books);
                assertTrue(r.line(0).duplicates() + r.line(1).duplicates() > 0, books);
            }
        }
    }

    /**
     * Our publisher sends a lossy, reordered, repeated line and our request server answers; Nassau's client
     * receives it in the other namespace and must deliver every message once, in order.
     */
    @Test
    void shouldServeNassausClientEveryMessageInOrderWhenOurLineLosesReordersAndRepeats() throws Exception
    {
        final int messageCount = 6000;
        final long seed = 21L;
        System.out.println("seed=" + seed);
        try (NetnsFixture net = NetnsFixture.create(2))
        {
            final NetnsFixture.Host pub = net.host(0);
            final NetnsFixture.Host sub = net.host(1);
            final MoldUdp64MessageStore store = new MoldUdp64MessageStore();
            final MoldUdp64Publisher publisher = net.call(pub, () -> new MoldUdp64Publisher("OOBNET", store, 1400,
                List.of(new PublishedLine(MulticastSockets.sender(IF), new InetSocketAddress("239.251.20.3", 21011),
                    new LineFaults(seed, 0.05, 0.03, 0.03)))));
            final MoldUdp64RequestServer requestServer = net.call(pub, () -> new MoldUdp64RequestServer(
                MulticastSockets.unicast(pub.address(), 21013), publisher.session(), store, 1400));

            final long[] delivered = { 0 };
            final MessageListener listener = buffer ->
            {
                final long expected = delivered[0] + 1;
                assertEquals(expected, buffer.getLong(buffer.position()), "Nassau delivered out of order");
                delivered[0]++;
            };
            final NassauStatus status = new NassauStatus();
            final MoldUDP64Client client = net.call(sub, () -> new MoldUDP64Client(
                MulticastSockets.member(IF, "239.251.20.3", 21011), MulticastSockets.unicast(sub.address(), 0),
                new InetSocketAddress(pub.address(), 21013), listener, status, 1));

            final AtomicBoolean done = new AtomicBoolean();
            final CompletableFuture<Void> publishing = CompletableFuture.runAsync(() ->
            {
                try
                {
                    final Random random = new Random(seed);
                    final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
                    final long deadline = System.nanoTime() + DEADLINE_NS;
                    long sequence = 1;
                    while (!done.get() && System.nanoTime() - deadline < 0)
                    {
                        if (sequence <= messageCount)
                        {
                            final int length = 8 + random.nextInt(40);
                            message.putLong(0, sequence, ByteOrder.BIG_ENDIAN);
                            assertEquals(sequence, publisher.publish(message, 0, length));
                            sequence++;
                            if (0 == random.nextInt(4))
                            {
                                publisher.flush();
                                LockSupport.parkNanos(30_000);
                            }
                        }
                        else
                        {
                            publisher.endOfSession();
                            LockSupport.parkNanos(20_000_000);
                        }
                        requestServer.poll(16);
                    }
                }
                catch (final IOException ex)
                {
                    throw new java.io.UncheckedIOException(ex);
                }
            });

            try
            {
                final long deadline = System.nanoTime() + DEADLINE_NS;
                while (!status.ended.get() && System.nanoTime() - deadline < 0 && !publishing.isDone())
                {
                    final boolean got = client.receive() | client.receiveResponse();
                    if (!got)
                    {
                        LockSupport.parkNanos(50_000);
                    }
                }
            }
            finally
            {
                done.set(true);
            }
            publishing.get(30, TimeUnit.SECONDS);
            client.close();
            publisher.close();
            requestServer.close();

            final String books = "delivered=" + delivered[0] + " nassauRequests=" + status.requests +
                " answered=" + requestServer.answered() + " messagesSent=" + requestServer.messagesSent() +
                " packets=" + publisher.packetsSent();
            System.out.println(books);
            assertTrue(status.ended.get(), "Nassau saw the end of session; " + books);
            assertEquals(messageCount, delivered[0], books);
            assertTrue(requestServer.answered() > 0, "the line lost packets; our request server filled them; " + books);
            assertEquals(0, requestServer.drops().dropped(), "Nassau's requests parse; " + books);
            assertEquals(0, requestServer.wrongSession(), books);
        }
    }
}
