package org.oobnet.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
            "--warmup", "300ms", "--rounds", "2", "--out", dir.resolve("out").toString(), "--json", json.toString());
        assertEquals(0, exit);
        final JsonNode rows = RunJson.read(json);
        assertEquals(List.of("oob-packet", "oob-packet-sized-ring", "c-tx-ring", "kernel-sendmmsg"), List.of(
            rows.get(0).get("label").asText(), rows.get(1).get("label").asText(), rows.get(2).get("label").asText(),
            rows.get(3).get("label").asText()));
        // the default ring is kicked per 64 frames at most, the sized ring per up to 512: more on average
        assertTrue(rows.get(0).get("frames_per_kick").asDouble() <= 64, rows.get(0).toString());
        assertTrue(rows.get(1).get("frames_per_kick").asDouble() > 64, rows.get(1).toString());
        assertEquals(1.0, rows.get(3).get("ratio_to_kernel").asDouble(), 1e-9);
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
            // where the time went: some of it in the kernel call (the kick, sendmmsg), every round a ratio
            assertTrue(row.get("kernel_ns_per_frame").asDouble() > 0, label + " " + row);
            assertTrue(row.get("kernel_ns").asLong() <= row.get("elapsed_ns").asLong(), label + " " + row);
            assertEquals(2, row.get("ratio_to_kernel_per_round").size(), label);
        }
    }
}
