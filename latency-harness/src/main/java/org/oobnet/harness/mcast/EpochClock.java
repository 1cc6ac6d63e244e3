package org.oobnet.harness.mcast;

import java.time.Instant;

/**
 * {@code CLOCK_REALTIME} in ns without allocating, for the stage: {@link System#nanoTime()} plus an offset taken
 * once against {@link Instant#now()} (the kernel's receive timestamps count from the epoch). Drift over a run is
 * NTP's slew, microseconds at most per minute.
 * <p>
 * <b>Note:</b> immutable after construction, thread safe.
 */
final class EpochClock
{
    private final long offsetNs;

    EpochClock()
    {
        long best = Long.MAX_VALUE;
        long offset = 0;
        for (int i = 0; i < 100; i++)
        {
            final long before = System.nanoTime();
            final Instant now = Instant.now();
            final long after = System.nanoTime();
            // the narrowest bracket pins Instant.now() best
            if (after - before < best)
            {
                best = after - before;
                offset = now.getEpochSecond() * 1_000_000_000L + now.getNano() - (before + (after - before) / 2);
            }
        }
        this.offsetNs = offset;
    }

    long nowNs()
    {
        return System.nanoTime() + offsetNs;
    }
}
