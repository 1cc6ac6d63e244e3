package org.oobnet.core;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.status.CountersManager;
import org.jctools.queues.MpscArrayQueue;
import org.junit.jupiter.api.Test;
import org.oobnet.core.counters.StageCounters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command wakes a stage whose idle strategy parks: a stage that parks for two seconds when it has no work
 * answers a command at once when its proxy wakes it, and only when its park ends when the proxy does not (the
 * control case, which shows the check can fail).
 */
class StageWakeTest
{
    private static final long LONG_PARK_NS = 2_000_000_000L;

    @Test
    void shouldAnswerACommandBeforeAParkedStageWouldWakeByItself() throws Exception
    {
        final long elapsedNs = roundTripOnParkedStage(true);
        assertTrue(elapsedNs < LONG_PARK_NS / 2, "round trip ns=" + elapsedNs + " on a woken stage");
    }

    @Test
    void shouldWaitForTheParkToEndWhenTheStageIsNotWoken() throws Exception
    {
        final long elapsedNs = roundTripOnParkedStage(false);
        assertTrue(elapsedNs >= LONG_PARK_NS / 4, "round trip ns=" + elapsedNs + " on a stage left parked");
    }

    private static long roundTripOnParkedStage(final boolean wake) throws Exception
    {
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(new byte[1024 * 1024]), new UnsafeBuffer(new byte[256 * 1024]));
        final DistinctErrorLog errorLog = new DistinctErrorLog(
            new UnsafeBuffer(new byte[64 * 1024]), SystemEpochClock.INSTANCE);
        final MpscArrayQueue<StageCommand> commands = new MpscArrayQueue<>(64);
        final StageAgent agent = new StageAgent(
            commands, 16, 16, new StageCounters(manager, 100_000L), errorLog, 100_000L, "wake-test");
        final StageProxy proxy = new StageProxy(commands, agent, wake, "wake-test",
            OobConfig.DEFAULT_STAGE_ANSWER_TIMEOUT_NS);
        final AtomicBoolean running = new AtomicBoolean(true);
        // the stage's loop with an idle strategy that parks long on a cycle without work
        final Thread stage = new Thread(() ->
        {
            agent.onStart();
            while (running.get())
            {
                if (0 == agent.doWork())
                {
                    LockSupport.parkNanos(LONG_PARK_NS);
                }
            }
        }, "wake-test-stage");
        stage.setDaemon(true);
        stage.start();
        try
        {
            // parked (after its first cycles found no work)
            CoreTests.await(() -> stage.getState() == Thread.State.TIMED_WAITING, "the stage parks");
            final long startNs = System.nanoTime();
            final int result = proxy.callOnStage(new StageCommand()
            {
                @Override
                protected int execute(final OobStage on, final long nowNs)
                {
                    return 7;
                }
            });
            final long elapsedNs = System.nanoTime() - startNs;
            assertEquals(7, result, "the command ran on the stage");
            return elapsedNs;
        }
        finally
        {
            running.set(false);
            LockSupport.unpark(stage);
            stage.join(10_000L);
        }
    }
}
