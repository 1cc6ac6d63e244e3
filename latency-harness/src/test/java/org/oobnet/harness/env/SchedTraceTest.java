package org.oobnet.harness.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.oobnet.harness.report.SchedAnalysis;
import org.oobnet.harness.report.SchedSide;
import org.oobnet.netns.IpCommand;
import org.oobnet.netns.testing.Privileges;

/**
 * The kernel's own {@code sched_switch} events through a tracefs instance: a thread pinned to a CPU that spins and
 * sleeps in turn is switched out at least once per sleep, off the CPU at least as long as it slept, and the
 * instance is gone afterwards.
 */
class SchedTraceTest
{
    private static final int SLEEPS = 10;
    private static final long SLEEP_MS = 10;
    private static final String NAME = "sched-test-spin";

    @Test
    void shouldCountEverySleepOfAPinnedThreadAsASwitchAndItsTimeOffTheCpu() throws Exception
    {
        final BitSet online = CpuSet.online();
        final int cpu = online.length() - 1;
        final CountDownLatch go = new CountDownLatch(1);
        final Thread spinner = new Thread(() ->
        {
            awaitQuietly(go);
            for (int i = 0; i < SLEEPS; i++)
            {
                final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
                while (System.nanoTime() - until < 0)
                {
                    Thread.onSpinWait();
                }
                sleepQuietly(SLEEP_MS);
            }
        }, NAME);
        spinner.start();
        final int tid = tidOf(NAME);
        IpCommand.exec(List.of(IpCommand.which("taskset"), "-p", "-c", Integer.toString(cpu), Integer.toString(tid)));
        final BitSet cpus = new BitSet();
        cpus.set(cpu);
        final SchedEvents events = new SchedEvents();
        final long startNs;
        final long endNs;
        final SchedTrace.Capture capture;
        try (SchedTrace trace = startOrSkip(cpus))
        {
            assertTrue(Files.isDirectory(instanceDir()), "our instance exists while tracing");
            startNs = System.nanoTime();
            go.countDown();
            spinner.join();
            endNs = System.nanoTime();
            capture = trace.stop(events);
        }
        assertFalse(Files.exists(instanceDir()), "the instance is removed by close()");
        assertEquals(new SchedTrace.Capture(0, Long.MIN_VALUE), capture, "no event lost");
        assertEquals(0, events.malformed(), "the kernel's lines all parse; first other: " + events.firstMalformed());
        assertTrue(events.events().stream().allMatch(e -> e.cpu() == cpu), "only the traced CPU's events");

        final SchedSide side = SchedAnalysis.analyse(events.events(), startNs, endNs, "client", cpu, Set.of(tid),
            Map.of());
        assertEquals(List.of(NAME + "/" + tid), side.threads());
        assertTrue(side.switchedOut() >= SLEEPS, "switched out at least once per sleep: " + side);
        assertTrue(side.switchedOut() - side.preempted() >= SLEEPS, "each sleep leaves the CPU blocked: " + side);
        assertTrue(side.offNs() >= TimeUnit.MILLISECONDS.toNanos(SLEEPS * SLEEP_MS - 1), "off at least as long " +
            "as it slept (the trace prints microseconds): " + side);
        assertTrue(side.offNs() < endNs - startNs, "off less than the window: " + side);
        assertTrue(side.maxOffNs() >= TimeUnit.MILLISECONDS.toNanos(SLEEP_MS - 1) && side.maxOffNs() <= side.offNs(),
            "the longest time off is one sleep or more: " + side);
        assertFalse(side.byComm().isEmpty(), "something (if only the idle task) had the CPU meanwhile: " + side);
    }

    @Test
    void shouldWriteCpuMasksAndReadTimestampsAsTheKernelDoes()
    {
        final BitSet cpus = new BitSet();
        cpus.set(0);
        cpus.set(1);
        assertEquals("3", SchedTrace.cpuMask(cpus));
        cpus.set(32);
        assertEquals("1,00000003", SchedTrace.cpuMask(cpus));
        assertEquals(301_040_476_000L, SchedTrace.secondsToNs("301.040476"));
        assertEquals(7_000_000_000L, SchedTrace.secondsToNs("7"));
    }

    // the trace, or a skip (a failure under OOBNET_REQUIRE_PRIVILEGED=1) saying why tracefs cannot be used
    private static SchedTrace startOrSkip(final BitSet cpus)
    {
        try
        {
            return SchedTrace.start(cpus);
        }
        catch (final IOException ex)
        {
            if (Privileges.isPrivilegeRequired())
            {
                Assertions.fail("tracefs: " + ex.getMessage() + "; " + Privileges.REQUIRE_PRIVILEGED_ENV +
                    "=1 forbids skipping");
            }
            Assumptions.abort("tracefs: " + ex.getMessage());
            return null;
        }
    }

    private static Path instanceDir() throws IOException
    {
        try (DirectoryStream<Path> all = Files.newDirectoryStream(SchedTrace.TRACEFS.resolve("instances"),
            SchedTrace.PREFIX + ProcessHandle.current().pid() + "-*"))
        {
            for (final Path dir : all)
            {
                return dir;
            }
        }
        return SchedTrace.TRACEFS.resolve("instances").resolve(SchedTrace.PREFIX + "none");
    }

    // the thread's id from its native name, as the kernel shows it (/proc/self/task/<tid>/comm)
    private static int tidOf(final String name) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0)
        {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task")))
            {
                for (final Path task : tasks)
                {
                    if (name.equals(commOrNull(task)))
                    {
                        return Integer.parseInt(task.getFileName().toString());
                    }
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no thread named " + name + " in /proc/self/task");
    }

    // a thread of this JVM (another test's) can end between the listing and the read
    private static String commOrNull(final Path task) throws IOException
    {
        try
        {
            return Files.readString(task.resolve("comm")).trim();
        }
        catch (final java.nio.file.NoSuchFileException ended)
        {
            return null;
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
