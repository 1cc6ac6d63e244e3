package org.oobnet.core;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.core.bus.OobBusAddress;
import org.oobnet.inband.KSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_OOB;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_OOB;

/**
 * An in-band call waiting for a stage that runs but does not answer (held in a task, as a handler that never
 * returns would) is bounded: after {@link OobConfig#stageAnswerTimeoutNs()} it fails with a message naming the
 * command, the stage and the wait (before, it waited as long as the stall). An interrupted caller neither gives up
 * (the stage may be detaching the socket) nor spins: it parks (voluntary context switches, read from
 * {@code /proc/thread-self/status}), the call completes once the stage answers and the interrupt flag is set again.
 */
class StageAnswerTimeoutTest
{
    private static final long ANSWER_TIMEOUT_MS = 500;

    @TempDir
    Path dir;

    @Test
    void shouldFailNamingTheCommandWhenTheStageStallsPastTheTimeout() throws Exception
    {
        try (OobRuntime runtime = OobRuntime.start(CoreTests.config(dir)
                .releaseDrainTimeoutNs(TimeUnit.MILLISECONDS.toNanos(100))
                .stageAnswerTimeoutNs(TimeUnit.MILLISECONDS.toNanos(ANSWER_TIMEOUT_MS))
                .build());
            Arena arena = Arena.ofConfined())
        {
            final KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
            socket.bind(OobBusAddress.encode("stalled", arena));
            CoreTests.await(() -> runtime.counters().sockets().get() == 1, "the socket on the stage");
            try (Stall stall = Stall.begin(runtime, 10_000))
            {
                final long start = System.nanoTime();
                final StageTimeoutException ex = assertThrows(StageTimeoutException.class, socket::close);
                final long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                // a detach may wait the drain timeout (100 ms) on top of the answer timeout
                assertTrue(waitedMs >= ANSWER_TIMEOUT_MS + 100 && waitedMs < 5_000, "waited ms=" + waitedMs);
                assertTrue(ex.getMessage().matches("stage=main command=DetachCommand waited=\\d+ms timeout=600ms: " +
                    "the stage did not answer \\(stalled, not stopped\\); the command stays queued and the stage may " +
                    "still run it"), ex.getMessage());
            }
            // the stage comes back and runs the queued detach
            CoreTests.await(() -> runtime.counters().sockets().get() == 0, "the socket off the stage");
        }
    }

    @Test
    void shouldParkAndKeepTheInterruptWhenAnInterruptedCallerWaitsForAStalledStage() throws Exception
    {
        try (OobRuntime runtime = OobRuntime.start(CoreTests.config(dir).build());
            Arena arena = Arena.ofConfined())
        {
            final KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
            socket.bind(OobBusAddress.encode("interrupted", arena));
            CoreTests.await(() -> runtime.counters().sockets().get() == 1, "the socket on the stage");
            final long stallMs = 1_000;
            final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            try (Stall stall = Stall.begin(runtime, stallMs))
            {
                final long switchesBefore = voluntarySwitches();
                final long cpuBefore = threads.getCurrentThreadCpuTime();
                final long start = System.nanoTime();
                Thread.currentThread().interrupt();
                socket.close();
                final long wallNs = System.nanoTime() - start;
                final long cpuNs = threads.getCurrentThreadCpuTime() - cpuBefore;
                final long switches = voluntarySwitches() - switchesBefore;
                assertTrue(Thread.interrupted(), "the interrupt flag is set again");
                System.out.println("StageAnswerTimeoutTest interrupted close over a " + stallMs + " ms stall: wall ms=" +
                    TimeUnit.NANOSECONDS.toMillis(wallNs) + " cpu ms=" + TimeUnit.NANOSECONDS.toMillis(cpuNs) +
                    " voluntary switches=" + switches);
                assertTrue(wallNs >= TimeUnit.MILLISECONDS.toNanos(stallMs / 2), "the close waited for the stage");
                // a park that sleeps is a voluntary switch; a park that returns at once (interrupt set) is not
                assertTrue(switches >= 100, "voluntary context switches while waiting: " + switches);
            }
            assertEquals(0, runtime.liveSockets(), "the context destroyed");
        }
    }

    // this thread's voluntary context switches (each sleep of a park is one)
    private static long voluntarySwitches() throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/thread-self/status")))
        {
            if (line.startsWith("voluntary_ctxt_switches:"))
            {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new IllegalStateException("no voluntary_ctxt_switches in /proc/thread-self/status");
    }

    // holds the stage in a task's doWork for at most holdMs, or until closed
    private static final class Stall implements AutoCloseable
    {
        private final CountDownLatch stalled = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final OobRuntime runtime;
        private final OobTask task;

        private Stall(final OobRuntime runtime, final long holdMs)
        {
            this.runtime = runtime;
            this.task = new OobTask()
            {
                @Override
                public int doWork(final long nowNs)
                {
                    if (1 == stalled.getCount())
                    {
                        stalled.countDown();
                        try
                        {
                            release.await(holdMs, TimeUnit.MILLISECONDS);
                        }
                        catch (final InterruptedException ex)
                        {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return 0;
                }
            };
        }

        static Stall begin(final OobRuntime runtime, final long holdMs) throws InterruptedException
        {
            final Stall stall = new Stall(runtime, holdMs);
            // addTask returns after the first cycle the task ran in: from another thread
            final Thread adder = new Thread(() -> runtime.addTask(stall.task, OobTask.Schedule.EVERY_CYCLE));
            adder.setDaemon(true);
            adder.start();
            assertTrue(stall.stalled.await(10, TimeUnit.SECONDS), "the stage held");
            return stall;
        }

        @Override
        public void close()
        {
            release.countDown();
            runtime.removeTask(task);
        }
    }
}
