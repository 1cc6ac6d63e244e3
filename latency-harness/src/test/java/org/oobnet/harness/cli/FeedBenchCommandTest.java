package org.oobnet.harness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.netns.testing.Privileges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code oobnet feed bench}, briefly: one round of the three phases on a small session. Books, not times: every
 * receiver delivered every message once and in order (the stage recovering line B's seeded 1% from line A or the
 * request server, Nassau's client on line B from the request server), line B really lost packets, and every
 * figure the benchmark reports is there and measured (a rate and percentiles per receiver, their ratios).
 */
class FeedBenchCommandTest
{
    @Test
    void shouldDeliverTheWholeSessionOnceInOrderToTheStageAndToNassauAndReportTheirRatios(@TempDir final Path dir)
        throws Exception
    {
        Privileges.requireNetworkPrivileges("oobnet feed bench between two namespaces");
        final long messages = 20_000;
        final Path json = dir.resolve("bench.json");
        final int exit = OobnetCli.commandLine().execute("feed", "bench", "--messages", String.valueOf(messages),
            "--rate", "50000", "--rounds", "1", "--rx-frames", "1024", "--timeout", "60s", "--json", json.toString());
        assertEquals(0, exit);
        final JsonNode summary = new ObjectMapper().readTree(Files.readString(json));
        final String context = summary.toString();
        final JsonNode publisher = summary.get("publisher");
        assertEquals(messages / 8, publisher.get("packets_per_line").asLong(), context);
        assertTrue(publisher.get("line_b_dropped").asLong() > 0, "line B loses 1% of 2500 packets; " + context);

        final JsonNode round = summary.get("round_1");
        final JsonNode stage = round.get("stage");
        assertEquals(messages, stage.get("delivered").asLong(), context);
        assertEquals(1, stage.get("first_sequence").asLong(), context);
        assertEquals(messages, stage.get("last_sequence").asLong(), context);
        assertTrue(stage.get("in_order").asBoolean(), context);
        assertEquals(0, stage.get("lost").asLong(), "the request server has every message; " + context);
        assertEquals(messages, stage.get("lines").get("line A wins").asLong() + stage.get("lines").get("line B wins").asLong() +
            stage.get("retransmitted").asLong(), context);
        assertEquals(messages, stage.get("rx_to_delivery_samples").asLong(), context);
        for (final String phase : List.of("nassau_line_b", "nassau_line_a"))
        {
            final JsonNode nassau = round.get(phase);
            assertEquals(messages, nassau.get("delivered").asLong(), phase + " " + context);
            assertTrue(nassau.get("in_order").asBoolean(), phase + " " + context);
        }
        assertTrue(round.get("nassau_line_b").get("requests").asLong() > 0, "Nassau asks for line B's losses; " + context);
        for (final JsonNode phase : List.of(stage, round.get("nassau_line_b"), round.get("nassau_line_a")))
        {
            assertTrue(phase.get("published_per_s").asLong() > 0, context);
            assertTrue(phase.get("messages_per_s").asLong() > 0, context);
            assertTrue(phase.get("send_to_delivery_samples").asLong() > 0, context);
            assertTrue(phase.get("send_to_delivery_p99_ns").asLong() >= phase.get("send_to_delivery_p50_ns").asLong(),
                context);
        }
        for (final String ratio : List.of("stage_over_nassau_line_b_messages_per_s",
            "stage_over_nassau_line_a_messages_per_s", "stage_over_nassau_line_a_send_to_delivery_p50",
            "stage_over_nassau_line_a_send_to_delivery_p99"))
        {
            assertTrue(round.get("ratio").get(ratio).asDouble() > 0, ratio + " " + context);
        }
    }
}
