package org.oobnet.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class JitBlockTest
{
    private static final RunDescription RUN = new RunDescription("packet-oob", "packet", "oob", "oobnet", 64, 1,
        false, 0, 0, true, "veth", 0, 100_000);

    @Test
    void shouldReadBackTheLineAReflectorPrints()
    {
        final JitDelta delta = new JitDelta(216, 59, 180);
        assertEquals("JIT compile_ms=216 compiles=59 cpu_ms=180", delta.line());
        assertEquals(delta, JitDelta.parse(delta.line()));
        assertEquals(new JitDelta(3, -1, 2), JitDelta.parse("JIT compile_ms=3 compiles=-1 cpu_ms=2"));
    }

    @Test
    void shouldNameALineThatIsNotAJitLine()
    {
        assertEquals("line=\"JIT compile_ms=x compiles=1 cpu_ms=0\" is not JIT compile_ms=<n> compiles=<n> cpu_ms=<n>",
            assertThrows(IllegalArgumentException.class, () -> JitDelta.parse("JIT compile_ms=x compiles=1 cpu_ms=0"))
                .getMessage());
        assertEquals("line=\"JIT compiles=1 compile_ms=1 cpu_ms=0\" is not JIT compile_ms=<n> compiles=<n> cpu_ms=<n>",
            assertThrows(IllegalArgumentException.class, () -> JitDelta.parse("JIT compiles=1 compile_ms=1 cpu_ms=0"))
                .getMessage());
        assertThrows(IllegalArgumentException.class, () -> JitDelta.parse("JIT compile_ms=1 compiles=1"));
        assertThrows(IllegalArgumentException.class, () -> JitDelta.parse("HOP kick"));
    }

    @Test
    void shouldSubtractMarksPerCompilerThread()
    {
        final JitDelta.Mark start = new JitDelta.Mark(100, 1000, Map.of(11, 5_000_000L, 12, 1_000_000L));
        // thread 12 ended, thread 13 started inside the window: 11 ran 30 ms more, 13 ran 9 ms
        final JitDelta.Mark end = new JitDelta.Mark(140, 1007, Map.of(11, 35_000_000L, 13, 9_000_000L));
        assertEquals(new JitDelta(40, 7, 39), end.since(start));
        assertEquals(new JitDelta(40, -1, -1),
            new JitDelta.Mark(140, -1, Map.of()).since(new JitDelta.Mark(100, 1000, Map.of())));
    }

    @Test
    void shouldAddRoundsKeepingUnknownFiguresUnknown()
    {
        assertEquals(new JitDelta(50, 9, 3), new JitDelta(40, 7, 1).plus(new JitDelta(10, 2, 2)));
        assertEquals(new JitDelta(50, 2, 2), new JitDelta(40, -1, 2).plus(new JitDelta(10, 2, 0)));
        assertEquals(new JitDelta(40, -1, -1), new JitDelta(40, -1, -1).plus(new JitDelta(0, -1, -1)));
        assertEquals(new JitDelta(40, 7, 1), new JitDelta(40, 7, 1).plus(null));
    }

    @Test
    void shouldCountThisJvmsCompilesWhenSunManagementIsExported()
    {
        // the test runner has the flags the children get (JvmProfile.BASE): both figures are there
        final JitDelta.Mark before = JitDelta.mark();
        // compiles finish on the compiler threads, asynchronously: work until one of them is counted (or 30 s)
        final long deadlineNs = System.nanoTime() + 30_000_000_000L;
        long sink = 0;
        JitDelta work = before.delta();
        while (work.compiles() <= 0 && System.nanoTime() - deadlineNs < 0)
        {
            for (int i = 0; i < 200_000; i++)
            {
                sink += Long.toString(i).hashCode();
            }
            work = before.delta();
        }
        assertTrue(work.compileMs() >= 0, "compile_ms=" + work.compileMs());
        assertTrue(work.compiles() > 0, "compiles=" + work.compiles() + " sink=" + sink);
        // the compiler threads are found by name and their schedstat read
        assertTrue(work.cpuMs() >= 0, "cpu_ms=" + work.cpuMs());
    }

    @Test
    void shouldMergeRoundsSideBySide()
    {
        final JitBlock one = new JitBlock(new JitDelta(10, 2, 10), new JitDelta(5, 1, 5));
        final JitBlock clientOnly = new JitBlock(new JitDelta(1, 1, 1), null);
        assertEquals(new JitBlock(new JitDelta(11, 3, 11), new JitDelta(5, 1, 5)), JitBlock.merge(one, clientOnly));
        assertEquals(one, JitBlock.merge(null, one));
        assertNull(JitBlock.merge(null, null));
        assertEquals(new JitBlock(new JitDelta(1, 1, 1), new JitDelta(2, 2, 2)),
            clientOnly.withReflector(new JitDelta(2, 2, 2)));
    }

    @Test
    void shouldCarryTheBlockThroughTheRunFileAndIntoTheTable()
    {
        final Histogram h = LatencyRecorder.newHistogram();
        h.recordValue(5_000);
        final RunResult result = new RunResult(RUN, h, 1, 1, 0, 0, 0, 0, 0, new GcDelta(Map.of(), Map.of()), 1, 0)
            .withJit(new JitBlock(new JitDelta(216, 59, 216), new JitDelta(12, -1, 12)));
        final JsonNode json = RunJson.toJson(result);
        assertEquals(216, json.get("jit").get("client").get("compile_ms").asLong());
        assertEquals(59, json.get("jit").get("client").get("compiles").asLong());
        assertEquals(12, json.get("jit").get("reflector").get("compile_ms").asLong());
        assertTrue(json.get("jit").get("reflector").get("compiles").isNull(), json.toString());
        assertEquals(result.jit(), RunJson.fromJson(json, h).jit());
        assertTrue(RunJson.toJson(new RunResult(RUN, h, 1, 1, 0, 0, 0, 0, 0, GcDelta.NONE, 1, 0)).get("jit").isNull());

        final List<String> table = CompareTable.lines(List.of(result));
        assertEquals("    jit in measured phase: client 59 compiles, 216 ms compiling, 216 ms compiler CPU, reflector ? " +
            "compiles, 12 ms compiling, 12 ms compiler CPU", table.get(2));
        assertEquals("  jit in measured phase: client -, reflector 2 compiles, 1 ms compiling, 1 ms compiler CPU",
            JitBlock.lines(new JitBlock(null, new JitDelta(1, 2, 1)), "  ").getFirst());
    }
}
