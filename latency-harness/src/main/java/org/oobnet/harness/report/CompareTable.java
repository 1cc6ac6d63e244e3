package org.oobnet.harness.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * Rows side by side: observations and percentiles in µs, then each row's p50 and p99 as a ratio to the
 * {@code inband} row, to the {@code kernel} row, and to its C floor row ({@link FloorReference}; {@code -} when the
 * comparison has no such row).
 * <p>
 * The reference row of a transport is the first row with that transport and the JVM profile on (else the first row
 * with that transport). <b>Note:</b> stateless, thread safe.
 */
public final class CompareTable
{
    private CompareTable()
    {
    }

    /**
     * @param results the rows, in the order to print.
     * @return the table's lines.
     */
    public static List<String> lines(final List<RunResult> results)
    {
        final RunResult inband = reference(results, "inband");
        final RunResult kernel = reference(results, "kernel");
        int labelWidth = 5;
        for (final RunResult r : results)
        {
            labelWidth = Math.max(labelWidth, r.run().label().length());
        }
        final String rowFormat = "%-" + labelWidth + "s %8s %9s %9s %9s %9s %9s %9s %9s  %6s %6s  %6s %6s  %6s %6s  %s";
        final List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, rowFormat, "run", "n", "min", "p50", "p90", "p99", "p99.9", "p99.99",
            "max", "p50/ib", "p99/ib", "p50/k", "p99/k", "p50/fl", "p99/fl", "notes"));
        for (final RunResult r : results)
        {
            final Histogram h = r.histogram();
            final boolean any = h.getTotalCount() > 0;
            lines.add(String.format(Locale.ROOT, rowFormat, r.run().label(), h.getTotalCount(),
                any ? Micros.format(h.getMinValue()) : "-", pct(h, 50), pct(h, 90), pct(h, 99), pct(h, 99.9),
                pct(h, 99.99), any ? Micros.format(h.getMaxValue()) : "-",
                ratio(r, inband, 50), ratio(r, inband, 99), ratio(r, kernel, 50), ratio(r, kernel, 99),
                ratio(r, FloorReference.of(results, r), 50), ratio(r, FloorReference.of(results, r), 99), notes(r)));
            lines.addAll(HopsReport.lines(r, "    "));
            lines.addAll(SchedBlock.lines(r.sched(), "    "));
            lines.addAll(JitBlock.lines(r.jit(), "    "));
        }
        lines.add("(latencies in us; p50/ib = this row's p50 over the inband row's, p50/k over the kernel row's, " +
            "p50/fl over the C floor's: floor-udp for udp rows, floor-raw for packet rows)");
        lines.addAll(roundLines(results));
        lines.addAll(HopsReport.floorLines(results));
        return lines;
    }

    /**
     * Each row's ratio to its C floor round by round, with their median and, from six rounds on, its 95 % interval
     * ({@link MedianInterval}): how far the ratio moves between rounds of identical code, against which a target near
     * 1 must be judged. Nothing when the rows ran one round.
     *
     * @param results the rows.
     * @return the lines.
     */
    static List<String> roundLines(final List<RunResult> results)
    {
        final List<String> lines = new ArrayList<>();
        for (final RunResult r : results)
        {
            final RunResult floor = FloorReference.of(results, r);
            if (floor == null || floor == r || r.rounds().size() < 2)
            {
                continue;
            }
            if (lines.isEmpty())
            {
                lines.add("ratio to the C floor round by round (round i of each row ran beside round i of its floor):");
            }
            lines.add(String.format(Locale.ROOT, "  %-16s p50 %s   p99 %s", r.run().label(),
                spread(FloorReference.roundRatios(r, floor, 50)), spread(FloorReference.roundRatios(r, floor, 99))));
        }
        return lines;
    }

    /**
     * @param ratios a ratio per round, NaN for a round without one (printed {@code -}, left out of the median).
     * @return the ratios, then their median and, when they are enough, its 95 % interval, as in the round lines.
     */
    public static String spread(final double[] ratios)
    {
        if (ratios.length == 0)
        {
            return "-";
        }
        final StringBuilder text = new StringBuilder();
        for (final double ratio : ratios)
        {
            text.append(Double.isNaN(ratio) ? "- " : String.format(Locale.ROOT, "%.2f ", ratio));
        }
        final MedianInterval median = MedianInterval.of(ratios, MedianInterval.CONFIDENCE);
        return text.append(median.hasInterval() ?
            String.format(Locale.ROOT, "(median %.2f, %.0f%% CI %.2f-%.2f)", median.median(), 100 * MedianInterval.CONFIDENCE,
            median.lower(), median.upper()) :
            String.format(Locale.ROOT, "(median %.2f)", median.median())).toString();
    }

    private static RunResult reference(final List<RunResult> results, final String transport)
    {
        RunResult first = null;
        for (final RunResult r : results)
        {
            if (transport.equals(r.run().transport()) && r.count() > 0)
            {
                if (r.run().profile())
                {
                    return r;
                }
                if (first == null)
                {
                    first = r;
                }
            }
        }
        return first;
    }

    private static String pct(final Histogram h, final double percentile)
    {
        return h.getTotalCount() > 0 ? Micros.format(h.getValueAtPercentile(percentile)) : "-";
    }

    private static String ratio(final RunResult row, final RunResult reference, final double percentile)
    {
        final double ratio = FloorReference.ratio(row, reference, percentile);
        if (Double.isNaN(ratio))
        {
            return "-";
        }
        // small ratios keep two significant digits (0.0014, not 0.00)
        return String.format(Locale.ROOT, ratio >= 0.1 ? "%.2f" : "%.2g", ratio);
    }

    private static String notes(final RunResult r)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(r.run().cpuTag());
        if (FloorReference.SCENARIO.equals(r.run().scenario()))
        {
            sb.append(" c-floor");
        }
        else if (!r.run().profile())
        {
            sb.append(" profile-off");
        }
        sb.append(" gc=").append(r.gc().totalCollections());
        if (r.lost() > 0)
        {
            sb.append(" lost=").append(r.lost());
        }
        if (r.ringKernelDrops() > 0)
        {
            sb.append(" ring_kernel_drops=").append(r.ringKernelDrops());
        }
        if (r.overruns() > 0)
        {
            sb.append(" overruns=").append(r.overruns());
        }
        if (r.stalls() > 0)
        {
            sb.append(" stalls=").append(r.stalls());
        }
        return sb.toString();
    }
}
