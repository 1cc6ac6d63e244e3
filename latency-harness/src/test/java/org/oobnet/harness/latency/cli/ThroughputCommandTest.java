package org.oobnet.harness.latency.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.harness.OobnetCli;
import org.oobnet.harness.report.RunJson;
import org.oobnet.netns.testing.Privileges;

class ThroughputCommandTest
{
    @TempDir
    Path dir;

    @Test
    void shouldCountWhatTheStageAndTheKernelLoopSentAndAccountForEveryFrame() throws IOException
    {
        Privileges.requireNetworkPrivileges("latency throughput between two namespaces");
        final Path json = dir.resolve("throughput.json");
        final int exit = OobnetCli.commandLine().execute("latency", "throughput", "--duration", "500ms",
            "--out", dir.resolve("out").toString(), "--json", json.toString());
        assertEquals(0, exit);
        final JsonNode rows = RunJson.read(json);
        assertEquals(List.of("oob-packet", "kernel-sendmmsg"), List.of(rows.get(0).get("label").asText(),
            rows.get(1).get("label").asText()));
        for (final JsonNode row : rows)
        {
            final String label = row.get("label").asText();
            final long sent = row.get("sent").asLong();
            final long received = row.get("received").asLong();
            final long drops = row.get("receiver_drops").asLong();
            assertEquals(64, row.get("size").asInt());
            // half a second of 64-byte frames through one core: thousands at the very least, even on a loaded box
            assertTrue(sent > 1000, label + " sent=" + sent);
            assertTrue(received > 0 && received <= sent, label + " received=" + received + " sent=" + sent);
            assertTrue(drops >= 0 && received + drops <= sent, label + " " + row);
            assertEquals(sent - received - drops, row.get("unaccounted").asLong(), label);
            assertTrue(row.get("frames_per_s").asDouble() > 0 && row.get("received_per_s").asDouble() > 0, label);
            assertEquals(sent * 1e9 / row.get("elapsed_ns").asLong(), row.get("frames_per_s").asDouble(),
                1e-6 * row.get("frames_per_s").asDouble(), label);
        }
    }
}
