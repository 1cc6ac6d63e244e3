package org.oobnet.harness.bench.t2t;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicReference;

import net.openhft.affinity.Affinity;
import org.junit.jupiter.api.Test;
import org.oobnet.harness.env.CpuSet;

/**
 * The harness's threads leave the trading CPU while a run lasts, those already running and those started later, and
 * get their mask back at the end; turned off by its property, nothing moves.
 */
class HarnessPinningTest
{
    @Test
    void shouldKeepEveryThreadOffTheTradingCpuUntilClosed() throws InterruptedException
    {
        assumeTrue(CpuSet.online().cardinality() > 1, "one CPU: nowhere else to keep the harness");
        final int cpu = CpuSet.online().length() - 1;
        final BitSet before = Affinity.getAffinity();
        assumeTrue(before.get(cpu), "this JVM does not run on cpu " + cpu + " to begin with");
        try (HarnessPinning pinning = HarnessPinning.apply(cpu))
        {
            assertTrue(pinning.note().endsWith("off the trading CPU " + cpu), pinning.note());
            assertFalse(Affinity.getAffinity().get(cpu), "this thread: " + Affinity.getAffinity());
            final AtomicReference<BitSet> started = new AtomicReference<>();
            final Thread later = new Thread(() -> started.set(Affinity.getAffinity()));
            later.start();
            later.join();
            assertFalse(started.get().get(cpu), "a thread started later: " + started.get());
        }
        assertEquals(before, Affinity.getAffinity());
    }

    @Test
    void shouldLeaveTheThreadsWhenTurnedOff()
    {
        final BitSet before = Affinity.getAffinity();
        System.setProperty(HarnessPinning.PROPERTY, "false");
        try (HarnessPinning pinning = HarnessPinning.apply(CpuSet.online().length() - 1))
        {
            assertEquals(HarnessPinning.PROPERTY + "=false: the harness's threads may run on the trading CPU",
                pinning.note());
            assertEquals(before, Affinity.getAffinity());
        }
        finally
        {
            System.clearProperty(HarnessPinning.PROPERTY);
        }
    }
}
