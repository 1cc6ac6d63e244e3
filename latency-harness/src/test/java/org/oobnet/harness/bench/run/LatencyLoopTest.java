package org.oobnet.harness.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.oobnet.harness.report.LatencyRecorder;

class LatencyLoopTest
{
    private static final long US = 1_000;

    /** A clock that only moves when the exchange or the pacer moves it. */
    private static final class ManualClock implements NanoClock
    {
        long now = 1_000_000_000L;

        @Override
        public long nanoTime()
        {
            return now;
        }
    }

    private static Histogram runWith(
        final MeasurementPlan plan,
        final ManualClock clock,
        final RoundTrip roundTrip,
        final MeasurementCounters counters,
        final List<Boolean> phases) throws Exception
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        final Pacer pacer = (c, deadline) -> clock.now = Math.max(clock.now, deadline);
        final LatencyLoop loop = new LatencyLoop(plan, roundTrip, clock, pacer, recorder, counters);
        loop.run(m ->
        {
            phases.add(m);
            if (m)
            {
                recorder.restart();
            }
        });
        recorder.swapInterval();
        return recorder.total();
    }

    @Test
    void shouldMeasureFromScheduledSendTimeWhenAReplyStallsAtFixedRate() throws Exception
    {
        // 10 kHz (100 us period); every exchange takes 10 us except measured exchange 100, which takes 1000 us.
        final ManualClock clock = new ManualClock();
        final long[] calls = {0};
        final RoundTrip roundTrip = sequence ->
        {
            calls[0]++;
            clock.now += (sequence == 10 + 100) ? 1000 * US : 10 * US;
            return true;
        };
        final MeasurementCounters counters = new MeasurementCounters();
        final Histogram h = runWith(new MeasurementPlan(10, 0, 1000, 0, 10_000), clock, roundTrip, counters,
            new ArrayList<>());

        assertEquals(1000, h.getTotalCount());
        // the stalled exchange: 1000 us. The j-th send scheduled after it was due at +100j us but went out when
        // the one before returned, at +1000+10(j-1) us, and returned 10 us later: 1000 - 90j us for j = 1..10
        // (910, 820, ..., 100); from j = 11 on, sends are on time again (10 us).
        assertEquals(1, h.getCountBetweenValues(995 * US, 1005 * US));
        for (long j = 1; j <= 10; j++)
        {
            final long expected = 1000 - 90 * j;
            assertEquals(1, h.getCountBetweenValues((expected - 1) * US, (expected + 1) * US), "at " + expected);
        }
        assertEquals(1000 - 1 - 10, h.getCountBetweenValues(9 * US, 11 * US));
        // overruns: sends issued more than one period after their scheduled time: 990 - 90j > 100 for j = 1..9
        assertEquals(9, counters.overruns());
        assertEquals(1010, calls[0]);
    }

    @Test
    void shouldRecordOnlyTheStallWhenPingPong() throws Exception
    {
        final ManualClock clock = new ManualClock();
        final RoundTrip roundTrip = sequence ->
        {
            clock.now += (sequence == 5 + 50) ? 1000 * US : 10 * US;
            return true;
        };
        final MeasurementCounters counters = new MeasurementCounters();
        final List<Boolean> phases = new ArrayList<>();
        final Histogram h = runWith(new MeasurementPlan(5, 0, 100, 0, 0), clock, roundTrip, counters, phases);
        assertEquals(100, h.getTotalCount());
        assertEquals(1, h.getCountBetweenValues(999 * US, 1001 * US));
        assertEquals(99, h.getCountBetweenValues(9 * US, 11 * US));
        assertEquals(List.of(true, false), phases);
        assertEquals(0, counters.overruns());
    }

    @Test
    void shouldExcludeWarmupAndCountLostExchanges() throws Exception
    {
        final ManualClock clock = new ManualClock();
        final RoundTrip roundTrip = sequence ->
        {
            clock.now += sequence <= 20 ? 5000 * US : 10 * US;
            return sequence % 10 != 0;
        };
        final MeasurementCounters counters = new MeasurementCounters();
        final Histogram h = runWith(new MeasurementPlan(20, 0, 100, 0, 0), clock, roundTrip, counters,
            new ArrayList<>());
        assertEquals(90, h.getTotalCount());
        assertEquals(10, counters.lost());
        assertEquals(100, counters.exchanges());
        assertEquals(10 * US, h.getMaxValue(), 10 * US * 0.001);
    }

    @Test
    void shouldStopAtDurationWhenDurationBounded() throws Exception
    {
        final ManualClock clock = new ManualClock();
        final RoundTrip roundTrip = sequence ->
        {
            clock.now += 100 * US;
            return true;
        };
        final Histogram h = runWith(new MeasurementPlan(0, 1000 * US, 0, 10_000 * US, 0), clock, roundTrip,
            new MeasurementCounters(), new ArrayList<>());
        assertEquals(100, h.getTotalCount());
    }

    @Test
    void shouldRejectPlanWithoutLength()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new MeasurementPlan(0, 0, 0, 0, 0));
        assertEquals("count=0 and duration=0ns: one of them must be positive", ex.getMessage());
    }
}
