package org.oobnet.harness.bench.t2t;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.oobnet.harness.bench.run.PhaseThreads;
import org.oobnet.harness.env.CpuSet;

/**
 * The trading thread's counters: parsed from {@code /proc}'s text, found as the one thread pinned to the trading CPU
 * alone, and read around its sleeps (each a voluntary switch).
 */
class TradingThreadStatTest
{
    private static final int SLEEPS = 3;

    @Test
    void shouldParseTheContextSwitchesAndTheRunQueueWait()
    {
        final String status = "Name:\toob-stage\nCpus_allowed_list:\t1\nvoluntary_ctxt_switches:\t7\n" +
            "nonvoluntary_ctxt_switches:\t42\n";
        final TradingThreadStat stat = TradingThreadStat.parse(12, "oob-stage", status, "900 300 5\n");
        assertEquals(new TradingThreadStat(12, "oob-stage", 7, 42, 900, 300), stat);
        assertEquals(new TradingThreadStat(12, "oob-stage", 2, 40, 400, 100),
            stat.minus(new TradingThreadStat(12, "oob-stage", 5, 2, 500, 200)));
        assertEquals("{\"tid\":12,\"comm\":\"oob-stage\",\"voluntary_switches\":7,\"involuntary_switches\":42," +
            "\"on_cpu_ns\":900,\"run_delay_ns\":300}", stat.toJson().toString());
        assertEquals("tid=3: schedstat '1' or the status's context switch lines are missing",
            assertThrows(IllegalArgumentException.class, () -> TradingThreadStat.parse(3, "x", status, "1")).getMessage());
    }

    @Test
    void shouldFindTheThreadPinnedToTheCpuAloneAndCountItsSleepsAsVoluntary() throws Exception
    {
        final int cpu = CpuSet.online().length() - 1;
        final AtomicInteger tid = new AtomicInteger();
        final CountDownLatch pinned = new CountDownLatch(1);
        final CountDownLatch go = new CountDownLatch(1);
        final CountDownLatch slept = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        final Thread thread = new Thread(() ->
        {
            tid.set(PhaseThreads.callerTid());
            TraderPinning.pinCurrentThread(cpu);
            pinned.countDown();
            try
            {
                go.await();
                for (int i = 0; i < SLEEPS; i++)
                {
                    Thread.sleep(2);
                }
                slept.countDown();
                done.await();
            }
            catch (final InterruptedException ignored)
            {
                Thread.currentThread().interrupt();
            }
        }, "t2t-stat-probe");
        thread.start();
        try
        {
            pinned.await();
            if (CpuSet.online().cardinality() > 1)
            {
                assertEquals(tid.get(), TradingThreadStat.find(cpu));
            }
            final TradingThreadStat before = TradingThreadStat.read(tid.get());
            assertEquals("t2t-stat-probe", before.comm());
            go.countDown();
            slept.await();
            final TradingThreadStat delta = TradingThreadStat.read(tid.get()).minus(before);
            // each sleep blocks: a voluntary switch (a sleep counted as involuntary would leave voluntary short)
            assertTrue(delta.voluntary() >= SLEEPS, delta.toString());
            assertTrue(delta.onCpuNs() > 0 && delta.runDelayNs() >= 0, delta.toString());
        }
        finally
        {
            done.countDown();
            thread.join();
        }
        assertEquals(-1, TradingThreadStat.find(-1));
    }
}
