package org.oobnet.moldudp64;

import com.paritytrading.nassau.MessageListener;
import com.paritytrading.nassau.moldudp64.MoldUDP64Client;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.moldudp64.publish.LineFaults;
import org.oobnet.moldudp64.publish.MoldUdp64MessageStore;
import org.oobnet.moldudp64.publish.MoldUdp64Publisher;
import org.oobnet.moldudp64.publish.MoldUdp64RequestServer;
import org.oobnet.moldudp64.publish.PublishedLine;
import org.oobnet.moldudp64.stage.MoldUdp64Address;
import org.oobnet.moldudp64.stage.MoldUdp64Counter;
import org.oobnet.moldudp64.stage.MoldUdp64Protocol;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;
import org.oobnet.udp.frame.Ipv4Flyweight;

import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MoldUDP64 feed socket (the SDK protocol) end to end, across two namespaces, against Nassau: a subscribing
 * socket receives Nassau's A/B feed with loss, reordering and repeats on both lines and asks Nassau's request
 * server; a publishing socket feeds Nassau's client through a faulty relay and answers its requests on the stage.
 * Exact books both ways; the per-line counters are in the counters file; the stage allocates nothing while the
 * feed socket receives, arbitrates, recovers and delivers.
 */
class MoldUdp64FeedSocketTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(90);

    @Test
    void shouldDeliverNassausFeedAsRecordsOnceInOrderWithPerLineCountersInTheCountersFile() throws Exception
    {
        final int messageCount = 6000;
        final long seed = 23L;
        try (NetnsFixture net = NetnsFixture.create(2))
        {
            final NetnsFixture.Host pub = net.host(0);
            final NetnsFixture.Host sub = net.host(1);
            try (Runtime run = Runtime.start(net, sub))
            {
                final KSocket feed = net.call(sub, () -> open(MoldUdp64Address.subscribe(
                    Ipv4Flyweight.parseAddress(sub.address()),
                    Ipv4Flyweight.parseAddress(pub.address()), NassauFeed.REQUEST_PORT,
                    new int[]{ Ipv4Flyweight.parseAddress(NassauFeed.GROUP_A), Ipv4Flyweight.parseAddress(NassauFeed.GROUP_B) },
                    new int[]{ NassauFeed.PORT_A, NassauFeed.PORT_B })));
                final RecordBook book = new RecordBook();
                OobSocket.of(feed).stageReceiveHandler(book);
                try (NassauFeed nassau = new NassauFeed(net, pub, seed))
                {
                    nassau.start(messageCount, seed, System.nanoTime() + DEADLINE_NS);
                    final long deadline = System.nanoTime() + DEADLINE_NS;
                    while (book.endOfSession < 0 && System.nanoTime() - deadline < 0 && !nassau.isDone())
                    {
                        Thread.sleep(10);
                    }
                    // the stage publishes the counters every millisecond when it runs: wait for the last publication
                    // (a loaded machine's stage can miss a few ms), at most 10 s
                    Map<String, Long> counters = run.feedCounters(feed);
                    final long published = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (wins(counters) < messageCount && System.nanoTime() - published < 0)
                    {
                        Thread.sleep(1);
                        counters = run.feedCounters(feed);
                    }
                    final long packets = nassau.stop();
                    feed.close();
                    final String books = "packets=" + packets + " " + nassau.books() + " " + book.books() + " " + counters;
                    System.out.println(books);
                    assertNull(book.broken, books);
                    assertEquals(messageCount + 1L, book.endOfSession, books);
                    assertEquals(messageCount, book.delivered, "Nassau's request server answers every request; " + books);
                    assertEquals(1, book.sessions, books);
                    // the kernel's RX time of the packet (CLOCK_REALTIME), not the stage's cycle clock
                    assertTrue(Math.abs(book.lastRxTimestampNs - System.currentTimeMillis() * 1_000_000L) <
                        TimeUnit.SECONDS.toNanos(60), "RX timestamp " + book.lastRxTimestampNs + "; " + books);
                    assertEquals(messageCount, wins(counters), books);
                    assertTrue(counters.get("line A recovered") + counters.get("line B recovered") > 0,
                        "a line filled the other's gap; " + books);
                    assertTrue(counters.get("request server requests") > 0 && counters.get("request server recovered") > 0,
                        "both lines lost some packet and the request server filled it; " + books);
                    assertTrue(counters.get("line A gaps") > 0 && counters.get("line B duplicates") > 0, books);
                    assertEquals(0, counters.get("request server lost"), books);
                    // requests sent again after a timeout, in the counters file as oobnet stat shows them
                    assertTrue(counters.get("request server re-requests") <= counters.get("request server requests") &&
                        counters.get("line A re-requests") + counters.get("line B re-requests") <=
                        counters.get("request server re-requests"), books);
                    assertEquals(0, run.runtime.counters().errors().get(), "stage errors; " + books);
                }
            }
        }
    }

    @Test
    void shouldServeNassausClientEveryMessageInOrderFromAPublishingSocketThroughALossyLine() throws Exception
    {
        final int messageCount = 6000;
        final long seed = 24L;
        final int relayPort = 21_021;
        final int requestPort = 21_023;
        try (NetnsFixture net = NetnsFixture.create(2))
        {
            final NetnsFixture.Host pub = net.host(0);
            final NetnsFixture.Host sub = net.host(1);
            try (Runtime run = Runtime.start(net, pub))
            {
                // the line goes to a relay in the subscriber's namespace that drops, swaps and repeats by a seeded
                // schedule (no netem here) and hands on to Nassau's client on loopback
                final DatagramChannel relayIn = net.call(sub, () -> MulticastSockets.unicast(sub.address(), relayPort));
                final DatagramChannel clientIn = net.call(sub, () -> MulticastSockets.unicast("127.0.0.1", 0));
                final PublishedLine relayOut = net.call(sub, () -> new PublishedLine(
                    MulticastSockets.unicast("127.0.0.1", 0), clientIn.getLocalAddress(), new LineFaults(seed, 0.05, 0.03, 0.03)));
                final KSocket feed = net.call(pub, () -> open(MoldUdp64Address.publish(
                    Ipv4Flyweight.parseAddress(pub.address()), requestPort, "OOBFEED",
                    new int[]{ Ipv4Flyweight.parseAddress(sub.address()) }, new int[]{ relayPort })));
                final OobSocket publisher = OobSocket.of(feed);

                final long[] delivered = { 0 };
                final NassauStatus status = new NassauStatus();
                final String[] broken = { null };
                final MessageListener listener = buffer ->
                {
                    if (delivered[0] + 1 != buffer.getLong(buffer.position()) && null == broken[0])
                    {
                        broken[0] = "Nassau delivered " + buffer.getLong(buffer.position()) + " after " + delivered[0];
                    }
                    delivered[0]++;
                };
                final MoldUDP64Client client = net.call(sub, () -> new MoldUDP64Client(clientIn,
                    MulticastSockets.unicast(sub.address(), 0), new InetSocketAddress(pub.address(), requestPort),
                    listener, status, 1));

                final Random random = new Random(seed);
                final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
                final ByteBuffer relayed = ByteBuffer.allocateDirect(65536);
                long sequence = 1;
                final long deadline = System.nanoTime() + DEADLINE_NS;
                while (delivered[0] < messageCount && System.nanoTime() - deadline < 0)
                {
                    if (sequence <= messageCount && publisher.sendQueuedBytes() < 16 * 1024)
                    {
                        message.putLong(0, sequence, ByteOrder.BIG_ENDIAN);
                        if (0 == publisher.offer(message, 0, 8 + random.nextInt(40)))
                        {
                            sequence++;
                        }
                    }
                    relay(relayIn, relayOut, relayed);
                    if (!(client.receive() | client.receiveResponse()))
                    {
                        LockSupport.parkNanos(20_000);
                    }
                }
                relayOut.flushHeld();
                final Map<String, Long> counters = run.feedCounters(feed);
                feed.close();
                client.close();
                relayIn.close();
                relayOut.close();

                final String books = "delivered=" + delivered[0] + " nassauRequests=" + status.requests +
                    " dropped=" + relayOut.dropped() + " swapped=" + relayOut.swapped() + " repeated=" +
                    relayOut.repeated() + " " + counters;
                System.out.println(books);
                assertNull(broken[0], books);
                assertEquals(messageCount, delivered[0], books);
                assertEquals(messageCount, counters.get("published messages"), books);
                assertTrue(counters.get("requests answered") > 0, "the relay lost packets; our stage answered; " + books);
                assertEquals(0, counters.get("line send failures"), books);
                assertEquals(0, run.runtime.counters().errors().get(), "stage errors; " + books);
            }
        }
    }

    @Test
    void shouldAllocateNothingOnTheStageWhileTheFeedSocketReceivesArbitratesRecoversAndDelivers() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        try (NetnsFixture net = NetnsFixture.create(2))
        {
            final NetnsFixture.Host pub = net.host(0);
            final NetnsFixture.Host sub = net.host(1);
            try (Runtime run = Runtime.start(net, sub))
            {
                final String groupA = "239.251.20.11";
                final String groupB = "239.251.20.12";
                final KSocket feed = net.call(sub, () -> open(MoldUdp64Address.subscribe(
                    Ipv4Flyweight.parseAddress(sub.address()), Ipv4Flyweight.parseAddress(pub.address()), 21_053,
                    new int[]{ Ipv4Flyweight.parseAddress(groupA), Ipv4Flyweight.parseAddress(groupB) },
                    new int[]{ 21_051, 21_052 })));
                final RecordBook book = new RecordBook();
                OobSocket.of(feed).stageReceiveHandler(book);
                // both lines lose 1% (the same packet now and then: requests too), swap and repeat some
                final MoldUdp64MessageStore store = new MoldUdp64MessageStore();
                final MoldUdp64Publisher publisher = net.call(pub, () -> new MoldUdp64Publisher("ALLOC", store, 1400,
                    List.of(new PublishedLine(MulticastSockets.sender(pub.interfaceName()),
                            new InetSocketAddress(groupA, 21_051), new LineFaults(31, 0.01, 0.01, 0.01)),
                        new PublishedLine(MulticastSockets.sender(pub.interfaceName()),
                            new InetSocketAddress(groupB, 21_052), new LineFaults(32, 0.01, 0.01, 0.01)))));
                final MoldUdp64RequestServer server = net.call(pub, () -> new MoldUdp64RequestServer(
                    MulticastSockets.unicast(pub.address(), 21_053), publisher.session(), store, 1400));
                final AtomicBoolean running = new AtomicBoolean(true);
                final java.util.concurrent.CompletableFuture<Void> publishing =
                    java.util.concurrent.CompletableFuture.runAsync(() ->
                    {
                        try
                        {
                            final UnsafeBuffer message = new UnsafeBuffer(new byte[32]);
                            long sequence = 1;
                            while (running.get())
                            {
                                for (int i = 0; i < 4; i++, sequence++)
                                {
                                    message.putLong(0, sequence, ByteOrder.BIG_ENDIAN);
                                    publisher.publish(message, 0, message.capacity());
                                }
                                publisher.flush();
                                server.poll(8);
                                LockSupport.parkNanos(50_000L);
                            }
                        }
                        catch (final java.io.IOException ex)
                        {
                            throw new java.io.UncheckedIOException(ex);
                        }
                    });
                try
                {
                    final long stage = run.runtime.stageThread().threadId();
                    assertTrue(threads.getThreadAllocatedBytes(stage) > 0, "the stage thread's allocation is measured");
                    awaitDelivered(book, 40_000);
                    // rounds until one allocates nothing (C1 code allocates what C2's escape analysis removes); a
                    // real allocation per packet or message shows in every round
                    final long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    long fewest = Long.MAX_VALUE;
                    int rounds = 0;
                    do
                    {
                        final long before = threads.getThreadAllocatedBytes(stage);
                        awaitDelivered(book, book.delivered + 10_000);
                        fewest = Math.min(fewest, threads.getThreadAllocatedBytes(stage) - before);
                        rounds++;
                    }
                    while (fewest != 0 && System.nanoTime() - limit < 0);
                    final Map<String, Long> counters = run.feedCounters(feed);
                    final String books = book.books() + " rounds=" + rounds + " " + counters;
                    System.out.println(books);
                    assertNull(book.broken, books);
                    assertTrue(counters.get("request server requests") > 0, "the run went through recovery; " + books);
                    assertEquals(0, fewest, "fewest bytes the stage allocated in a round of 10,000 messages; " + books);
                    assertEquals(0, run.runtime.counters().errors().get(), books);
                }
                finally
                {
                    running.set(false);
                    publishing.get(10, TimeUnit.SECONDS);
                    feed.close();
                    publisher.close();
                    server.close();
                }
            }
        }
    }

    private static void awaitDelivered(final RecordBook book, final long delivered) throws InterruptedException
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (book.delivered < delivered && null == book.broken)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("delivered " + book.delivered + " of " + delivered + ": " + book.books());
            }
            Thread.sleep(5);
        }
    }

    private static void relay(final DatagramChannel in, final PublishedLine out, final ByteBuffer relayed) throws Exception
    {
        while (true)
        {
            relayed.clear();
            if (null == in.receive(relayed))
            {
                return;
            }
            relayed.flip();
            out.send(relayed);
        }
    }

    /** In the namespace: a feed socket bound to {@code address}. */
    private static KSocket open(final MoldUdp64Address address) throws Exception
    {
        final KSocket socket = KSocket.socket(OobRuntime.AF_OOB,
            MoldUdp64Protocol.SOCK_DGRAM | SocketConstants.SOCK_OOB, MoldUdp64Protocol.IPPROTO_MOLDUDP64);
        try (Arena arena = Arena.ofConfined())
        {
            socket.bind(address.encode(arena));
            return socket;
        }
        catch (final Exception ex)
        {
            socket.close();
            throw ex;
        }
    }

    /** A runtime with the feed protocol and the UDP stack of one host. */
    private static final class Runtime implements AutoCloseable
    {
        final UdpStack stack;
        final OobRuntime runtime;

        private Runtime(final UdpStack stack, final OobRuntime runtime)
        {
            this.stack = stack;
            this.runtime = runtime;
        }

        static Runtime start(final NetnsFixture net, final NetnsFixture.Host host) throws Exception
        {
            final UdpStack stack = net.call(host, () ->
                UdpStack.open(UdpStackConfig.of(UdpTransport.PACKET, host.interfaceName())));
            final ProtocolRegistry registry = new ProtocolRegistry();
            registry.register(SocketConstants.AF_INET, stack.protocol());
            registry.register(OobRuntime.AF_OOB, new MoldUdp64Protocol());
            final Path countersDir = Files.createTempDirectory("moldudp64-socket-test");
            return new Runtime(stack, OobRuntime.start(OobConfig.builder()
                .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
                .countersDir(countersDir)
                .countersValuesBytes(64 * 1024 * 128)
                .errorLogBytes(64 * 1024)
                .build(), registry));
        }

        /** The feed socket's counters as the counters file has them. */
        Map<String, Long> feedCounters(final KSocket feed)
        {
            return MoldUdp64Counter.read(runtime.countersPath(), OobSocket.of(feed).id());
        }

        @Override
        public void close()
        {
            runtime.close();
            stack.close();
        }
    }

    // messages each part took first: every message once when the books are complete
    static long wins(final Map<String, Long> counters)
    {
        return counters.get("line A wins") + counters.get("line B wins") + counters.get("request server wins");
    }
}
