package org.oobnet.harness.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A PNG of the percentile distributions of all runs on one plot, both axes log-scaled, drawn with XChart: the
 * x axis is {@code 1/(1-percentile)} (so 90 %, 99 %, 99.9 % are equally spaced), the y axis the latency in µs.
 * <p>
 * <b>Note:</b> needs {@code java.awt.headless=true} on machines without a display (set by {@link #write}).
 */
public final class PercentilePlot
{
    /** Iteration resolution: ticks per half distance to 100 %, as HdrHistogram's own percentile output uses. */
    private static final int TICKS_PER_HALF_DISTANCE = 5;

    private PercentilePlot()
    {
    }

    /**
     * @param file    the PNG to write.
     * @param title   the chart title.
     * @param results the runs, one series each; runs without observations are left out.
     * @throws IOException when the file cannot be written.
     */
    public static void write(final Path file, final String title, final List<RunResult> results) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final XYChart chart = new XYChartBuilder().width(1000).height(640).title(title)
            .xAxisTitle("percentile").yAxisTitle("round trip (us)").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisTickLabelsFormattingFunction(PercentilePlot::percentileLabel);
        chart.getStyler().setYAxisTickLabelsFormattingFunction(PercentilePlot::microsLabel);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setMarkerSize(3);
        int series = 0;
        for (final RunResult result : results)
        {
            final Histogram h = result.histogram();
            if (h.getTotalCount() == 0)
            {
                continue;
            }
            final List<Double> xs = new ArrayList<>();
            final List<Double> ys = new ArrayList<>();
            for (final HistogramIterationValue v : h.percentiles(TICKS_PER_HALF_DISTANCE))
            {
                final double percentile = v.getPercentileLevelIteratedTo();
                if (percentile >= 100.0)
                {
                    break;
                }
                xs.add(1.0 / (1.0 - percentile / 100.0));
                ys.add(Math.max(0.001, v.getValueIteratedTo() / 1000.0));
            }
            // the maximum, at the last percentile the count can resolve
            xs.add(Math.max(xs.isEmpty() ? 1.0 : xs.get(xs.size() - 1), (double)h.getTotalCount()));
            ys.add(Math.max(0.001, h.getMaxValue() / 1000.0));
            chart.addSeries(seriesName(result), xs, ys).setMarker(SeriesMarkers.NONE);
            series++;
        }
        if (series == 0)
        {
            chart.addSeries("no observations", new double[] {1, 10}, new double[] {1, 1});
        }
        try (OutputStream out = Files.newOutputStream(file))
        {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static String seriesName(final RunResult result)
    {
        final Histogram h = result.histogram();
        return String.format(Locale.ROOT, "%s (p50 %s us, p99 %s us, n=%d)", result.run().label(),
            Micros.format(h.getValueAtPercentile(50)), Micros.format(h.getValueAtPercentile(99)), h.getTotalCount());
    }

    private static String microsLabel(final Double us)
    {
        return us >= 1 ? String.format(Locale.ROOT, "%.0f", us) : String.format(Locale.ROOT, "%.3f", us);
    }

    private static String percentileLabel(final Double x)
    {
        final double percentile = 100.0 * (1.0 - 1.0 / x);
        if (percentile <= 0)
        {
            return "0%";
        }
        return String.format(Locale.ROOT, "%s%%", trim(percentile));
    }

    private static String trim(final double percentile)
    {
        final String s = String.format(Locale.ROOT, "%.5f", percentile);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
