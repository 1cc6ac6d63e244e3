package org.oobnet.harness.bench.t2t;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A known trace of the trading CPU (tracefs's text: switches, a softirq with a timer interrupt nested in it, an
 * interrupt whose entry the trace missed, lines of other events) and ticks timed around it: the CPU's interrupt time
 * in a window, each slow tick charged to its cause, and what its JSON and text say.
 */
class SlowTicksTest
{
    private static final int STAGE = 10;
    private static final int REPORTER = 30;
    /** Realtime − trace clock. */
    private static final long OFFSET_NS = 1_000_000_000L;

    // trace clock, seconds with microseconds: the stage runs from 100.000100; the harness's reporter takes the CPU
    // 100.001000-100.001400; a NET_RX softirq (a timer interrupt nested in it) 100.003000-100.003060
    private static final List<String> TRACE = List.of(
        "# tracer: nop",
        "          <idle>-0       [001] d..2.   100.000100: sched_switch: prev_comm=swapper/1 prev_pid=0 " +
            "prev_prio=120 prev_state=R ==> next_comm=oob-stage next_pid=10 next_prio=120",
        "       oob-stage-10      [001] d.h..   100.000200: local_timer_exit: vector=236",
        "       oob-stage-10      [001] d..2.   100.001000: sched_switch: prev_comm=oob-stage prev_pid=10 " +
            "prev_prio=120 prev_state=R ==> next_comm=oobnet-reporter next_pid=30 next_prio=120",
        " oobnet-reporter-30      [001] d..2.   100.001400: sched_switch: prev_comm=oobnet-reporter prev_pid=30 " +
            "prev_prio=120 prev_state=S ==> next_comm=oob-stage next_pid=10 next_prio=120",
        "       oob-stage-10      [001] ..s1.   100.003000: softirq_entry: vec=3 [action=NET_RX]",
        "       oob-stage-10      [001] d.h..   100.003010: local_timer_entry: vector=236",
        "       oob-stage-10      [001] d.h..   100.003020: local_timer_exit: vector=236",
        "       oob-stage-10      [001] ..s1.   100.003060: softirq_exit: vec=3 [action=NET_RX]",
        "       oob-stage-10      [001] d.h..   100.004000: irq_handler_entry: irq=11 name=virtio0",
        "       oob-stage-10      [001] d.h..   100.004005: irq_handler_exit: irq=11 ret=handled",
        "       oob-stage-10      [001] ..s1.   100.005000: softirq_raise: vec=1 [action=TIMER]",
        "not a trace line");

    private static TradingCpuTrace trace()
    {
        final TradingCpuTrace trace = new TradingCpuTrace();
        TRACE.forEach(trace);
        return trace;
    }

    @Test
    void shouldSumTheInterruptTimeInAWindowNestedInterruptsInBoth()
    {
        final TradingCpuTrace trace = trace();
        assertEquals(3, trace.switches().size());
        assertEquals(2, trace.other(), "softirq_raise and the line that is no event");
        final Map<String, long[]> irq = trace.timeByName(100_000_000_000L, 100_010_000_000L);
        assertEquals(List.of("softirq", "irq", "softirq NET_RX", "irq local_timer", "irq virtio0"),
            List.copyOf(irq.keySet()));
        assertEquals(60_000, irq.get("softirq")[0]);
        assertEquals(1, irq.get("softirq")[1]);
        assertEquals(15_000, irq.get("irq")[0], "the nested timer and the device interrupt");
        assertEquals(2, irq.get("irq")[1]);
        // clipped to a window that starts inside the softirq
        assertEquals(30_000, trace.timeByName(100_003_030_000L, 100_003_500_000L).get("softirq")[0]);
        assertEquals(0, trace.timeByName(100_003_030_000L, 100_003_500_000L).get("softirq")[1]);
    }

    @Test
    void shouldChargeEachSlowTickToTheFirstCauseThatHeld()
    {
        final TickStamps exchange = new TickStamps(5, TickStamps.EXCHANGE_COLUMNS);
        final TickStamps trader = new TickStamps(5, TickStamps.TRADER_COLUMNS);
        exchange.measuredFrom(2);
        // tick 1: warm-up, slow, not counted
        tick(exchange, trader, 1, 100_000_050L, 100_000_900L);
        // tick 2: sent while the reporter had the CPU: off CPU, charged to the harness's reporter
        tick(exchange, trader, 2, 100_001_100L, 100_001_450L);
        // tick 3: sent once the stage was back, but before it had seen tick 2: queued behind it
        tick(exchange, trader, 3, 100_001_410L, 100_001_570L);
        // tick 4: fast
        tick(exchange, trader, 4, 100_002_000L, 100_002_005L);
        // tick 5: the stage on its CPU, in the NET_RX softirq for 60 of its 100 us
        tick(exchange, trader, 5, 100_002_990L, 100_003_090L);

        final SlowTicks slow = SlowTicks.of(exchange, trader, OFFSET_NS, trace(), STAGE, Map.of(REPORTER, "harness"));

        assertEquals(4, slow.measured());
        assertEquals(3, slow.slow());
        assertEquals(List.of("behind_earlier_tick", "irq:softirq NET_RX", "off_cpu:harness:oobnet-reporter"),
            List.copyOf(slow.byCause().keySet()));
        assertEquals(350_000, slow.byCause().get("off_cpu:harness:oobnet-reporter")[1]);
        assertEquals(2, slow.byCause().get("off_cpu:harness:oobnet-reporter")[2]);
        assertEquals("slow ticks (tick_in >= 100 us) 3 of 4: behind_earlier_tick 1 (max 160 us), irq:softirq NET_RX 1 " +
            "(max 100 us), off_cpu:harness:oobnet-reporter 1 (max 350 us)", slow.line());
        assertEquals(3, slow.toJson().get("slow").asLong());
        assertEquals(5, slow.toJson().get("by_cause").get("irq:softirq NET_RX").get("max_tick").asLong());
        assertNull(slow.toJson().get("by_cause").get("none_in_trace"));
    }

    @Test
    void shouldSayNoneInTraceWhenTheThreadRanThroughoutWithoutInterrupts()
    {
        final TickStamps exchange = new TickStamps(1, TickStamps.EXCHANGE_COLUMNS);
        final TickStamps trader = new TickStamps(1, TickStamps.TRADER_COLUMNS);
        tick(exchange, trader, 1, 100_005_000L, 100_005_500L);

        assertEquals(List.of("none_in_trace"),
            List.copyOf(SlowTicks.of(exchange, trader, OFFSET_NS, trace(), STAGE, Map.of()).byCause().keySet()));
    }

    // tick times in trace-clock us, stored as realtime ns
    private static void tick(final TickStamps exchange, final TickStamps trader, final int tick, final long txUs,
        final long seenUs)
    {
        exchange.put(tick, TickStamps.TICK_KERNEL_TX, txUs * 1000 + OFFSET_NS);
        trader.put(tick, TickStamps.TICK_SEEN, seenUs * 1000 + OFFSET_NS);
    }
}
