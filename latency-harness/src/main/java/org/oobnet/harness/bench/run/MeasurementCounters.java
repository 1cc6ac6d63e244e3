package org.oobnet.harness.bench.run;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters the measuring thread publishes and the once-a-second reporter reads.
 * <p>
 * <b>Note:</b> single writer (the measuring thread, {@code lazySet}: ordered, no fence on the hot path), any reader.
 */
public final class MeasurementCounters
{
    private final AtomicLong exchanges = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();

    void addExchange()
    {
        // release-ordered store, single writer: pairs with the reporter's volatile get
        exchanges.lazySet(exchanges.get() + 1);
    }

    void addLost()
    {
        lost.lazySet(lost.get() + 1);
    }

    void addOverrun()
    {
        overruns.lazySet(overruns.get() + 1);
    }

    /**
     * @return measured exchanges attempted so far (replied or lost).
     */
    public long exchanges()
    {
        return exchanges.get();
    }

    /**
     * @return measured exchanges whose reply did not come back in time.
     */
    public long lost()
    {
        return lost.get();
    }

    /**
     * @return fixed-rate sends issued more than one period after their scheduled time.
     */
    public long overruns()
    {
        return overruns.get();
    }
}
