package org.oobnet.core;

import java.time.Instant;

import org.agrona.concurrent.EpochNanoClock;

/**
 * {@code CLOCK_REALTIME} in ns, allocation-free, for comparing with a packet's kernel RX timestamp on the stage:
 * {@code System.nanoTime()} plus an offset to the epoch measured once, in-band, as the tightest of many
 * {@code nanoTime / Instant.now() / nanoTime} brackets (sub-microsecond on Linux, where {@code Instant.now()} reads
 * {@code clock_gettime(CLOCK_REALTIME)}). Agrona's {@code OffsetEpochNanoClock} starts from
 * {@code currentTimeMillis()} and was milliseconds off here.
 * <p>
 * <b>Note:</b> immutable once built; NTP slewing the wall clock during a run is not followed (at most 500 ppm).
 */
public final class RealtimeNanoClock implements EpochNanoClock
{
    private final long offsetNs;

    /** In-band: calibrates the offset (about a millisecond). */
    public RealtimeNanoClock()
    {
        long best = Long.MAX_VALUE;
        long offset = 0;
        for (int i = 0; i < 2000; i++)
        {
            final long before = System.nanoTime();
            final Instant now = Instant.now();
            final long after = System.nanoTime();
            if (after - before < best)
            {
                best = after - before;
                offset = now.getEpochSecond() * 1_000_000_000L + now.getNano() - (before + (after - before) / 2);
            }
        }
        this.offsetNs = offset;
    }

    /**
     * @return what this clock adds to {@code System.nanoTime()}: {@code CLOCK_REALTIME - CLOCK_MONOTONIC}, ns.
     */
    public long offsetNs()
    {
        return offsetNs;
    }

    @Override
    public long nanoTime()
    {
        return System.nanoTime() + offsetNs;
    }
}
