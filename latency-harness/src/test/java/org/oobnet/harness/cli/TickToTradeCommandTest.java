package org.oobnet.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.harness.env.NetnsPair;
import org.oobnet.harness.report.ResultFolder;
import org.oobnet.harness.report.RunJson;
import org.oobnet.netns.IpCommand;
import org.oobnet.netns.testing.Privileges;
import picocli.CommandLine;

/**
 * A short tick-to-trade run between two real namespaces, every row, stages and threads yielding (the machine is
 * shared): each row is present with its latency blocks, the exchange's books are exact (every tick answered by one
 * right order), and the namespaces are gone afterwards. Not a timed test: no latency bound is asserted beyond sanity.
 * The help offers none of the shared latency options the command refuses (UserErrorsTest has the refusals).
 */
class TickToTradeCommandTest
{
    private static final int MEASURED = 400;
    private static final int WARMUP = 200;

    @TempDir
    Path dir;

    @Test
    void shouldNotOfferTheSharedOptionsItRefuses()
    {
        final StringWriter help = new StringWriter();
        final CommandLine cli = OobnetCli.commandLine();
        cli.setOut(new PrintWriter(help, true));
        assertEquals(0, cli.execute("latency", "tick-to-trade", "--help"));
        final String text = help.toString();
        assertFalse(text.contains("--size"), text);
        assertFalse(text.contains("--loopback"), text);
        // the shared options it takes are described as they work here: --rate is the tick rate, not a ping-pong
        assertTrue(text.contains("Ticks per second (0: " + TickToTradeCommand.DEFAULT_RATE_HZ + ")"), text);
        assertFalse(text.contains("ping-pong"), text);
    }

    @Test
    void shouldAnswerEveryTickOnceOnEveryRowWithExactBooks() throws IOException
    {
        Privileges.requireNetworkPrivileges("latency tick-to-trade between two network namespaces");
        final Path out = dir.resolve("run");
        final Path json = dir.resolve("t2t.json");
        final int exit = OobnetCli.commandLine().execute("latency", "tick-to-trade", "--count",
            Integer.toString(MEASURED), "--warmup", Integer.toString(WARMUP), "--rate", "500", "--rounds", "1",
            "--idle", "yield", "--out", out.toString(), "--json", json.toString());
        assertEquals(0, exit);

        final JsonNode summary = RunJson.read(out.resolve(ResultFolder.SUMMARY_FILE));
        assertEquals(RunJson.read(json), summary);
        final List<String> labels = new ArrayList<>();
        for (final JsonNode row : summary)
        {
            final String label = row.get("label").asText();
            labels.add(label);
            final JsonNode books = row.get("books");
            assertTrue(books.get("exact").asBoolean(), label + " books: " + books);
            assertEquals(MEASURED + WARMUP, books.get("ticks").asLong(), label);
            assertEquals(MEASURED + WARMUP, books.get("orders").asLong(), label);
            assertEquals(0, books.get("duplicated").asLong(), label);
            assertEquals(MEASURED, row.get("count").asLong(), label + ": every measured tick timed once");
            final long p50 = row.get("latency_ns").get("p50").asLong();
            // a tick and an order through two kernels and veth: more than a microsecond, less than a second
            assertTrue(p50 > 1_000 && p50 < 1_000_000_000L, label + " p50=" + p50);
            assertTrue(row.get("in_process_ns").get("p50").asLong() > 0, label);
            assertFalse(row.has("rtt_ns"), "a one-way latency is not called a round trip");
            assertEquals(label.equals("t2t-stage"), !row.get("stage_alloc_bytes").isNull(), label);
            for (final String file : List.of(".hgrm", ".hlog", ".dat"))
            {
                assertTrue(Files.size(out.resolve(label + file)) > 0, label + file);
            }
        }
        assertEquals(List.of("t2t-stage", "t2t-spin", "t2t-blocking"), labels);
        final JsonNode stage = summary.get(0);
        assertEquals("t2t-spin", stage.get("ratio_to_spin").get("base").asText());
        assertTrue(stage.get("ratio_to_blocking").get("p50").asDouble() > 0);
        assertTrue(Files.size(out.resolve(ResultFolder.PLOT_FILE)) > 0);
        assertFalse(IpCommand.run("netns", "list").contains(NetnsPair.PREFIX + ProcessHandle.current().pid()),
            "the run's namespaces are removed");
    }
}
