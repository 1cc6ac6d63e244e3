package org.oobnet.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.oobnet.harness.env.SchedSwitch;

/**
 * A known timeline of context switches: the spinning thread found among its process's threads, its times off the
 * CPU clipped to the window and charged to what ran meanwhile; rounds merged; the text and JSON of a row.
 */
class SchedAnalysisTest
{
    private static final int CPU = 1;
    private static final int STAGE = 10;
    private static final int REPORTER = 30;

    private static final List<SchedSwitch> TIMELINE = List.of(
        new SchedSwitch(50, CPU, "swapper/1", 0, "R", "oob-stage", STAGE),
        new SchedSwitch(200, CPU, "oob-stage", STAGE, "R", "kworker/1:1", 20),
        new SchedSwitch(300, CPU, "kworker/1:1", 20, "S", "oobnet-reporter", REPORTER),
        new SchedSwitch(350, CPU, "oobnet-reporter", REPORTER, "S", "oob-stage", STAGE),
        new SchedSwitch(400, 0, "other", 5, "R", "oob-stage", 6),
        new SchedSwitch(900, CPU, "oob-stage", STAGE, "S", "swapper/1", 0),
        new SchedSwitch(1100, CPU, "swapper/1", 0, "R", "oob-stage", STAGE));

    @Test
    void shouldChargeEachTimeOffTheCpuInTheWindowToWhatRanMeanwhile()
    {
        final SchedSide side = SchedAnalysis.analyse(TIMELINE, 100, 1000, "client", CPU, Set.of(STAGE, REPORTER),
            Map.of(STAGE, "client", REPORTER, "client"));

        assertEquals(new SchedSide("client", CPU, List.of("oob-stage/10"), 900, 2, 1, 250, 150, List.of(
            new SchedSide.Preemptor("kworker/1:1", false, 100, 1),
            new SchedSide.Preemptor("swapper/1", false, 100, 1),
            new SchedSide.Preemptor("client:oobnet-reporter", true, 50, 1))), side);
        assertEquals(50, side.ownNs());
        assertEquals(1, side.ownCount());
    }

    @Test
    void shouldSayNoThreadRanWhenNoneOfTheProcessRanOnTheCpu()
    {
        final SchedSide side = SchedAnalysis.analyse(TIMELINE, 100, 1000, "reflector", CPU, Set.of(99), Map.of());

        assertEquals(new SchedSide("reflector", CPU, List.of(), 900, 0, 0, 0, 0, List.of()), side);
        assertEquals(List.of("    sched reflector cpu1 (no thread of it ran there): out 0 (0 preempted), off 0.00 " +
            "ms of 0 ms, max 0.000 ms; row's own threads 0.00 ms/0"), SchedBlock.lines(new SchedBlock(1, 0, null, 900, 0, 0, List.of(side)), "    "));
    }

    @Test
    void shouldSumRoundsAndPrintTheRowsSidesOrWhyThereAreNone()
    {
        final SchedSide round = SchedAnalysis.analyse(TIMELINE, 100, 1000, "client", CPU, Set.of(STAGE), Map.of());
        final SchedBlock one = new SchedBlock(1, 0, null, 900, 0, 0, List.of(round));
        final SchedBlock merged = SchedBlock.merge(SchedBlock.merge(one, one), SchedBlock.absent("tracefs gone"));

        assertEquals(2, merged.roundsTraced());
        assertEquals(1, merged.roundsAbsent());
        final SchedSide both = merged.sides().getFirst();
        assertEquals(List.of("oob-stage/10", "oob-stage/10"), both.threads());
        assertEquals(4, both.switchedOut());
        assertEquals(500, both.offNs());
        assertEquals(150, both.maxOffNs());
        assertEquals(new SchedSide.Preemptor("kworker/1:1", false, 200, 2), both.byComm().getFirst());
        assertEquals(List.of(
            "  sched client    cpu1 oob-stage/10: out 4 (2 preempted), off 0.00 ms of 0 ms, max 0.000 ms; row's own " +
                "threads 0.00 ms/0; by kworker/1:1 0.00 ms/2, swapper/1 0.00 ms/2, oobnet-reporter 0.00 ms/2",
            "  sched lost_events=0 malformed_lines=0 rounds_absent=1 (tracefs gone)"), SchedBlock.lines(merged, "  "));
        assertEquals(List.of("  sched absent: tracefs gone"), SchedBlock.lines(SchedBlock.absent("tracefs gone"), "  "));

        final ObjectNode json = SchedBlock.toJson(merged);
        assertEquals("tracefs gone", json.path("absent").asText());
        assertEquals(1800, json.path("window_ns").asLong());
        final var side = json.path("sides").get(0);
        assertEquals(500, side.path("off_cpu_ns").asLong());
        assertEquals(1.0 - 500.0 / 1800, side.path("on_cpu_share").asDouble(), 1e-9);
        assertEquals("kworker/1:1", side.path("top").get(0).path("comm").asText());
        assertEquals(0, side.path("other_ns").asLong());
        assertEquals(0, side.path("own_threads").size());
        final var owned = SchedBlock.toJson(new SchedBlock(1, 0, null, 900, 0, 0, List.of(SchedAnalysis.analyse(
            TIMELINE, 100, 1000, "client", CPU, Set.of(STAGE), Map.of(REPORTER, "client"))))).path("sides").get(0);
        assertEquals("client:oobnet-reporter", owned.path("own_threads").get(0).path("comm").asText());
        assertEquals(50, owned.path("own_threads_ns").asLong());
    }
}
