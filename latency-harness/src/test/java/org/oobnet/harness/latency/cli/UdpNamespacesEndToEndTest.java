package org.oobnet.harness.latency.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.harness.OobnetCli;
import org.oobnet.harness.latency.net.IpCommand;
import org.oobnet.harness.latency.net.NetnsPair;
import org.oobnet.harness.report.ResultFolder;
import org.oobnet.harness.report.RunJson;
import org.oobnet.inband.testing.Privileges;

class UdpNamespacesEndToEndTest
{
    @TempDir
    Path dir;

    @Test
    void shouldMeasureInbandRoundTripsBetweenNamespacesAndRemoveThem() throws IOException
    {
        Privileges.requireNetworkPrivileges("latency udp between two network namespaces");
        final Path out = dir.resolve("run");
        final Path json = dir.resolve("extra.json");
        final int exit = OobnetCli.commandLine().execute("latency", "udp", "--transport", "inband",
            "--count", "2000", "--warmup", "300", "--out", out.toString(), "--json", json.toString());
        assertEquals(0, exit);

        final JsonNode summary = RunJson.read(out.resolve(ResultFolder.SUMMARY_FILE));
        assertEquals(1, summary.size());
        final JsonNode run = summary.get(0);
        assertEquals("udp", run.get("scenario").asText());
        assertEquals("inband", run.get("transport").asText());
        assertEquals("veth", run.get("network").asText());
        assertEquals(64, run.get("size").asInt());
        assertEquals(2000, run.get("count").asLong() + run.get("lost").asLong());
        assertTrue(run.get("count").asLong() >= 1990, "count=" + run.get("count"));
        assertEquals(300, run.get("warmup_count").asLong());
        assertTrue(run.get("profile").asBoolean(), "the child ran with the low-latency profile");
        final long p50 = run.get("rtt_ns").get("p50").asLong();
        // a real round trip through two kernels and veth: more than a microsecond, less than a second
        assertTrue(p50 > 1_000 && p50 < 1_000_000_000L, "p50=" + p50);
        assertTrue(run.get("rtt_ns").get("min").asLong() <= p50);
        assertTrue(run.get("stage_alloc_bytes").isNull(), "inband has no OOB stage");
        assertEquals(RunJson.read(json), summary);

        for (final String file : List.of("udp-inband.hgrm", "udp-inband.hlog", "udp-inband.dat",
            ResultFolder.PLOT_FILE))
        {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        assertEquals(2000 - run.get("lost").asLong(),
            UdpRunner.readIntervalLog(out.resolve("udp-inband.hlog")).getTotalCount());

        final String own = NetnsPair.PREFIX + ProcessHandle.current().pid() + "-";
        assertFalse(IpCommand.ip("netns", "list").contains(own), "namespaces removed");
    }

    @Test
    void shouldRemoveNamespacesOfDeadHarnessProcesses() throws IOException
    {
        Privileges.requireNetworkPrivileges("removal of stale harness namespaces");
        // above the kernel's largest pid_max (2^22): no process can have this id
        final String stale = NetnsPair.PREFIX + "4194999-a";
        IpCommand.ip("netns", "add", stale);
        try
        {
            assertTrue(NetnsPair.removeStale().contains(stale));
            assertFalse(IpCommand.ip("netns", "list").contains(stale));
        }
        finally
        {
            try
            {
                IpCommand.ip("netns", "del", stale);
            }
            catch (final IOException ignored)
            {
                // removed by the test, as expected
            }
        }
    }
}
