package org.oobnet.harness.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import org.agrona.DirectBuffer;
import org.oobnet.moldudp64.MoldUdp64Handler;
import org.oobnet.moldudp64.MoldUdp64Receiver;
import org.oobnet.moldudp64.MoldUdp64ReceiverConfig;
import org.oobnet.moldudp64.inband.KernelFeedReceiver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.core.counters.CountersFileReader;
import org.oobnet.core.counters.CountersPrinter;
import org.oobnet.netns.testing.NetnsFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code oobnet feed publish} in one namespace, {@code oobnet feed moldudp64} on the OOB stage in the other: two
 * multicast lines on one port (two groups, as Nasdaq runs them), each losing 2% of its packets (and swapping and repeating some) by a seeded schedule, requests
 * to the publisher's request server. The receiver's JSON has exact books: every message once, in order, none
 * lost, with gaps filled from the other line and by retransmission, and an RX-to-delivery latency per message.
 * Requests and lost messages are counted on the line that showed each gap. The interface is left to the
 * kernel's route to the request server.
 */
class FeedCommandTest
{
    @Test
    void shouldReceiveEveryPublishedMessageOnceInOrderWhenBothLinesLoseSomePackets(@TempDir final Path dir)
        throws Exception
    {
        final int count = 20_000;
        try (NetnsFixture net = NetnsFixture.create(2))
        {
            final NetnsFixture.Host pub = net.host(0);
            final NetnsFixture.Host sub = net.host(1);
            final Path received = dir.resolve("received.json");
            final Path published = dir.resolve("published.json");
            final CompletableFuture<Integer> receiver = CompletableFuture.supplyAsync(() -> call(net, sub, List.of(
                "feed", "moldudp64", "--line-a", "239.251.30.1:21031", "--line-b", "239.251.30.2:21031",
                "--request", pub.address() + ":21033", "--count", String.valueOf(count), "--duration", "60s", "--idle", "yield",
                "--counters-dir", dir.resolve("counters").toString(), "--json", received.toString())));
            final Path countersFile = awaitFeedSocket(dir.resolve("counters"), receiver);
            // what oobnet stat prints: the feed socket's per-line counters are among the runtime's
            final StringWriter stat = new StringWriter();
            try (CountersFileReader reader = CountersFileReader.open(countersFile);
                PrintWriter writer = new PrintWriter(stat))
            {
                new CountersPrinter(writer, writer).printCounters(reader);
            }
            for (final String label : List.of("line A wins", "line B gaps", "line A requests", "line B lost",
                "request server requests", "request server recovered", "request server lost"))
            {
                assertTrue(stat.toString().contains(label + ": moldudp64 "), label + " in " + stat);
            }
            final int publisherExit = call(net, pub, List.of(
                "feed", "publish", "--line-a", "239.251.30.1:21031", "--line-b", "239.251.30.2:21031",
                "--request", pub.address() + ":21033", "--interface", pub.interfaceName(),
                "--count", String.valueOf(count), "--rate", "20000", "--drop-a", "0.02", "--drop-b", "0.02",
                "--swap", "0.01", "--repeat", "0.01", "--seed", "30", "--linger", "3s", "--json", published.toString()));
            assertEquals(0, publisherExit, "publisher exit");
            assertEquals(0, receiver.get(90, TimeUnit.SECONDS), "receiver exit");

            final JsonNode books = new ObjectMapper().readTree(Files.readString(received));
            final JsonNode sent = new ObjectMapper().readTree(Files.readString(published));
            final String context = books + " " + sent;
            System.out.println(context);
            assertEquals(count, books.get("delivered").asLong(), context);
            assertEquals(1, books.get("first_sequence").asLong(), context);
            assertEquals(count, books.get("last_sequence").asLong(), context);
            assertTrue(books.get("in_order").asBoolean(), context);
            assertEquals(0, books.get("duplicates_delivered").asLong(), context);
            assertEquals(0, books.get("lost").asLong(), "the request server has every message; " + context);
            assertTrue(books.get("gaps").asLong() > 0, context);
            assertTrue(books.get("filled_from_other_line").asLong() > 0, context);
            assertEquals(count, books.get("rx_to_delivery_samples").asLong(), context);
            assertTrue(books.get("rx_to_delivery_p50_ns").asLong() > 0, context);
            assertTrue(books.get("negative_latency").asLong() < count / 100, "the delivery clock is on the RX " +
                "timestamps' epoch; " + context);
            assertTrue(sent.get("line_a_dropped").asLong() > 0 && sent.get("line_b_dropped").asLong() > 0, context);
            final JsonNode lines = books.get("lines");
            assertEquals(lines.get("line A wins").asLong() + lines.get("line B wins").asLong() +
                books.get("retransmitted").asLong(), count, context);
            // each request counted on the line whose packet showed its gap; the feed's totals as before
            assertEquals(books.get("requests").asLong(), lines.get("line A requests").asLong() +
                lines.get("line B requests").asLong(), context);
            assertEquals(lines.get("request server requests").asLong(), books.get("requests").asLong(), context);
            assertEquals(0, lines.get("line A lost").asLong() + lines.get("line B lost").asLong(), context);
        }
    }

    /**
     * {@code oobnet feed publish --path oob}: the session leaves by the publisher's OOB stage (a feed socket's OOB
     * UDP socket on the packet transport) and is received in the other namespace by {@code KernelFeedReceiver} on
     * kernel sockets (one OOB runtime per process: the CLI's is the publisher's here). Every message once, in
     * order, payload checked, none lost; what a line missed, the stage's request server answered.
     */
    @Test
    void shouldReceiveAnExactInOrderFeedPublishedFromTheOobStage(@TempDir final Path dir) throws Exception
    {
        final int count = 20_000;
        try (NetnsFixture net = NetnsFixture.create(2))
        {
            final NetnsFixture.Host pub = net.host(0);
            final NetnsFixture.Host sub = net.host(1);
            final Path published = dir.resolve("published.json");
            final OrderedBook book = new OrderedBook();
            try (KernelFeedReceiver receiver = net.call(sub, () -> new KernelFeedReceiver(
                new MoldUdp64ReceiverConfig(2, 1, 1_000_000L, 10_000_000L, 1_000_000_000L, 8, 1000, 4), book,
                List.of(member(sub, "239.251.30.11", 21041), member(sub, "239.251.30.12", 21042)),
                unicast(sub.address()), new InetSocketAddress(pub.address(), 21043))))
            {
                final CompletableFuture<Integer> publisher = CompletableFuture.supplyAsync(() -> call(net, pub, List.of(
                    "feed", "publish", "--path", "oob", "--line-a", "239.251.30.11:21041", "--line-b",
                    "239.251.30.12:21042", "--request", pub.address() + ":21043", "--count", String.valueOf(count),
                    "--rate", "20000", "--linger", "3s", "--counters-dir", dir.resolve("counters").toString(),
                    "--json", published.toString())));
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (book.next <= count && null == book.broken && System.nanoTime() - deadline < 0 &&
                    !(publisher.isDone() && 0 == receiver.poll(64)))
                {
                    if (0 == receiver.poll(64))
                    {
                        Thread.sleep(1);
                    }
                }
                assertEquals(0, publisher.get(90, TimeUnit.SECONDS), "publisher exit");
                final JsonNode sent = new ObjectMapper().readTree(Files.readString(published));
                final MoldUdp64Receiver r = receiver.receiver();
                final String context = sent + " delivered=" + book.delivered + " next=" + book.next + " lost=" +
                    book.lost + " broken=" + book.broken + " winsA=" + r.line(0).wins() + " winsB=" + r.line(1).wins() +
                    " retransmitted=" + r.line(2).wins();
                System.out.println(context);
                assertEquals("oob", sent.get("path").asText(), context);
                assertEquals(count, sent.get("published").asLong(), context);
                assertEquals(0, sent.get("stage_errors").asLong(), context);
                assertEquals(null, book.broken, context);
                assertEquals(count, book.delivered, context);
                assertEquals(0, book.lost, context);
                assertTrue(r.line(0).wins() + r.line(1).wins() > count / 2, "the lines carried the feed; " + context);
            }
        }
    }

    // a non-blocking kernel socket on the port, joined to the group on the host's interface
    private static DatagramChannel member(final NetnsFixture.Host host, final String group, final int port)
        throws Exception
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.bind(new InetSocketAddress(port));
        channel.join(InetAddress.getByName(group), NetworkInterface.getByName(host.interfaceName()));
        channel.configureBlocking(false);
        return channel;
    }

    private static DatagramChannel unicast(final String address) throws Exception
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.bind(new InetSocketAddress(address, 0));
        channel.configureBlocking(false);
        return channel;
    }

    /** Every message once in order (its payload starts with its sequence number), or lost in a range. */
    private static final class OrderedBook implements MoldUdp64Handler
    {
        long next = 1;
        long delivered;
        long lost;
        String broken;

        @Override
        public void onMessage(final long sequence, final DirectBuffer buffer, final int offset, final int length,
            final int line, final long rxTimestampNs)
        {
            if (sequence != next || buffer.getLong(offset, ByteOrder.BIG_ENDIAN) != sequence)
            {
                broken = null != broken ? broken : "delivered " + sequence + " expecting " + next;
            }
            next = sequence + 1;
            delivered++;
        }

        @Override
        public void onLost(final long fromSequence, final long count)
        {
            lost += count;
            next = fromSequence + count;
        }

        @Override
        public void onSession(final DirectBuffer session, final int offset, final long nextSequence)
        {
        }

        @Override
        public void onEndOfSession(final long nextSequence)
        {
        }
    }

    // the receiver's feed socket is bound once its per-line counters are in the counters file: the socket's own
    // counters appear earlier, at attach, and a loaded machine can be read between the two
    private static Path awaitFeedSocket(final Path countersDir, final CompletableFuture<Integer> receiver)
        throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadline < 0 && !receiver.isDone())
        {
            if (Files.isDirectory(countersDir))
            {
                try (Stream<Path> files = Files.list(countersDir))
                {
                    for (final Path file : files.toList())
                    {
                        try (CountersFileReader reader = CountersFileReader.open(file))
                        {
                            final boolean[] bound = { false };
                            reader.counters().forEach((id, typeId, key, label) -> bound[0] |= label.contains("line A wins: moldudp64 "));
                            if (bound[0])
                            {
                                return file;
                            }
                        }
                        catch (final RuntimeException ex)
                        {
                            // not complete yet
                        }
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the receiver's feed socket never appeared in " + countersDir + "; done=" + receiver.isDone());
    }

    private static int call(final NetnsFixture net, final NetnsFixture.Host host, final List<String> args)
    {
        try
        {
            return net.call(host, () -> OobnetCli.commandLine().execute(args.toArray(new String[0])));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
