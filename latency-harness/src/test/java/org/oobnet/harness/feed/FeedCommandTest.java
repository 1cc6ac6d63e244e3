package org.oobnet.harness.feed;

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
import org.oobnet.harness.OobnetCli;
import org.oobnet.netns.testing.NetnsFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code oobnet feed publish} in one namespace, {@code oobnet feed moldudp64} on the OOB stage in the other: two
 * multicast lines, each losing 2% of its packets (and swapping and repeating some) by a seeded schedule, requests
 * to the publisher's request server. The receiver's JSON has exact books: every message once, in order, none
 * lost, with gaps filled from the other line and by retransmission, and an RX-to-delivery latency per message.
 * The interface is left to the kernel's route to the request server.
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
                "feed", "moldudp64", "--line-a", "239.251.30.1:21031", "--line-b", "239.251.30.2:21032",
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
            for (final String label : List.of("line A wins", "line B gaps", "request server requests",
                "request server recovered", "request server lost"))
            {
                assertTrue(stat.toString().contains(label + ": moldudp64 "), label + " in " + stat);
            }
            final int publisherExit = call(net, pub, List.of(
                "feed", "publish", "--line-a", "239.251.30.1:21031", "--line-b", "239.251.30.2:21032",
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
            assertEquals(books.get("lines").get("line A wins").asLong() + books.get("lines").get("line B wins").asLong() +
                books.get("retransmitted").asLong(), count, context);
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
