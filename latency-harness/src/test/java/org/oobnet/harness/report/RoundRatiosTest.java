package org.oobnet.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundRatiosTest
{
    private static final RunDescription FLOOR = new RunDescription("floor-raw", "floor", "raw", "c", 64, 1,
        false, 0, 0, false, "veth", 0, 1000);
    private static final RunDescription PACKET = new RunDescription("packet-oob", "packet", "packet", "oobnet", 64, 1,
        false, 0, 0, true, "veth", 0, 1000);

    @TempDir
    Path dir;

    /** One round: 1000 observations, 990 at {@code bodyNs} and 10 at {@code tailNs}. */
    private static RunResult round(final RunDescription run, final long bodyNs, final long tailNs)
    {
        final Histogram h = LatencyRecorder.newHistogram();
        h.recordValueWithCount(bodyNs, 985);
        h.recordValueWithCount(tailNs, 15);
        return new RunResult(run, h, 0, 0, 0, 0, -1, -1, 0, GcDelta.NONE, 1_000_000, 0);
    }

    private static List<RunResult> twoRounds()
    {
        // round 1: 5.0 vs 5.5 us (1.10); round 2: 5.0 vs 5.0 (1.00); p99 20 vs 40, then 20 vs 30 us
        final RunResult floor = round(FLOOR, 5_000, 20_000).merge(round(FLOOR, 5_000, 20_000));
        final RunResult packet = round(PACKET, 5_500, 40_000).merge(round(PACKET, 5_000, 30_000));
        return List.of(floor, packet);
    }

    @Test
    void shouldPairEachRoundWithTheFloorsRoundOfTheSameIndex()
    {
        final List<RunResult> rows = twoRounds();
        assertEquals(2, rows.get(1).rounds().size());
        final double[] p50 = FloorReference.roundRatios(rows.get(1), rows.get(0), 50);
        final double[] p99 = FloorReference.roundRatios(rows.get(1), rows.get(0), 99);
        assertEquals(1.10, p50[0], 0.01);
        assertEquals(1.00, p50[1], 0.01);
        assertEquals(2.0, p99[0], 0.01);
        assertEquals(1.5, p99[1], 0.01);
        // the merged histogram's ratio pools the rounds: it is not the median of the per-round ratios
        assertEquals(1.10, FloorReference.ratio(rows.get(1), rows.get(0), 50), 0.01);
    }

    @Test
    void shouldPrintTheRoundByRoundRatiosAndTheirMedianUnderTheTable()
    {
        final List<String> lines = CompareTable.lines(twoRounds());
        final String line = lines.stream().filter(l -> l.trim().startsWith("packet-oob ") && l.contains("median"))
            .findFirst().orElseThrow(() -> new AssertionError(String.join("\n", lines)));
        assertTrue(line.matches(" +packet-oob +p50 1\\.10 1\\.00 \\(median 1\\.05\\) +p99 2\\.00 1\\.50 \\(median 1\\.75\\)"),
            line);
        // the floor row is not compared with itself
        assertTrue(lines.stream().noneMatch(l -> l.trim().startsWith("floor-raw ") && l.contains("median")));
    }

    @Test
    void shouldPrintNothingForASingleRound()
    {
        final List<RunResult> rows = List.of(round(FLOOR, 5_000, 20_000), round(PACKET, 5_500, 40_000));
        assertTrue(CompareTable.roundLines(rows).isEmpty());
    }

    @Test
    void shouldWriteTheRoundRatiosInTheSummary() throws IOException
    {
        final Path file = dir.resolve("summary.json");
        RunJson.writeSummary(file, twoRounds());
        final JsonNode ratio = RunJson.read(file).get(1).get("ratio_to_floor");
        assertEquals(2, ratio.get("rounds_p50").size());
        assertEquals(1.10, ratio.get("rounds_p50").get(0).asDouble(), 0.01);
        assertEquals(1.50, ratio.get("rounds_p99").get(1).asDouble(), 0.01);
        // two rounds: a median, no interval (six rounds are the fewest for 95 %)
        final JsonNode median = ratio.get("rounds_p50_median");
        assertEquals(2, median.get("n").asInt());
        assertEquals(1.05, median.get("median").asDouble(), 0.01);
        assertTrue(median.get("lower").isNull() && median.get("upper").isNull(), median.toString());
        assertEquals(1.75, ratio.get("rounds_p99_median").get("median").asDouble(), 0.01);
    }
}
