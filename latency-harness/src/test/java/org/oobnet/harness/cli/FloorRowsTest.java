package org.oobnet.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.harness.bench.floor.FloorProgram;
import org.oobnet.harness.report.ResultFolder;
import org.oobnet.harness.report.RunJson;
import org.oobnet.netns.testing.Privileges;
import org.oobnet.harness.report.ChildOutput;
import org.oobnet.harness.bench.floor.FloorRows;

class FloorRowsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRunTheCFloorRowsInterleavedWithTheOobnetRowsAndReportRatiosToThem() throws IOException
    {
        Privileges.requireNetworkPrivileges("latency compare with the C floor rows between two namespaces");
        final Path out = dir.resolve("compare");
        final ByteArrayOutputStream table = new ByteArrayOutputStream();
        final int exit = withStdout(table, () -> OobnetCli.commandLine().execute("latency", "compare",
            "--runs", "floor/raw,packet,floor/udp,udp/packet", "--profile", "on,off", "--rounds", "1",
            // 2 s, not the default 200 ms: a loaded machine's side off its CPU that long lost replies here
            "--count", "1500", "--warmup", "200", "--receive-timeout", "2s", "--out", out.toString()));
        assertEquals(0, exit, table.toString(StandardCharsets.UTF_8));

        final JsonNode summary = RunJson.read(out.resolve(ResultFolder.SUMMARY_FILE));
        final Map<String, JsonNode> rows = new HashMap<>();
        summary.forEach(row -> rows.put(row.get("label").asText(), row));
        // one floor row per framing whatever the profiles
        assertEquals(List.of("floor-raw", "packet-oob", "packet-oob-noprofile", "floor-udp", "udp-packet",
            "udp-packet-noprofile"), labels(summary));
        for (final String label : List.of("floor-raw", "floor-udp"))
        {
            final JsonNode floor = rows.get(label);
            assertEquals("floor", floor.get("scenario").asText());
            assertEquals("c", floor.get("peer_kind").asText());
            assertEquals("veth", floor.get("network").asText());
            assertEquals(1500, floor.get("count").asLong() + floor.get("lost").asLong(), label);
            assertTrue(floor.get("count").asLong() >= 1490, label + " count=" + floor.get("count"));
            assertEquals(200, floor.get("warmup_count").asLong());
            final JsonNode rtt = floor.get("rtt_ns");
            // a real round trip through two kernels' packet sockets and veth: above 500 ns, below a second
            assertTrue(rtt.get("p50").asLong() > 500 && rtt.get("p50").asLong() < 1_000_000_000L, label + rtt);
            assertTrue(rtt.get("min").asLong() <= rtt.get("p50").asLong() &&
                rtt.get("p50").asLong() <= rtt.get("p99").asLong() &&
                rtt.get("p99").asLong() <= rtt.get("max").asLong(), label + rtt);
            assertTrue(floor.get("stage_alloc_bytes").isNull(), "no stage in C");
            assertEquals(label, floor.get("ratio_to_floor").get("floor").asText());
            assertEquals(1.0, floor.get("ratio_to_floor").get("p50").asDouble(), 1e-9);
            assertTrue(Files.size(out.resolve(label + ".hlog")) > 0, "the interval log like every row's");
            assertEquals(floor.get("count").asLong(),
                ChildOutput.readIntervalLog(out.resolve(label + ".hlog")).getTotalCount());
        }
        // both sides' hops, same run: the C floor's client and reflector time what the stages time
        for (final String label : List.of("floor-raw", "floor-udp", "packet-oob"))
        {
            final JsonNode row = rows.get(label);
            for (final String block : List.of("hops", "peer_hops"))
            {
                for (final String hop : List.of("kernel_rx->pickup", "pickup->handler_done", "handler_done->kick",
                    "kick->return"))
                {
                    final JsonNode h = row.get(block).get(hop);
                    // the measured phase's exchanges, each timed once a side: the client's give or take one at each
                    // edge, the C reflector's too (its reader thread hands the relayed lines over at once, and the
                    // client's measured loop starts after its line); a stage reflector's from when the relayed line
                    // reached its in-band reader (milliseconds late when the CPUs are busy)
                    // (a request whose reply came back too late for the client, counted lost, was still reflected
                    // and timed by the reflector)
                    final long count = row.get("count").asLong();
                    final long reflected = count + row.get("lost").asLong();
                    final long timed = h.get("count").asLong();
                    final boolean exact = "hops".equals(block) || label.startsWith("floor");
                    assertTrue("hops".equals(block) ? Math.abs(timed - count) <= 2 :
                        timed <= reflected + 2 && timed >= (exact ? count - 2 : count * 8 / 10),
                        label + " " + block + " " + hop + ": " + h + " count=" + count + " reflected=" + reflected);
                    assertTrue(h.get("p50_ns").asLong() <= h.get("p99_ns").asLong() &&
                        h.get("p99_ns").asLong() <= h.get("max_ns").asLong(), label + " " + block + " " + hop + h);
                }
                // the kick carries the frame into the peer's ring on veth: a system call, never free
                assertTrue(row.get(block).get("kick->return").get("p50_ns").asLong() >= 128, label + row.get(block));
            }
            assertTrue(row.get("hops").get("unaccounted_both_sides_p50_ns").asLong() <
                row.get("hops").get("unaccounted_p50_ns").asLong(), label + row.get("hops"));
        }
        final JsonNode hopRatios = rows.get("packet-oob").get("ratio_to_floor").get("hops");
        for (final String side : List.of("client", "reflector"))
        {
            assertTrue(hopRatios.get(side).get("kick->return").get("mean").asDouble() > 0, hopRatios.toString());
        }
        assertRatio(rows.get("packet-oob"), rows.get("floor-raw"));
        assertRatio(rows.get("packet-oob-noprofile"), rows.get("floor-raw"));
        assertRatio(rows.get("udp-packet"), rows.get("floor-udp"));

        final String text = table.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("p50/fl") && text.contains("p99/fl"), text);
        final String floorLine = text.lines().filter(l -> l.startsWith("floor-raw ")).findFirst().orElseThrow();
        assertTrue(floorLine.contains("1.00") && floorLine.contains("c-floor"), floorLine);
        assertTrue(text.lines().anyMatch(l -> l.matches("packet-oob +reflector +kick->return +\\d+ +\\d+ +\\d+ +\\d+ +\\d+\\.\\d\\d")),
            text);
    }

    @Test
    void shouldSkipTheFloorRowsWithTheReasonWhenNoCompilerExists() throws IOException
    {
        final String cc = System.getProperty(FloorProgram.COMPILER_PROPERTY);
        final String cache = System.getProperty(FloorProgram.CACHE_PROPERTY);
        System.setProperty(FloorProgram.COMPILER_PROPERTY, "oobnet-no-such-cc");
        System.setProperty(FloorProgram.CACHE_PROPERTY, dir.resolve("empty-cache").toString());
        try
        {
            // the default rows: left out, named, with the reason
            final ByteArrayOutputStream said = new ByteArrayOutputStream();
            final List<String> specs = new ArrayList<>();
            FloorRows.addIfBuilt(specs, new PrintStream(said, true, StandardCharsets.UTF_8), "oobnet");
            assertTrue(specs.isEmpty());
            assertTrue(said.toString(StandardCharsets.UTF_8).contains(
                "oobnet: floor-udp, floor-raw left out: no C compiler: oobnet-no-such-cc not found"), said.toString());

            // asked for by name: the row is skipped with the reason and the command says it did not run everything
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final int exit = withStdout(out, () -> OobnetCli.commandLine().execute("latency", "compare",
                "--runs", "floor/raw", "--count", "100", "--warmup", "10", "--out", dir.resolve("r").toString()));
            assertNotEquals(0, exit);
            assertTrue(out.toString(StandardCharsets.UTF_8).contains(
                "oobnet: floor-raw skipped: no C compiler: oobnet-no-such-cc not found"), out.toString());
        }
        finally
        {
            restore(FloorProgram.COMPILER_PROPERTY, cc);
            restore(FloorProgram.CACHE_PROPERTY, cache);
        }
    }

    private static void assertRatio(final JsonNode row, final JsonNode floor)
    {
        final JsonNode ratio = row.get("ratio_to_floor");
        assertEquals(floor.get("label").asText(), ratio.get("floor").asText());
        final double expected = row.get("rtt_ns").get("p50").asDouble() / floor.get("rtt_ns").get("p50").asDouble();
        assertEquals(expected, ratio.get("p50").asDouble(), 1e-9 * expected);
        assertTrue(ratio.get("p99").asDouble() > 0 && ratio.get("p99_9").asDouble() > 0, ratio.toString());
    }

    private static List<String> labels(final JsonNode summary)
    {
        final List<String> labels = new ArrayList<>();
        summary.forEach(row -> labels.add(row.get("label").asText()));
        return labels;
    }

    private static int withStdout(final ByteArrayOutputStream sink, final java.util.function.IntSupplier run)
    {
        final PrintStream saved = System.out;
        System.setOut(new PrintStream(sink, true, StandardCharsets.UTF_8));
        try
        {
            return run.getAsInt();
        }
        finally
        {
            System.setOut(saved);
        }
    }

    private static void restore(final String key, final String value)
    {
        if (value == null)
        {
            System.clearProperty(key);
        }
        else
        {
            System.setProperty(key, value);
        }
    }
}
