package org.oobnet.harness.report;

import java.util.List;

/**
 * Which C floor row a row is compared with: {@code floor-udp} for UDP rows, {@code floor-raw} for raw-frame
 * ({@code packet}) rows, itself for a floor row; none for anything else or when the floor row did not run.
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
public final class FloorReference
{
    /** The floor rows' scenario. */
    public static final String SCENARIO = "floor";

    private FloorReference()
    {
    }

    /**
     * @param results every row of the comparison.
     * @param row     one of them.
     * @return its floor row with observations, or null.
     */
    public static RunResult of(final List<RunResult> results, final RunResult row)
    {
        final String scenario = row.run().scenario();
        final String framing = switch (scenario)
        {
            case "udp" -> "udp";
            case "packet" -> "raw";
            case SCENARIO -> row.run().transport();
            default -> null;
        };
        if (framing == null)
        {
            return null;
        }
        for (final RunResult r : results)
        {
            if (SCENARIO.equals(r.run().scenario()) && framing.equals(r.run().transport()) && r.count() > 0)
            {
                return r;
            }
        }
        return null;
    }

    /**
     * @param row        a row.
     * @param reference  the row it is compared with.
     * @param percentile the percentile.
     * @return the row's value at the percentile over the reference's, or NaN when either has none.
     */
    public static double ratio(final RunResult row, final RunResult reference, final double percentile)
    {
        if (reference == null || row.count() == 0)
        {
            return Double.NaN;
        }
        final double denominator = reference.histogram().getValueAtPercentile(percentile);
        return denominator <= 0 ? Double.NaN : row.histogram().getValueAtPercentile(percentile) / denominator;
    }

    /**
     * The ratio round by round: a row's rounds paired with its floor's in the order they ran (the rows alternate, so
     * round i of each ran side by side in time).
     *
     * @param row        a row.
     * @param reference  the row it is compared with.
     * @param percentile 50 or 99.
     * @return one ratio per round; empty when either side has no rounds or the two ran a different number of them.
     */
    public static double[] roundRatios(final RunResult row, final RunResult reference, final double percentile)
    {
        if (reference == null || row.rounds().size() != reference.rounds().size())
        {
            return new double[0];
        }
        final double[] ratios = new double[row.rounds().size()];
        for (int i = 0; i < ratios.length; i++)
        {
            final long denominator = reference.rounds().get(i).at(percentile);
            ratios[i] = denominator <= 0 ? Double.NaN : (double)row.rounds().get(i).at(percentile) / denominator;
        }
        return ratios;
    }
}
