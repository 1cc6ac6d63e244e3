package org.oobnet.harness.bench.t2t;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.oobnet.harness.report.GcDelta;
import org.oobnet.harness.report.LatencyRecorder;
import org.oobnet.harness.report.RunDescription;
import org.oobnet.harness.report.RunResult;

/**
 * The targets of t2t-stage over the baselines, merged and round by round, on made-up rounds (per-tick times joined
 * by {@link T2tHops} as a run's are): each round's ratio pairs the rows' rounds of the same index, a round where a
 * row measured nothing is left out, and from the rounds that give an interval on one slow round no longer decides
 * the run's verdict, which it did when the merged ratios decided alone.
 */
class T2tTargetsTest
{
    private static final int TICKS = 100;

    /**
     * One round of a row: {@value #TICKS} measured ticks whose wire time is {@code bodyNs}, the slowest
     * {@code tailTicks} of them {@code tailNs} (so p50 is the body, p99 the tail when {@code tailTicks} >= 2).
     */
    private static T2tResult round(final T2tRow row, final long bodyNs, final long tailNs, final int tailTicks)
    {
        final TickStamps exchange = new TickStamps(TICKS, TickStamps.EXCHANGE_COLUMNS);
        for (int tick = 1; tick <= TICKS; tick++)
        {
            final long txNs = 1_000_000_000L + tick * 1_000_000L;
            exchange.put(tick, TickStamps.TICK_KERNEL_TX, txNs);
            exchange.put(tick, TickStamps.ORDER_KERNEL_RX, txNs + (tick > TICKS - tailTicks ? tailNs : bodyNs));
        }
        return result(row, T2tHops.join(exchange, new TickStamps(TICKS, TickStamps.TRADER_COLUMNS)));
    }

    /** A round of a row that measured ticks but got no order's kernel RX time: no wire time at all. */
    private static T2tResult roundWithoutWire(final T2tRow row)
    {
        final TickStamps exchange = new TickStamps(TICKS, TickStamps.EXCHANGE_COLUMNS);
        for (int tick = 1; tick <= TICKS; tick++)
        {
            exchange.put(tick, TickStamps.TICK_KERNEL_TX, 1_000_000_000L + tick * 1_000_000L);
        }
        return result(row, T2tHops.join(exchange, new TickStamps(TICKS, TickStamps.TRADER_COLUMNS)));
    }

    private static T2tResult result(final T2tRow row, final T2tHops hops)
    {
        final Histogram latency = LatencyRecorder.newHistogram();
        latency.recordValueWithCount(20_000, TICKS);
        final RunDescription run = new RunDescription(row.label(), "t2t", "udp", "t2t", 0, 1, false, 0, 1000, true,
            "veth", 0, TICKS);
        return new T2tResult(row, new RunResult(run, latency, 0, 0, 0, 0, -1, -1, 0, GcDelta.NONE, 1_000_000, 0),
            latency, new OrderBooks.Books(TICKS, TICKS, 0, 0, 0, 0, 0, 0), 0, 0, new TraderFeed(0, 0, 0, TICKS), hops,
            NullNode.getInstance(), List.of());
    }

    /** A run of the given rounds per row, merged as {@link T2tRunner} merges them. */
    private static T2tRun run(final Map<T2tRow, List<T2tResult>> rounds)
    {
        final List<T2tResult> merged = new ArrayList<>();
        rounds.values().forEach(r -> merged.add(r.stream().reduce(T2tResult::merge).orElseThrow()));
        return new T2tRun(merged, rounds);
    }

    /** {@code n} rounds of each row, t2t-stage's round {@code slow} (1-based, 0 for none) with a 5 ms tail. */
    private static T2tRun roundsWithOneSlow(final int n, final int slow)
    {
        final Map<T2tRow, List<T2tResult>> rounds = new EnumMap<>(T2tRow.class);
        for (int i = 1; i <= n; i++)
        {
            // stage 7 us p50, 50 us p99 (a slow round: 5 ms for its slowest tenth); spin 10/100 us; blocking 50 us
            rounds.computeIfAbsent(T2tRow.STAGE, r -> new ArrayList<>())
                .add(i == slow ? round(T2tRow.STAGE, 7_000, 5_000_000, 10) : round(T2tRow.STAGE, 7_000, 50_000, 2));
            rounds.computeIfAbsent(T2tRow.SPIN, r -> new ArrayList<>()).add(round(T2tRow.SPIN, 10_000, 100_000, 2));
            rounds.computeIfAbsent(T2tRow.BLOCKING, r -> new ArrayList<>())
                .add(round(T2tRow.BLOCKING, 50_000, 200_000, 2));
        }
        return run(rounds);
    }

    private static T2tTargets.Figures figures(final T2tRun run, final T2tTargets.Target target)
    {
        return T2tTargets.of(run).stream().filter(f -> f.target() == target).findFirst().orElseThrow();
    }

    @Test
    void shouldPairEachRoundOfTheStageWithTheBaselinesRoundOfTheSameIndex()
    {
        // round 1: stage 7 us over spin 10 us; round 2: 7 us over 20 us; p99 50 us over 100 and 400 us
        final Map<T2tRow, List<T2tResult>> rounds = new EnumMap<>(T2tRow.class);
        rounds.put(T2tRow.STAGE, List.of(round(T2tRow.STAGE, 7_000, 50_000, 2), round(T2tRow.STAGE, 7_000, 50_000, 2)));
        rounds.put(T2tRow.SPIN,
            List.of(round(T2tRow.SPIN, 10_000, 100_000, 2), round(T2tRow.SPIN, 20_000, 400_000, 2)));
        final T2tRun run = run(rounds);

        final T2tTargets.Figures p50 = figures(run, T2tTargets.Target.P50_TO_SPIN);
        assertArrayEquals(new double[]{ 0.70, 0.35 }, p50.rounds(), 0.01);
        assertEquals(0.525, p50.median().median(), 0.01);
        // the merged histogram pools the rounds (spin's merged p50 lands in its slower round): not the median ratio
        assertEquals(0.35, p50.merged(), 0.01);
        assertArrayEquals(new double[]{ 0.5, 0.125 }, figures(run, T2tTargets.Target.P99_TO_SPIN).rounds(), 0.01);
        // no t2t-blocking row: its target is left out, not made up
        assertEquals(2, T2tTargets.of(run).size());
    }

    @Test
    void shouldLeaveOutARoundWhereARowMeasuredNothing()
    {
        final Map<T2tRow, List<T2tResult>> rounds = new EnumMap<>(T2tRow.class);
        rounds.put(T2tRow.STAGE, List.of(round(T2tRow.STAGE, 7_000, 50_000, 2), round(T2tRow.STAGE, 8_000, 50_000, 2),
            round(T2tRow.STAGE, 9_000, 50_000, 2)));
        rounds.put(T2tRow.SPIN, List.of(round(T2tRow.SPIN, 10_000, 100_000, 2), roundWithoutWire(T2tRow.SPIN),
            round(T2tRow.SPIN, 10_000, 100_000, 2)));
        final T2tRun run = run(rounds);

        final T2tTargets.Figures p50 = figures(run, T2tTargets.Target.P50_TO_SPIN);
        assertEquals(0.70, p50.rounds()[0], 0.01);
        assertTrue(Double.isNaN(p50.rounds()[1]), "round 2's spin has no wire time: " + p50.rounds()[1]);
        assertEquals(2, p50.median().n());
        assertEquals(0.80, p50.median().median(), 0.01);
        final JsonNode block = T2tTargets.toJson(run);
        final ArrayNode inJson = (ArrayNode)block.get("ratio_to_spin").get("rounds_p50");
        assertTrue(inJson.get(1).isNull(), block.toString());
        assertEquals(2, block.get("ratio_to_spin").get("rounds_p50_median").get("n").asInt());
        assertEquals("  p50/sp <= 0.75  0.70 - 0.90 (median 0.80): too few rounds", T2tTargets.lines(run).get(2));
    }

    @Test
    void shouldNotLetOneSlowRoundOfNineFlipTheVerdict()
    {
        final T2tRun run = roundsWithOneSlow(9, 4);
        final T2tTargets.Figures p99 = figures(run, T2tTargets.Target.P99_TO_SPIN);
        // merged, the slow round's 10 ticks at 5 ms are the stage's p99: the merged ratio says missed
        assertEquals(50.0, p99.merged(), 0.5);
        assertEquals("missed", p99.mergedVerdict());
        // round by round it is one value of nine: the median interval lies at 0.5, under 0.75
        assertEquals(0.5, p99.median().median(), 0.01);
        assertEquals(0.5, p99.median().upper(), 0.01);
        assertEquals("met", p99.roundsVerdict());
        assertEquals("met", p99.verdict(), "nine rounds: the interval's verdict is the run's");
        final String targets = T2tTargets.lines(run).get(0);
        assertEquals("targets (t2t-stage): p50/sp <= 0.75 0.70 met, p99/sp <= 0.75 50.00 met, " +
            "p50/bl <= 0.20 0.14 met (ratios of the merged rounds; verdicts of the 9 rounds' median intervals, below)",
            targets);
        final JsonNode block = T2tTargets.toJson(run);
        assertEquals(T2tTargets.FROM_ROUNDS, block.get("verdict_from").asText());
        assertEquals("met", block.get("verdict").get("p99_to_spin").asText());
        final JsonNode median = block.get("ratio_to_spin").get("rounds_p99_median");
        assertEquals(9, median.get("n").asInt());
        assertEquals(0.75, median.get("target").asDouble());
        assertEquals("met", median.get("verdict").asText());
        assertTrue(median.get("coverage").asDouble() >= 0.95, median.toString());
    }

    @Test
    void shouldCallTheTargetUndecidedNotMissedWhenOneOfSixRoundsIsSlow()
    {
        // six rounds: the interval is the lowest to the highest ratio, so the slow one widens it over the target
        final T2tTargets.Figures p99 = figures(roundsWithOneSlow(6, 2), T2tTargets.Target.P99_TO_SPIN);
        assertEquals("missed", p99.mergedVerdict());
        assertEquals("undecided", p99.verdict());
        assertEquals("met", figures(roundsWithOneSlow(6, 0), T2tTargets.Target.P99_TO_SPIN).verdict());
    }

    @Test
    void shouldLetTheMergedRatiosDecideBelowTheRoundsThatGiveAnInterval()
    {
        assertEquals(6, T2tTargets.roundsForInterval());
        final T2tRun run = roundsWithOneSlow(5, 1);
        final T2tTargets.Figures p99 = figures(run, T2tTargets.Target.P99_TO_SPIN);
        assertEquals("too few rounds", p99.roundsVerdict());
        assertEquals("missed", p99.verdict(), "five rounds: the merged ratio's verdict is the run's");
        final List<String> lines = T2tTargets.lines(run);
        assertEquals("targets (t2t-stage): p50/sp <= 0.75 0.70 met, p99/sp <= 0.75 50.00 missed, p50/bl <= 0.20 0.14 " +
            "met (ratios and verdicts of the merged rounds: 5 rounds, 6 give a median interval)", lines.get(0));
        assertEquals("t2t-stage's targets round by round (round i of each row ran beside round i of the others):",
            lines.get(1));
        assertEquals("  p99/sp <= 0.75  50.00 0.50 0.50 0.50 0.50 (median 0.50): too few rounds", lines.get(3));
        final JsonNode block = T2tTargets.toJson(run);
        assertEquals(5, block.get("count").asInt());
        assertEquals(6, block.get("rounds_for_interval").asInt());
        assertEquals(T2tTargets.FROM_MERGED, block.get("verdict_from").asText());
        assertEquals("missed", block.get("verdict").get("p99_to_spin").asText());
        assertEquals("too few rounds", block.get("ratio_to_spin").get("rounds_p99_median").get("verdict").asText());
        assertTrue(block.get("ratio_to_spin").get("rounds_p99_median").get("lower").isNull());
        assertEquals("t2t-blocking", block.get("ratio_to_blocking").get("base").asText());
        assertEquals(5, block.get("ratio_to_blocking").get("rounds_p50").size());
    }

    @Test
    void shouldPutTheBlockInTheStagesRowOnlyAndPrintNoRoundLinesForOneRound()
    {
        final T2tRun run = roundsWithOneSlow(1, 0);
        final ArrayNode rows = T2tJson.rows(run);
        assertEquals("t2t-stage", rows.get(0).get("label").asText());
        assertEquals(1, rows.get(0).get("rounds").get("count").asInt());
        // one round: its ratio is the merged one, exactly
        assertEquals(rows.get(0).get("wire_ns").get("ratio_to_spin").get("p99").asDouble(),
            rows.get(0).get("rounds").get("ratio_to_spin").get("rounds_p99").get(0).asDouble());
        assertTrue(rows.get(1).get("rounds").isNull());
        assertTrue(rows.get(2).get("rounds").isNull());
        assertEquals(1, T2tTargets.lines(run).size(), T2tTargets.lines(run).toString());
        final Map<T2tRow, List<T2tResult>> noStage = new EnumMap<>(T2tRow.class);
        noStage.put(T2tRow.SPIN, run.roundsOf(T2tRow.SPIN));
        assertTrue(T2tTargets.lines(run(noStage)).isEmpty());
        assertTrue(T2tTargets.toJson(run(noStage)).isNull());
    }
}
