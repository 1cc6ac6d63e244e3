package org.oobnet.harness.bench.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

/**
 * The reporter's rehearsal drains the warm-up's samples at the measured phase's cadence (so its once-a-second path
 * runs on them), stops with its thread, and does nothing when turned off.
 */
class ReporterRehearsalTest
{
    private static final int CAPACITY = 64;

    @Test
    void shouldDrainTheWarmupSamplesAndStopItsThread() throws Exception
    {
        final StageSamples warmup = fill(new StageSamples(CAPACITY));
        final ReporterRehearsal rehearsal = ReporterRehearsal.start(warmup);
        try
        {
            // drained within a few of the reporter's drain periods: the full ring takes samples again
            assertTrue(offersWithin(warmup, TimeUnit.SECONDS.toNanos(10)), "the rehearsal never drained the ring");
        }
        finally
        {
            rehearsal.stop();
        }
        assertFalse(reporterAlive(), "the rehearsal's thread outlived stop()");
    }

    @Test
    void shouldLeaveTheWarmupSamplesAloneWhenTurnedOff() throws Exception
    {
        final StageSamples warmup = fill(new StageSamples(CAPACITY));
        System.setProperty(ReporterRehearsal.PROPERTY, "false");
        final ReporterRehearsal rehearsal;
        try
        {
            rehearsal = ReporterRehearsal.start(warmup);
        }
        finally
        {
            System.clearProperty(ReporterRehearsal.PROPERTY);
        }
        try
        {
            assertFalse(reporterAlive(), "a reporter thread runs although the rehearsal is off");
            // ten of the reporter's drain periods: nobody drains
            assertFalse(offersWithin(warmup, 10 * PhaseWakeups.drainNs()), "drained although the rehearsal is off");
        }
        finally
        {
            rehearsal.stop();
        }
    }

    private static StageSamples fill(final StageSamples samples)
    {
        while (samples.offer(1_000))
        {
            // until the ring is full
        }
        return samples;
    }

    private static boolean offersWithin(final StageSamples samples, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (System.nanoTime() < deadline)
        {
            if (samples.offer(1_000))
            {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return false;
    }

    private static boolean reporterAlive()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> IntervalReporter.THREAD_NAME.equals(t.getName()) && t.isAlive());
    }
}
