package org.oobnet.harness.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.oobnet.harness.report.LatencyRecorder;

/**
 * The measuring JVM's reporter sleeps {@link PhaseWakeups#drainNs()} between drains of the stage's samples: with
 * {@code oobnet.phase.drainMs=50}, counted by the kernel ({@code voluntary_ctxt_switches} of its thread), about 20
 * wake-ups a second, not the default's thousand; and every sample a stage offers still reaches the recorder (the
 * ring full only when the kernel kept the reporter from a CPU for about its headroom).
 */
class PhaseWakeupsTest
{
    // a stage's pace: a batch of samples every gap
    private static final int BATCH = 2000;
    private static final long BATCH_GAP_MS = 10;
    private static final long DRAIN_MS = 50;

    private final LatencyRecorder recorder = new LatencyRecorder();
    private final StageSamples samples = new StageSamples(StageSamples.DEFAULT_CAPACITY);

    @Test
    void shouldWakeTheReporterRarelyWhenAskedWhileKeepingEverySample() throws Exception
    {
        System.setProperty(PhaseWakeups.DRAIN_MS_PROPERTY, Long.toString(DRAIN_MS));
        final IntervalReporter reporter;
        try
        {
            reporter = newReporter();
        }
        finally
        {
            System.clearProperty(PhaseWakeups.DRAIN_MS_PROPERTY);
        }
        final long offered = offerForASecond(reporter);
        reporter.stopAndFlush();
        assertEquals(offered, recorder.total().getTotalCount());
    }

    private IntervalReporter newReporter()
    {
        recorder.restart();
        return new IntervalReporter(recorder, samples, null, new PrintStream(new ByteArrayOutputStream()), () -> 0,
            () -> -1);
    }

    // a stage's pace of ping-pong for a second (200 000 round trips); asserts the reporter woke once per drain and
    // that the ring held what arrived between two drains: returns how many samples it took
    private long offerForASecond(final IntervalReporter reporter) throws Exception
    {
        reporter.start();
        final Path task = taskOf("oobnet-reporter");
        final long before = voluntarySwitches(task);
        final long runDelayBeforeNs = runDelayNs(task);
        final long startNs = System.nanoTime();
        long offered = 0;
        while (System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(1))
        {
            for (int i = 0; i < BATCH; i++)
            {
                if (samples.offer(5000 + i))
                {
                    offered++;
                }
            }
            Thread.sleep(BATCH_GAP_MS);
        }
        final long wakeups = voluntarySwitches(task) - before;
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        assertTrue(wakeups <= elapsedMs / 25 + 5, "wakeups=" + wakeups + " in " + elapsedMs + " ms: one per " +
            "drain period (50 ms) and interval, not one per millisecond");
        // at most a batch per gap arrives, so the ring fills only when no drain came for its headroom: the
        // reporter's drains (50 ms apart) keep up unless the kernel kept it waiting for a CPU nearly that long
        // (a loaded machine), which its run-queue wait (schedstat) shows
        final long headroomMs = (StageSamples.DEFAULT_CAPACITY / BATCH - 1) * BATCH_GAP_MS;
        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(runDelayNs(task) - runDelayBeforeNs);
        assertTrue(0 == samples.dropped() || waitedMs >= headroomMs - 2 * DRAIN_MS, "the ring holds what arrives " +
            "between two drains: dropped=" + samples.dropped() + " while the reporter waited " + waitedMs +
            " ms for a CPU (headroom " + headroomMs + " ms)");
        return offered;
    }

    @Test
    void shouldRejectAPeriodUnderOneMillisecond()
    {
        System.setProperty(PhaseWakeups.POLL_MS_PROPERTY, "0");
        try
        {
            assertEquals("oobnet.phase.pollMs=0 must be at least 1 (ms)",
                assertThrows(IllegalArgumentException.class, PhaseWakeups::pollNs).getMessage());
        }
        finally
        {
            System.clearProperty(PhaseWakeups.POLL_MS_PROPERTY);
        }
        assertEquals(TimeUnit.MILLISECONDS.toNanos(PhaseWakeups.DEFAULT_POLL_MS), PhaseWakeups.pollNs());
    }

    private static Path taskOf(final String name) throws IOException, InterruptedException
    {
        for (int attempt = 0; attempt < 500; attempt++)
        {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task")))
            {
                for (final Path task : tasks)
                {
                    if (name.equals(Files.readString(task.resolve("comm")).trim()))
                    {
                        return task;
                    }
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no thread named " + name);
    }

    // the time the thread spent runnable, waiting for a CPU (schedstat's second field)
    private static long runDelayNs(final Path task) throws IOException
    {
        return Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split("\\s+")[1]);
    }

    private static long voluntarySwitches(final Path task) throws IOException
    {
        for (final String line : Files.readAllLines(task.resolve("status")))
        {
            if (line.startsWith("voluntary_ctxt_switches:"))
            {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new AssertionError("no voluntary_ctxt_switches in " + task.resolve("status"));
    }
}
