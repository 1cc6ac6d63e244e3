package org.oobnet.harness.cli;

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
import org.oobnet.harness.env.NetnsPair;
import org.oobnet.harness.report.ResultFolder;
import org.oobnet.harness.report.RunJson;
import org.oobnet.netns.IpCommand;
import org.oobnet.netns.testing.Privileges;
import org.oobnet.harness.report.ChildOutput;

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
            "--count", "2000", "--warmup", "300", "--receive-timeout", "2s", "--out", out.toString(), "--json",
            json.toString());
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
            ChildOutput.readIntervalLog(out.resolve("udp-inband.hlog")).getTotalCount());

        final String own = NetnsPair.PREFIX + ProcessHandle.current().pid() + "-";
        assertFalse(IpCommand.run("netns", "list").contains(own), "namespaces removed");
    }

    @Test
    void shouldMeasureRawFrameRoundTripsThroughTheOobStageAndOnTheRings() throws IOException
    {
        Privileges.requireNetworkPrivileges("latency packet between two network namespaces");
        final Path out = dir.resolve("packet");
        final int exit = OobnetCli.commandLine().execute("latency", "compare", "--runs", "packet/oob,packet/rings",
            "--rounds", "1", "--count", "1500", "--warmup", "200", "--receive-timeout", "2s", "--out", out.toString());
        assertEquals(0, exit);
        final JsonNode summary = RunJson.read(out.resolve(ResultFolder.SUMMARY_FILE));
        assertEquals(2, summary.size());
        final JsonNode oob = summary.get(0);
        assertEquals("packet-oob", oob.get("label").asText());
        assertEquals("oob", oob.get("transport").asText());
        final JsonNode rings = summary.get(1);
        assertEquals("rings", rings.get("transport").asText());
        for (final JsonNode run : summary)
        {
            assertEquals("packet", run.get("scenario").asText());
            assertEquals("veth", run.get("network").asText());
            assertEquals(1500, run.get("count").asLong() + run.get("lost").asLong());
            assertTrue(run.get("count").asLong() >= 1490, "count=" + run.get("count"));
            final long p50 = run.get("rtt_ns").get("p50").asLong();
            assertTrue(p50 > 500 && p50 < 1_000_000_000L, "p50=" + p50);
        }
        // through the stage: its stalls and its allocation while measuring are measured, not assumed
        assertTrue(oob.get("stalls").isIntegralNumber() && oob.get("stalls").asLong() >= 0);
        assertTrue(oob.get("stage_alloc_bytes").isIntegralNumber() && oob.get("stage_alloc_bytes").asLong() >= 0);
        assertTrue(rings.get("stage_alloc_bytes").isNull(), "the ring path has no stage");
        // the ring row books its RX ring's kernel drops (PACKET_STATISTICS) over the measured phase: each is a reply
        // the client never got, so one of lost; the stage row's client reads no ring of its own
        final JsonNode drops = rings.get(RunJson.RING_KERNEL_DROPS);
        assertTrue(null != drops && drops.isIntegralNumber(), rings.toString());
        assertTrue(drops.asLong() >= 0 && drops.asLong() <= rings.get("lost").asLong(), rings.toString());
        assertTrue(oob.get(RunJson.RING_KERNEL_DROPS).isNull(), oob.toString());
        // both stage JVMs say what their JIT compiled inside the client's measured phase (the reflector's over the
        // relayed phase)
        for (final String side : List.of("client", "reflector"))
        {
            final JsonNode jit = oob.get("jit").get(side);
            assertTrue(jit.get("compile_ms").isIntegralNumber() && jit.get("compile_ms").asLong() >= 0, oob.toString());
            assertTrue(jit.get("compiles").isIntegralNumber() && jit.get("compiles").asLong() >= 0, oob.toString());
            assertTrue(jit.get("cpu_ms").isIntegralNumber() && jit.get("cpu_ms").asLong() >= 0, oob.toString());
        }
        assertTrue(rings.get("jit").isNull(), "the ring path has no stage phase");
    }

    @Test
    void shouldMeasureOobUdpTransportsOnTheStageBetweenNamespaces() throws IOException
    {
        Privileges.requireNetworkPrivileges("latency udp over oob-udp between two network namespaces");
        final Path out = dir.resolve("oob-udp");
        final int exit = OobnetCli.commandLine().execute("latency", "compare", "--runs", "udp/packet,udp/kernel",
            "--rounds", "1", "--count", "1500", "--warmup", "200", "--receive-timeout", "2s", "--out", out.toString());
        assertEquals(0, exit);
        final JsonNode summary = RunJson.read(out.resolve(ResultFolder.SUMMARY_FILE));
        assertEquals(2, summary.size());
        assertEquals("packet", summary.get(0).get("transport").asText());
        assertEquals("kernel", summary.get(1).get("transport").asText());
        for (final JsonNode run : summary)
        {
            assertEquals("udp", run.get("scenario").asText());
            assertEquals(1500, run.get("count").asLong() + run.get("lost").asLong());
            assertTrue(run.get("count").asLong() >= 1490, "count=" + run.get("count"));
            assertTrue(run.get("rtt_ns").get("p50").asLong() > 500);
            assertTrue(run.get("stalls").asLong() >= 0, "the stage's stalls are counted");
            assertTrue(run.get("stage_alloc_bytes").asLong() >= 0, "the stage's allocation is measured");
        }
    }

    @Test
    void shouldCompareProfileOnAndOffInAlternatingRounds() throws IOException
    {
        Privileges.requireNetworkPrivileges("latency compare between two network namespaces");
        final Path out = dir.resolve("compare");
        final int exit = OobnetCli.commandLine().execute("latency", "compare", "--runs", "udp/inband",
            "--profile", "on,off", "--rounds", "2", "--count", "600", "--warmup", "100", "--receive-timeout", "2s",
            "--out", out.toString());
        assertEquals(0, exit);
        final JsonNode summary = RunJson.read(out.resolve(ResultFolder.SUMMARY_FILE));
        assertEquals(2, summary.size());
        assertEquals("udp-inband", summary.get(0).get("label").asText());
        assertTrue(summary.get(0).get("profile").asBoolean());
        assertEquals("udp-inband-noprofile", summary.get(1).get("label").asText());
        assertFalse(summary.get(1).get("profile").asBoolean(), "the child without the profile knows it");
        for (final JsonNode row : summary)
        {
            // two rounds of 300 each, merged
            assertEquals(600, row.get("count").asLong() + row.get("lost").asLong());
            assertEquals(200, row.get("warmup_count").asLong());
        }
        for (final String file : List.of("udp-inband-r1.hlog", "udp-inband-r2.hlog", "udp-inband-noprofile-r1.hlog",
            "udp-inband.hgrm", "udp-inband-noprofile.dat"))
        {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
    }

    @Test
    void shouldRemoveNamespacesOfDeadHarnessProcesses() throws IOException
    {
        Privileges.requireNetworkPrivileges("removal of stale harness namespaces");
        // above the kernel's largest pid_max (2^22): no process can have this id
        final String stale = NetnsPair.PREFIX + "4194999-a";
        IpCommand.run("netns", "add", stale);
        try
        {
            assertTrue(NetnsPair.removeStale().contains(stale));
            assertFalse(IpCommand.run("netns", "list").contains(stale));
        }
        finally
        {
            // normally removed by the test already: then this fails, quietly
            IpCommand.tryRun("netns", "del", stale);
        }
    }
}
