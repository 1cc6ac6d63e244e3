package org.oobnet.harness.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.oobnet.core.counters.HopHistogram;
import org.oobnet.core.counters.HopSnapshot;
import org.oobnet.core.counters.StageHop;

class HopLinesTest
{
    @Test
    void shouldReadBackWhatItWritesBucketForBucket()
    {
        final long[] counts = new long[HopHistogram.BUCKETS];
        counts[0] = 3;
        counts[HopHistogram.bucketIndex(300)] = 5;
        counts[HopHistogram.BUCKETS - 1] = 1;
        final HopSnapshot pickup = new HopSnapshot(StageHop.KERNEL_RX_TO_PICKUP, counts, 9, 9_000_000, 9_001_700);
        final HopSnapshot kick = new HopSnapshot(StageHop.KICK_TO_RETURN, new long[HopHistogram.BUCKETS], 0, 0, 0);

        final List<String> lines = HopLines.format(List.of(pickup, kick));
        assertEquals(List.of(
            "HOP kernel_rx->pickup count=9 max_ns=9000000 sum_ns=9001700 buckets=0:3,256:5,8388608:1",
            "HOP kick->return count=0 max_ns=0 sum_ns=0 buckets=",
            "HOPS done"), lines);

        final HopLines.Collector collector = new HopLines.Collector();
        collector.accept("READY eth0:0");
        lines.forEach(collector::accept);
        final List<HopSnapshot> read = collector.await(1_000_000_000L);
        // every hop, in StageHop order; the ones the side did not print are empty
        assertEquals(StageHop.values().length, read.size());
        final HopSnapshot back = read.get(StageHop.KERNEL_RX_TO_PICKUP.ordinal());
        assertArrayEquals(counts, back.counts());
        assertEquals(9, back.count());
        assertEquals(9_000_000, back.maxNs());
        assertEquals(9_001_700, back.sumNs());
        assertEquals(0, read.get(StageHop.PICKUP_TO_HANDLER_DONE.ordinal()).count());
        assertEquals(0, read.get(StageHop.KICK_TO_RETURN.ordinal()).count());
    }

    @Test
    void shouldHaveNoHopsWhenTheSidePrintedNone()
    {
        final HopLines.Collector collector = new HopLines.Collector();
        assertFalse(collector.isDone());
        collector.accept(HopLines.DONE);
        assertTrue(collector.isDone());
        assertEquals(List.of(), collector.await(1_000_000L));
    }

    @Test
    void shouldNameWhatIsWrongWithAMalformedLine()
    {
        assertEquals("hop line=\"HOP nowhere->else count=1 max_ns=1 sum_ns=1 buckets=\" is not HOP <hop> count=N " +
            "max_ns=N sum_ns=N buckets=LOWER:N,... with a known hop",
            assertThrows(IllegalArgumentException.class,
                () -> HopLines.parse("HOP nowhere->else count=1 max_ns=1 sum_ns=1 buckets=")).getMessage());
        assertEquals("hop line=\"HOP kick->return count=x max_ns=1 sum_ns=1 buckets=\": x is not a number",
            assertThrows(IllegalArgumentException.class,
                () -> HopLines.parse("HOP kick->return count=x max_ns=1 sum_ns=1 buckets=")).getMessage());

        final HopLines.Collector collector = new HopLines.Collector();
        collector.accept("HOP kick->return count=1 max_ns=1 sum_ns=1 buckets=128");
        assertEquals("hop line=\"HOP kick->return count=1 max_ns=1 sum_ns=1 buckets=128\": bucket=128 is not LOWER:N",
            assertThrows(IllegalStateException.class, () -> collector.await(1_000_000L)).getMessage());
    }

    @Test
    void shouldSayWhenTheSideNeverFinished()
    {
        assertEquals("no HOPS done line within 1 ms",
            assertThrows(IllegalStateException.class, () -> new HopLines.Collector().await(1_000_000L)).getMessage());
    }
}
