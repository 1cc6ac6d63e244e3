package org.oobnet.harness.bench.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.core.OobConfig;
import org.oobnet.harness.report.RunDescription;
import org.oobnet.harness.report.RunResult;
import org.oobnet.harness.env.CpuSet;
import org.oobnet.harness.bench.run.MeasurementPlan;

class TimerRunTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRecordStageLatenessForTheMeasuredCountOnly() throws Exception
    {
        final long periodNs = TimeUnit.MICROSECONDS.toNanos(200);
        final int cpu = CpuSet.defaultCpu();
        // spin: one spinning thread for about a second, on one CPU
        final OobConfig config = OobConfig.builder().stageCpu(cpu).idleStrategy(OobConfig.IdleStrategyKind.SPIN)
            .countersDir(dir.resolve("counters")).build();
        final MeasurementPlan plan = new MeasurementPlan(0, TimeUnit.MILLISECONDS.toNanos(200), 3000, 0, 5000);
        final RunDescription description = new RunDescription("timer-200us", "timer", "-", "-", 0, cpu,
            CpuSet.isIsolated(cpu), -1, 5000, false, "-", 0, 3000);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final RunResult result = new TimerRun(config, periodNs, plan, description)
            .run(new PrintStream(out, true, StandardCharsets.UTF_8), dir.resolve("timer.hlog"));

        final String lines = out.toString(StandardCharsets.UTF_8);
        assertEquals(3000, result.count(), lines);
        assertTrue(result.histogram().getMinValue() >= 0);
        assertTrue(result.stalls() >= 0, "the stage counts its stalls");
        assertTrue(result.stageAllocBytes() >= 0, "the stage's allocation is measured");
        assertTrue(result.warmupNs() >= TimeUnit.MILLISECONDS.toNanos(200));
        // 3000 periods of 200 us take at least 0.6 s, missed periods on top
        assertTrue(result.measuredNs() >= (3000 - result.overruns()) * periodNs - periodNs, "measured=" +
            result.measuredNs() + " overruns=" + result.overruns());
        assertTrue(lines.startsWith("RTT|  3000 exchanges  (timer, 0 bytes, 5000 Hz (200.000 us period)"), lines);
        assertTrue(lines.contains("\nRTS|"), lines);
    }
}
