package org.oobnet.harness.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stage child JVM: its stage thread alone on the stage's CPU, every other thread of it (main, compilers, GC,
 * reporters) on the other CPUs — read from the kernel's view of each thread ({@code /proc/<pid>/task/<tid>}).
 */
class StagePlacementTest
{
    @TempDir
    Path dir;

    @Test
    void shouldPinOnlyTheStageThreadToItsCpuAndKeepTheJvmsOtherThreadsOffIt() throws IOException
    {
        assertTrue(ChildJvm.canPin(), "taskset (util-linux) is needed to start the JVM off the stage's CPU");
        final BitSet online = CpuSet.online();
        assertTrue(online.cardinality() >= 2, "the test needs two CPUs; online=" + CpuSet.format(online));
        final int stageCpu = online.length() - 1;
        final BitSet busy = new BitSet();
        busy.set(stageCpu);
        final List<String> command = ChildJvm.stageCommand(List.of(), stageCpu, busy, true, List.of("latency",
            "timer", "--cpu", Integer.toString(stageCpu), "--idle", "yield", "--warmup", "100ms", "--duration", "4s",
            "--child-output", dir.resolve("timer").toString(), "--exit-with-parent"));
        try (ChildJvm child = ChildJvm.start(command, dir.resolve("timer.err"), line -> { }))
        {
            final Map<String, String> affinity = awaitStageThread(child.pid(), stageCpu);
            assertNotNull(affinity, "the child's oob-stage thread appeared: " + child.stderrTail());
            assertEquals(Integer.toString(stageCpu), affinity.remove("oob-stage"), "the stage alone on its CPU");
            final BitSet others = ChildJvm.otherCpus(stageCpu, busy);
            assertFalse(others.get(stageCpu));
            // the JVM's own threads (VM thread, GC, JIT compilers...) are there, each under its native name
            assertTrue(affinity.size() > 5, "the JVM's threads: " + affinity);
            affinity.forEach((thread, cpus) ->
                assertEquals(CpuSet.format(others), cpus, thread + " runs off the stage's CPU"));
        }
    }

    // thread name -> Cpus_allowed_list, once the stage thread has pinned itself; null when it never did
    private static Map<String, String> awaitStageThread(final long pid, final int stageCpu) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - deadline < 0)
        {
            final Map<String, String> affinity = new HashMap<>();
            try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task")))
            {
                for (final Path task : tasks.toList())
                {
                    try
                    {
                        final String name = Files.readString(task.resolve("comm")).strip();
                        final String cpus = Files.readAllLines(task.resolve("status")).stream()
                            .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElse("")
                            .substring("Cpus_allowed_list:".length()).strip();
                        affinity.put(name, cpus);
                    }
                    catch (final IOException ex)
                    {
                        // a thread that ended meanwhile
                    }
                }
            }
            catch (final IOException ex)
            {
                return null;
            }
            final String stage = affinity.get("oob-stage");
            // before it pins itself the stage thread has the JVM's mask
            if (Integer.toString(stageCpu).equals(stage))
            {
                return affinity;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return null;
    }
}
