package org.oobnet.harness.report;

import org.HdrHistogram.Histogram;

/**
 * One round's own percentiles, kept when rounds are merged: a row's figure over its C floor's, round by round,
 * shows how far the ratio moves between rounds of identical code, which the merged histogram alone hides.
 *
 * @param p50Ns the round's median, 0 when it had no observations.
 * @param p99Ns the round's 99th percentile, 0 when it had no observations.
 */
public record RoundPercentiles(long p50Ns, long p99Ns)
{
    /**
     * @param histogram one round's observations.
     * @return its percentiles.
     */
    public static RoundPercentiles of(final Histogram histogram)
    {
        if (histogram.getTotalCount() == 0)
        {
            return new RoundPercentiles(0, 0);
        }
        return new RoundPercentiles(histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99));
    }

    /**
     * @param percentile 50 or 99.
     * @return this round's value at it.
     */
    public long at(final double percentile)
    {
        if (percentile == 50)
        {
            return p50Ns;
        }
        if (percentile == 99)
        {
            return p99Ns;
        }
        throw new IllegalArgumentException("percentile=" + percentile + " is kept per round only for 50 and 99");
    }
}
