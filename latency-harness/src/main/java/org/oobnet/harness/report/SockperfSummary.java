package org.oobnet.harness.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * The sockperf-style summary of a run: observations, min, percentiles 25 to 99.999 and max, in µs, with the
 * warm-up, losses and GC that sockperf users would ask about.
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
public final class SockperfSummary
{
    /** The percentiles sockperf prints, highest first as it does. */
    public static final double[] PERCENTILES = {99.999, 99.99, 99.9, 99.0, 90.0, 75.0, 50.0, 25.0};

    private SockperfSummary()
    {
    }

    /**
     * @param result the run.
     * @return the summary lines, without trailing newlines.
     */
    public static List<String> lines(final RunResult result)
    {
        final Histogram h = result.histogram();
        final List<String> lines = new ArrayList<>();
        final String p = "oobnet: ";
        lines.add(p + String.format(Locale.ROOT, "[%s] RunTime=%.3f sec; warm-up=%d samples in %.3f sec (excluded); " +
            "lost=%d; overruns=%d; GC=%d collections, %d ms", result.run().label(), result.measuredNs() / 1e9,
            result.warmupCount(), result.warmupNs() / 1e9, result.lost(), result.overruns(),
            result.gc().totalCollections(), result.gc().totalTimeMs()));
        if (h.getTotalCount() == 0)
        {
            lines.add(p + "no observations");
            return lines;
        }
        lines.add(p + String.format(Locale.ROOT, "====> avg-latency=%.3f (std-dev=%.3f)", h.getMean() / 1000.0,
            h.getStdDeviation() / 1000.0));
        lines.add(p + String.format(Locale.ROOT, "Total %d observations; each percentile contains %.2f observations",
            h.getTotalCount(), h.getTotalCount() / 100.0));
        lines.add(p + String.format(Locale.ROOT, "---> <MAX> observation = %10.3f", h.getMaxValue() / 1000.0));
        for (final double percentile : PERCENTILES)
        {
            lines.add(p + String.format(Locale.ROOT, "---> percentile %6.3f = %10.3f", percentile,
                h.getValueAtPercentile(percentile) / 1000.0));
        }
        lines.add(p + String.format(Locale.ROOT, "---> <MIN> observation = %10.3f", h.getMinValue() / 1000.0));
        return lines;
    }
}
