package org.oobnet.harness.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Writes a run's histogram in 1 µs cells for gnuplot, as latmus does: {@code #} comment lines describing the run,
 * then one {@code <cell µs> <count>} line per cell from 0 to the maximum.
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
public final class GnuplotHistogram
{
    /** Past this many cells the tail is summed into one comment line: a 10 s outlier must not write 10M lines. */
    public static final int MAX_CELLS = 100_000;

    private static final long CELL_NS = 1_000;

    private GnuplotHistogram()
    {
    }

    /**
     * @param file   the file to write.
     * @param result the run.
     * @throws IOException when the file cannot be written.
     */
    public static void write(final Path file, final RunResult result) throws IOException
    {
        final RunDescription run = result.run();
        final Histogram h = result.histogram();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8)))
        {
            out.println("# oobnet latency histogram, 1 us cells (plot: gnuplot -e \"plot '" + file.getFileName() +
                "' using 1:2 with steps\")");
            out.println("# written " + Instant.now());
            out.println("# " + LatmusLines.header(run));
            out.printf(Locale.ROOT, "# label=%s scenario=%s transport=%s peer_kind=%s network=%s size=%d%n",
                run.label(), run.scenario(), run.transport(), run.peerKind(), run.network(), run.sizeBytes());
            out.printf(Locale.ROOT, "# cpu=%d peer_cpu=%d isolated=%b profile=%b rate_hz=%d%n", run.cpu(),
                run.peerCpu(), run.isolated(), run.profile(), run.rateHz());
            out.printf(Locale.ROOT, "# observations=%d warmup=%d (excluded) lost=%d overruns=%d%n",
                h.getTotalCount(), result.warmupCount(), result.lost(), result.overruns());
            if (h.getTotalCount() > 0)
            {
                out.printf(Locale.ROOT, "# min=%s avg=%.3f p50=%s p99=%s max=%s (us)%n", Micros.format(h.getMinValue()),
                    h.getMean() / 1000.0, Micros.format(h.getValueAtPercentile(50)),
                    Micros.format(h.getValueAtPercentile(99)), Micros.format(h.getMaxValue()));
            }
            out.println("# columns: latency_us (upper edge of the 1 us cell) count");
            long cell = 0;
            long beyond = 0;
            for (final HistogramIterationValue v : h.linearBucketValues(CELL_NS))
            {
                if (cell < MAX_CELLS)
                {
                    // the cell's upper edge: the bucket holds the values up to it
                    out.print(v.getValueIteratedTo() / CELL_NS);
                    out.print(' ');
                    out.println(v.getCountAddedInThisIterationStep());
                }
                else
                {
                    beyond += v.getCountAddedInThisIterationStep();
                }
                cell++;
            }
            if (beyond > 0)
            {
                out.println("# " + beyond + " observations beyond " + MAX_CELLS + " us not listed");
            }
        }
    }
}
