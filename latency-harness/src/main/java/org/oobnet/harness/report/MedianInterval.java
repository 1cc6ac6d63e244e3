package org.oobnet.harness.report;

import java.util.Arrays;

/**
 * The median of a few values (a row's ratio to its floor, one per round) with a distribution-free confidence interval
 * from order statistics: the k-th smallest and k-th largest value bracket the true median with probability
 * {@code 1 - 2 P(B <= k - 1)}, {@code B} binomial(n, 1/2), whatever the values' distribution. With the rounds of one
 * run as the values, a target such as "p50 at most 1.05x the floor" is met when the interval lies below it, missed
 * when above it, and undecided by that run when it straddles it: round-to-round noise on a machine without isolated
 * CPUs moves one row's ratio by more than the target's margin, so one merged figure cannot decide.
 *
 * @param n        how many values (NaN ones left out).
 * @param median   their median.
 * @param lower    the interval's lower end, NaN when {@code n} is too small for the confidence asked.
 * @param upper    its upper end, NaN likewise.
 * @param coverage the interval's exact coverage (at least the confidence asked), 0 without an interval.
 */
public record MedianInterval(int n, double median, double lower, double upper, double coverage)
{
    /** The confidence the reports ask for. */
    public static final double CONFIDENCE = 0.95;

    /**
     * @param values     the values (not modified); NaN ones (a round without samples) are left out.
     * @param confidence the least coverage wanted, in (0, 1).
     * @return their median and the narrowest order-statistic interval with at least that coverage; with no value
     * left, n 0 and a NaN median.
     */
    public static MedianInterval of(final double[] values, final double confidence)
    {
        if (!(confidence > 0 && confidence < 1))
        {
            throw new IllegalArgumentException("confidence=" + confidence + " must be in (0, 1)");
        }
        final double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        final int n = sorted.length;
        if (n == 0)
        {
            return new MedianInterval(0, Double.NaN, Double.NaN, Double.NaN, 0);
        }
        final double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        // the largest rank k whose interval [x(k), x(n-k+1)] still covers the median with the confidence asked
        int k = 0;
        double coverage = 0;
        double below = 0;
        for (int rank = 1; rank <= (n + 1) / 2; rank++)
        {
            below += binomialHalf(n, rank - 1);
            final double c = 1 - 2 * below;
            if (c < confidence)
            {
                break;
            }
            k = rank;
            coverage = c;
        }
        return k == 0 ? new MedianInterval(n, median, Double.NaN, Double.NaN, 0) :
            new MedianInterval(n, median, sorted[k - 1], sorted[n - k], coverage);
    }

    /**
     * @param confidence the least coverage wanted, in (0, 1).
     * @return the fewest values that give an interval with it (six for {@link #CONFIDENCE}).
     */
    public static int fewestForInterval(final double confidence)
    {
        int n = 1;
        while (!of(new double[n], confidence).hasInterval())
        {
            n++;
        }
        return n;
    }

    /**
     * @return whether the values were enough for an interval.
     */
    public boolean hasInterval()
    {
        return coverage > 0;
    }

    /**
     * @param target the most a value may be (e.g. 1.05 for "p50 at most 1.05x the floor").
     * @return "met" (the interval lies at or below it), "missed" (above it), "undecided" (it straddles it) or
     * "too few rounds" (no interval).
     */
    public String verdict(final double target)
    {
        if (!hasInterval())
        {
            return "too few rounds";
        }
        return upper <= target ? "met" : lower > target ? "missed" : "undecided";
    }

    // P(B = j) for B binomial(n, 1/2)
    private static double binomialHalf(final int n, final int j)
    {
        double p = Math.pow(0.5, n);
        for (int i = 1; i <= j; i++)
        {
            p = p * (n - i + 1) / i;
        }
        return p;
    }
}
