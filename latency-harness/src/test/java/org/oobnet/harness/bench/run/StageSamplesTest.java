package org.oobnet.harness.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;
import org.oobnet.harness.report.LatencyRecorder;

class StageSamplesTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void shouldHandOverEverySampleInOrderAndCountWhatAFullRingDrops()
    {
        final StageSamples samples = new StageSamples(4);
        final LatencyRecorder recorder = new LatencyRecorder();
        recorder.restart();
        for (int i = 1; i <= 4; i++)
        {
            assertTrue(samples.offer(i * 1000L));
        }
        assertFalse(samples.offer(5000), "full");
        assertEquals(1, samples.dropped());
        assertEquals(4, samples.drainTo(recorder));
        assertTrue(samples.offer(6000), "room again once drained");
        assertEquals(1, samples.drainTo(recorder));
        final var h = recorder.swapInterval();
        assertEquals(5, h.getTotalCount());
        assertEquals(6000, h.getMaxValue(), 6000 / 1000.0);
        assertEquals(5, samples.offered());
    }

    @Test
    void shouldRecordOnlyTheFirstLimitSamples()
    {
        final StageSamples samples = new StageSamples(16);
        final LatencyRecorder recorder = new LatencyRecorder();
        recorder.restart();
        samples.limitTo(3);
        for (int i = 0; i < 5; i++)
        {
            samples.offer(100);
        }
        samples.drainTo(recorder);
        assertEquals(3, recorder.swapInterval().getTotalCount());
    }

    @Test
    void shouldNotAllocateOnTheOfferingThreadOnceWarm()
    {
        // what the stage runs: offers into the run's ring and into a full warm-up ring, as the stage tasks do
        final StageSamples samples = new StageSamples(1 << 10);
        final StageSamples full = new StageSamples(2);
        final LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 0; i < 200_000; i++)
        {
            offerBoth(samples, full, i);
            if ((i & 511) == 0)
            {
                samples.drainTo(recorder);
            }
        }
        samples.drainTo(recorder);
        final long thread = Thread.currentThread().threadId();
        final long before = THREADS.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 512; i++)
        {
            offerBoth(samples, full, i);
        }
        final long allocated = THREADS.getThreadAllocatedBytes(thread) - before;
        assertEquals(0, allocated, "bytes allocated by offer()");
        samples.drainTo(recorder);
    }

    private static void offerBoth(final StageSamples samples, final StageSamples full, final long value)
    {
        samples.offer(value);
        full.offer(value);
    }
}
