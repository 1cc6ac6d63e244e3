package org.oobnet.harness.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.oobnet.inband.ThreadPriority;
import org.oobnet.netns.testing.Privileges;

/**
 * The per-thread scheduling change of a measured phase, on the real kernel: read back from
 * {@code /proc/self/task/<tid>/stat} as the scheduler sees it.
 */
class PhaseThreadsTest
{
    private static final int CAP_SYS_NICE = 23;
    private static final String PROBE = "phase-probe";
    private static final String STAGE = PhaseThreads.STAGE_PREFIX + "-probe";

    @Test
    void shouldReadPolicyAndNiceFromAStatLineWhoseNameHoldsSpacesAndParentheses()
    {
        // a real line's shape: pid (comm) state ppid ... nice is field 19, policy field 41
        final StringBuilder stat = new StringBuilder("4242 (C2 (Compiler) 1) S");
        for (int field = 4; field <= 52; field++)
        {
            stat.append(' ').append(field == 19 ? "19" : field == 41 ? "5" : Integer.toString(field * 10));
        }
        assertEquals(new PhaseThreads.TaskSched(4242, "C2 (Compiler) 1", 5, 19),
            PhaseThreads.parseStat(4242, stat + "\n"));
        assertEquals("tid=7: stat=\"7 (java) S 1 2\" has no policy field",
            assertThrows(IllegalArgumentException.class, () -> PhaseThreads.parseStat(7, "7 (java) S 1 2\n"))
                .getMessage());
    }

    @Test
    void shouldLeaveTheStageTheReporterAndTheSafepointAndGcThreadsAlone()
    {
        for (final String comm : List.of("oob-stage", "oob-stage-feed", "oobnet-reporter", "VM Thread", "GC Thread#0"))
        {
            assertTrue(PhaseThreads.leftAlone(comm), comm);
        }
        for (final String comm : List.of("C2 CompilerThre", "C1 CompilerThre", "java", "oobnet-parent-w",
            "VM Periodic Tas", "Service Thread"))
        {
            assertFalse(PhaseThreads.leftAlone(comm), comm);
        }
    }

    @Test
    void shouldParseTheModeAndNameABadOne()
    {
        assertEquals(PhaseThreads.Mode.IDLE, PhaseThreads.Mode.parse("idle"));
        assertEquals(PhaseThreads.Mode.NICE, PhaseThreads.Mode.parse(" NICE"));
        assertEquals("oobnet.phase.threads=batch is not normal, idle or nice",
            assertThrows(IllegalArgumentException.class, () -> PhaseThreads.Mode.parse("batch")).getMessage());
    }

    @Test
    void shouldPutTheNonStageThreadsInSchedIdleForThePhaseAndBackAfter() throws InterruptedException
    {
        requireSysNice();
        checkLoweredAndRestored(PhaseThreads.Mode.IDLE);
    }

    @Test
    void shouldNiceTheNonStageThreadsForThePhaseAndBackAfter() throws InterruptedException
    {
        requireSysNice();
        checkLoweredAndRestored(PhaseThreads.Mode.NICE);
    }

    @Test
    void shouldLeaveEveryThreadAloneInNormalMode()
    {
        final List<PhaseThreads.TaskSched> before = PhaseThreads.tasks();
        final PhaseThreads phase = PhaseThreads.lower(PhaseThreads.Mode.NORMAL);
        assertTrue(phase.lowered().isEmpty());
        assertEquals(List.of(), phase.restore());
        for (final PhaseThreads.TaskSched task : before)
        {
            final PhaseThreads.TaskSched now = find(task.comm(), task.tid());
            if (now != null)
            {
                assertEquals(task.policy(), now.policy(), task.toString());
                assertEquals(task.nice(), now.nice(), task.toString());
            }
        }
    }

    private static void checkLoweredAndRestored(final PhaseThreads.Mode mode) throws InterruptedException
    {
        final CountDownLatch end = new CountDownLatch(1);
        final CountDownLatch started = new CountDownLatch(3);
        final Thread probe = parked(PROBE, started, end);
        final Thread stage = parked(STAGE, started, end);
        final Thread reporter = parked(IntervalReporter.THREAD_NAME, started, end);
        try
        {
            started.await();
            final PhaseThreads.TaskSched probeBefore = byName(PROBE);
            final PhaseThreads.TaskSched stageBefore = byName(STAGE);
            final PhaseThreads.TaskSched reporterBefore = byName(IntervalReporter.THREAD_NAME);
            final PhaseThreads.TaskSched self = byTid(selfTid());
            assertEquals(ThreadPriority.SCHED_OTHER, probeBefore.policy(), probeBefore.toString());

            final PhaseThreads phase = PhaseThreads.lower(mode);
            final PhaseThreads.TaskSched probeDuring = byTid(probeBefore.tid());
            final PhaseThreads.TaskSched selfDuring = byTid(self.tid());
            if (mode == PhaseThreads.Mode.IDLE)
            {
                assertEquals(ThreadPriority.SCHED_IDLE, probeDuring.policy(), probeDuring.toString());
                assertEquals(ThreadPriority.SCHED_IDLE, selfDuring.policy(), "the calling thread too");
            }
            else
            {
                assertEquals(ThreadPriority.NICE_LOWEST, probeDuring.nice(), probeDuring.toString());
                assertEquals(ThreadPriority.NICE_LOWEST, selfDuring.nice(), "the calling thread too");
            }
            assertEquals(stageBefore, byTid(stageBefore.tid()), "the stage is left alone");
            assertEquals(reporterBefore, byTid(reporterBefore.tid()), "the reporter is left alone");
            assertTrue(phase.lowered().contains(probeBefore), phase.lowered().toString());
            assertFalse(phase.lowered().stream().anyMatch(t -> t.tid() == stageBefore.tid()));

            assertEquals(List.of(), phase.restore());
            assertEquals(probeBefore, byTid(probeBefore.tid()), "put back");
            assertEquals(self.policy(), byTid(self.tid()).policy());
            assertEquals(self.nice(), byTid(self.tid()).nice());
            assertEquals(stageBefore, byTid(stageBefore.tid()));
        }
        finally
        {
            end.countDown();
            probe.join();
            stage.join();
            reporter.join();
        }
    }

    private static Thread parked(final String name, final CountDownLatch started, final CountDownLatch end)
    {
        final Thread t = new Thread(() ->
        {
            started.countDown();
            try
            {
                end.await();
            }
            catch (final InterruptedException ignored)
            {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.start();
        return t;
    }

    // the calling thread's id, found by a name set unique for the lookup (and PhaseThreads' own answer checked)
    private static int selfTid()
    {
        final Thread self = Thread.currentThread();
        final String old = self.getName();
        self.setName("phase-self");
        try
        {
            final int tid = byName("phase-self").tid();
            assertEquals(tid, PhaseThreads.callerTid());
            return tid;
        }
        finally
        {
            self.setName(old);
        }
    }

    private static PhaseThreads.TaskSched byName(final String comm)
    {
        return PhaseThreads.tasks().stream().filter(t -> t.comm().equals(comm)).findFirst()
            .orElseThrow(() -> new AssertionError("no thread named " + comm + " in " + PhaseThreads.tasks()));
    }

    private static PhaseThreads.TaskSched byTid(final int tid)
    {
        return PhaseThreads.tasks().stream().filter(t -> t.tid() == tid).findFirst()
            .orElseThrow(() -> new AssertionError("no thread tid=" + tid));
    }

    private static PhaseThreads.TaskSched find(final String comm, final int tid)
    {
        return PhaseThreads.tasks().stream().filter(t -> t.tid() == tid && t.comm().equals(comm)).findFirst()
            .orElse(null);
    }

    // putting a thread back (out of SCHED_IDLE, from nice 19) takes CAP_SYS_NICE
    private static void requireSysNice()
    {
        if ((Privileges.effectiveCapabilities() & (1L << CAP_SYS_NICE)) == 0)
        {
            if (Privileges.isPrivilegeRequired())
            {
                fail("CAP_SYS_NICE is missing but " + Privileges.REQUIRE_PRIVILEGED_ENV + "=1 forbids skipping");
            }
            Assumptions.abort("needs CAP_SYS_NICE to put the threads back");
        }
    }
}
