package org.oobnet.udp;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobTask;

/**
 * Holds the OOB stage inside a task's {@code doWork} (between two cycles' port polls) until closed: what the
 * kernel hands the rings meanwhile waits there, and nothing is kicked. At most 10 s, so a failed test cannot hang
 * the stage.
 * <p>
 * <b>Note:</b> begin and close from one test thread.
 */
final class StageStall implements AutoCloseable
{
    private static final long LONGEST_STALL_S = 10;

    private final OobRuntime runtime;
    private final CountDownLatch stalled = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final OobTask task = new OobTask()
    {
        @Override
        public int doWork(final long nowNs)
        {
            stalled.countDown();
            try
            {
                release.await(LONGEST_STALL_S, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
    };
    private final Thread adder;

    private StageStall(final OobRuntime runtime)
    {
        this.runtime = runtime;
        // addTask returns at the end of the first cycle the task runs in: from another thread, or it never returns
        this.adder = new Thread(() -> runtime.addTask(task, OobTask.Schedule.EVERY_CYCLE), "stage-stall-adder");
    }

    /**
     * Returns once the stage is held.
     *
     * @param runtime the runtime whose stage to hold.
     * @return the stall; close it to let the stage go.
     * @throws InterruptedException when interrupted while waiting.
     */
    static StageStall begin(final OobRuntime runtime) throws InterruptedException
    {
        final StageStall stall = new StageStall(runtime);
        stall.adder.start();
        if (!stall.stalled.await(LONGEST_STALL_S, TimeUnit.SECONDS))
        {
            stall.close();
            throw new AssertionError("the stage did not run the stalling task within " + LONGEST_STALL_S + " s");
        }
        return stall;
    }

    @Override
    public void close() throws InterruptedException
    {
        release.countDown();
        adder.join();
        runtime.removeTask(task);
    }
}
