package org.oobnet.harness.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.oobnet.harness.env.ChildJvm;
import org.oobnet.harness.env.TempTree;

/**
 * The soak's MoldUDP64 stream: {@code oobnet feed publish} in namespace A sends a session on two multicast lines
 * over the soak network's third veth pair, dropping 1% of line B's packets by a seeded schedule (and swapping and
 * repeating a few on both); {@code oobnet feed moldudp64} in namespace B receives it on the OOB stage through the
 * feed socket, filling gaps from the other line or the publisher's request server. Both are child JVMs (one OOB
 * runtime per JVM). At the end the receiver's books go into the stream's ledger: sent = published, received =
 * delivered, every other message in a range the receiver reported lost; duplicates and reordering as it saw them.
 * <p>
 * <b>Note:</b> in-band; called from the soak's schedule thread only.
 */
final class MoldSoakStream implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LINE_A = "239.251.102.1:21101";
    private static final String LINE_B = "239.251.102.2:21102";
    private static final String REQUEST = SoakNetwork.A3_ADDRESS + ":21103";
    private static final long LINGER_S = 5;

    private final SoakNetwork network;
    private final int ratePerSecond;
    private final long count;
    private final long durationS;
    private final StreamLedger ledger;
    private final List<String> problems;
    private final SoakLedgers ledgers;
    private final Path dir;
    private ChildJvm publisher;
    private ChildJvm receiver;

    MoldSoakStream(final SoakNetwork network, final int ratePerSecond, final long durationNs,
        final SoakLedgers ledgers) throws IOException
    {
        this.network = network;
        this.ratePerSecond = ratePerSecond;
        this.durationS = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(durationNs));
        this.count = Math.max(1, ratePerSecond * durationS);
        this.ledger = ledgers.mold;
        this.problems = ledgers.problems;
        this.ledgers = ledgers;
        this.dir = Files.createTempDirectory("oobnet-soak-mold-");
    }

    /**
     * Starts the receiver in B, waits until its feed socket is bound, then the publisher in A.
     *
     * @throws IOException when a child cannot start or the receiver does not get ready.
     */
    void start() throws IOException
    {
        final Path receiverErr = dir.resolve("receiver.err");
        receiver = ChildJvm.start(ChildJvm.command(List.of("ip", "netns", "exec", network.namespaceB), -1, false,
            List.of("feed", "moldudp64", "--line-a", LINE_A, "--line-b", LINE_B, "--request", REQUEST,
                "--interface", SoakNetwork.B3_INTERFACE, "--count", Long.toString(count),
                "--duration", (durationS + LINGER_S + 120) + "s", "--idle", "backoff",
                "--counters-dir", dir.resolve("counters").toString(), "--json", dir.resolve("received.json").toString())),
            receiverErr, line -> { });
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(receiverErr) || !Files.readString(receiverErr).contains("receiving "))
        {
            if (!receiver.isAlive() || System.nanoTime() - deadline > 0)
            {
                throw new IOException("moldudp64 receiver did not bind its feed socket: " + receiver.stderrTail());
            }
            sleep(50);
        }
        publisher = ChildJvm.start(ChildJvm.command(List.of("ip", "netns", "exec", network.namespaceA), -1, false,
            List.of("feed", "publish", "--line-a", LINE_A, "--line-b", LINE_B, "--request", REQUEST,
                "--interface", SoakNetwork.A3_INTERFACE, "--count", Long.toString(count),
                "--rate", Integer.toString(ratePerSecond), "--drop-b", "0.01", "--swap", "0.001", "--repeat", "0.001",
                "--seed", "20", "--linger", LINGER_S + "s", "--json", dir.resolve("published.json").toString())),
            dir.resolve("publisher.err"), line -> { });
    }

    /**
     * Waits for both children to finish their session and adds the books to the ledger.
     *
     * @throws IOException when a child does not finish or report.
     */
    void stop() throws IOException
    {
        final int published = publisher.waitFor(TimeUnit.SECONDS.toMillis(durationS + LINGER_S + 120));
        final int received = receiver.waitFor(TimeUnit.SECONDS.toMillis(LINGER_S + 120));
        if (0 != published || 0 != received)
        {
            problems.add("moldudp64: publisher exit=" + published + ", receiver exit=" + received + ": " +
                publisher.stderrTail() + " / " + receiver.stderrTail());
            return;
        }
        final JsonNode sent = JSON.readTree(dir.resolve("published.json").toFile());
        final JsonNode books = JSON.readTree(dir.resolve("received.json").toFile());
        ledger.sent += sent.get("published").asLong();
        ledger.received += books.get("delivered").asLong();
        ledger.duplicates += books.get("duplicates_delivered").asLong();
        ledger.reordered += books.get("out_of_order").asLong();
        ledger.drop("receiver: reported lost by the MoldUDP64 receiver (" + books.get("lost_ranges").asLong() +
            " ranges)", books.get("lost").asLong());
        ledgers.stageAllocated("moldudp64 receiver", books.get("stage_alloc_bytes").asLong());
        ledger.note("line B packets dropped by the publisher's seeded schedule", sent.get("line_b_dropped").asLong());
        ledger.note("gaps on the lines", books.get("gaps").asLong());
        ledger.note("filled from the other line", books.get("filled_from_other_line").asLong());
        ledger.note("retransmitted by the request server", books.get("retransmitted").asLong());
        if (!books.get("in_order").asBoolean() || !books.get("end_of_session").asBoolean())
        {
            problems.add("moldudp64: in_order=" + books.get("in_order") + " end_of_session=" +
                books.get("end_of_session") + ": " + books);
        }
        if (books.get("first_sequence").asLong() > 1 && books.get("delivered").asLong() > 0)
        {
            problems.add("moldudp64: the first message delivered was " + books.get("first_sequence"));
        }
    }

    @Override
    public void close()
    {
        for (final ChildJvm child : new ChildJvm[]{ publisher, receiver })
        {
            if (null != child)
            {
                child.close();
            }
        }
        TempTree.delete(dir);
    }

    private static void sleep(final long ms) throws IOException
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
    }
}
