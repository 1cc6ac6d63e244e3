package org.oobnet.core.counters;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HopHistogramTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private final CountersManager manager = new CountersManager(
        new UnsafeBuffer(new byte[4 * 1024 * 1024]), new UnsafeBuffer(new byte[1024 * 1024]));

    @Test
    void shouldGiveExactPercentilesWhenValuesSitOnBucketBounds()
    {
        final HopHistogram histogram = new HopHistogram(manager, StageHop.PICKUP_TO_HANDLER_DONE, "");
        for (int i = 0; i < 50; i++)
        {
            histogram.record(1024);
        }
        for (int i = 0; i < 49; i++)
        {
            histogram.record(2560);
        }
        histogram.record(6144);

        final HopSnapshot snapshot = HopSnapshot.of(StageHop.PICKUP_TO_HANDLER_DONE, histogram);
        assertEquals(100, snapshot.count());
        assertEquals(100, histogram.count());
        assertEquals(50 * 1024 + 49 * 2560 + 6144, snapshot.sumNs());
        assertEquals(1024, snapshot.valueAtPercentile(50));
        assertEquals(2560, snapshot.valueAtPercentile(51));
        assertEquals(2560, snapshot.valueAtPercentile(99));
        assertEquals(6144, snapshot.valueAtPercentile(100));
        assertEquals(6144, snapshot.maxNs());
        assertEquals(0, HopHistogram.valueAtPercentile(new long[HopHistogram.BUCKETS], 0, 50));
    }

    @Test
    void shouldKeepEveryValueWithinItsBucketWhenSeeded()
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 100_000; i++)
        {
            final long value = random.nextLong(1L << HopHistogram.FIRST_EXPONENT, 1L << HopHistogram.LAST_EXPONENT);
            final int index = HopHistogram.bucketIndex(value);
            final long lower = HopHistogram.lowerBoundNs(index);
            assertTrue(lower <= value && value < lower + lower / 4 + 1 && value < HopHistogram.lowerBoundNs(index + 1),
                "seed=" + seed + " value=" + value + " bucket=" + index + " lower=" + lower);
        }
        for (int index = 0; index < HopHistogram.BUCKETS; index++)
        {
            assertEquals(index, HopHistogram.bucketIndex(HopHistogram.lowerBoundNs(index)), "bucket " + index);
        }
        assertEquals(0, HopHistogram.bucketIndex(-5));
        assertEquals(HopHistogram.BUCKETS - 1, HopHistogram.bucketIndex(Long.MAX_VALUE));
    }

    @Test
    void shouldSubtractAndReadBackByLabelWhenTwoStagesRecord()
    {
        final StageHops main = new StageHops(manager, "", true);
        final StageHops feed = new StageHops(manager, StageCounters.STAGE_LABEL_SEPARATOR + "feed", true);
        final HopSnapshot before = main.snapshot()[StageHop.HANDLER_DONE_TO_KICK.ordinal()];
        main.histogram(StageHop.HANDLER_DONE_TO_KICK).record(300);
        main.histogram(StageHop.HANDLER_DONE_TO_KICK).record(5000);
        feed.histogram(StageHop.KERNEL_RX_TO_PICKUP).record(700);

        final HopSnapshot window = main.snapshot()[StageHop.HANDLER_DONE_TO_KICK.ordinal()].minus(before);
        assertEquals(2, window.count());
        assertEquals(5300, window.sumNs());
        assertEquals(5000, window.maxNs());

        final Map<String, Map<StageHop, HopSnapshot>> read = HopSnapshot.readAll(manager);
        assertEquals(java.util.List.of("", "feed"), java.util.List.copyOf(read.keySet()));
        final HopSnapshot kick = read.get("").get(StageHop.HANDLER_DONE_TO_KICK);
        assertArrayEquals(window.counts(), kick.counts());
        assertEquals(5000, kick.maxNs());
        assertEquals(5300, kick.sumNs());
        assertEquals(1, read.get("feed").get(StageHop.KERNEL_RX_TO_PICKUP).count());
        assertEquals(0, read.get("feed").get(StageHop.HANDLER_DONE_TO_KICK).count());
    }

    @Test
    void shouldNotAllocateWhenRecording()
    {
        final StageHops hops = new StageHops(manager, "", true);
        final HopHistogram histogram = hops.histogram(StageHop.KICK_TO_TX_COMPLETE);
        final long epochNs = System.currentTimeMillis() * 1_000_000L;
        // warm-up: compiled before measuring
        long sink = 0;
        for (int i = 0; i < 200_000; i++)
        {
            sink += exercise(hops, histogram, epochNs, i);
        }
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000_000; i++)
        {
            sink += exercise(hops, histogram, epochNs, i);
        }
        final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, allocated, "bytes allocated while recording (sink=" + sink + ")");
        assertTrue(hops.histogram(StageHop.PICKUP_TO_HANDLER_DONE).count() >= 1_200_000);
        assertEquals(1_200_000, hops.histogram(StageHop.HANDLER_DONE_TO_KICK).count());
    }

    private static long exercise(final StageHops hops, final HopHistogram histogram, final long epochNs, final int i)
    {
        final long pickupNs = hops.pickupNs();
        hops.onDelivered(epochNs, pickupNs, true);
        hops.beforeKick();
        hops.afterKick(true);
        hops.onTxTimestamp(epochNs);
        histogram.record(i);
        return pickupNs;
    }
}
