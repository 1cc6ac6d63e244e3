package org.oobnet.harness.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * One folder per invocation holding every run's files: {@code <label>.hgrm} (percentile distribution, µs),
 * {@code <label>[-rN].hlog} (interval logs, written while measuring), {@code <label>.dat} (1 µs cells for gnuplot),
 * {@code percentiles.png} and {@code summary.json}.
 * <p>
 * <b>Note:</b> in-band only; not thread safe.
 */
public final class ResultFolder
{
    /** The plot of all runs. */
    public static final String PLOT_FILE = "percentiles.png";
    /** The JSON summary of all runs. */
    public static final String SUMMARY_FILE = "summary.json";

    private final Path dir;

    /**
     * @param dir the folder, created when missing.
     * @throws IOException when it cannot be created.
     */
    public ResultFolder(final Path dir) throws IOException
    {
        this.dir = Files.createDirectories(dir);
    }

    /**
     * @param base   e.g. {@code results}.
     * @param prefix e.g. {@code demo}.
     * @return {@code base/prefix-yyyyMMdd-HHmmss}.
     */
    public static Path timestamped(final Path base, final String prefix)
    {
        return base.resolve(prefix + "-" +
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
    }

    /**
     * @return the folder.
     */
    public Path dir()
    {
        return dir;
    }

    /**
     * @param label a run label.
     * @param round the round (1-based), 0 when the row has a single run.
     * @return the interval log's path for that run.
     */
    public Path intervalLog(final String label, final int round)
    {
        return dir.resolve(fileName(label) + (round > 0 ? "-r" + round : "") + ".hlog");
    }

    /**
     * Writes the row's {@code .hgrm} and {@code .dat}.
     *
     * @param result a row.
     * @throws IOException when a file cannot be written.
     */
    public void writeRun(final RunResult result) throws IOException
    {
        final String name = fileName(result.run().label());
        try (PrintStream out = new PrintStream(Files.newOutputStream(dir.resolve(name + ".hgrm")), false,
            StandardCharsets.UTF_8))
        {
            // ns recorded, us shown: the scaling ratio divides every value by 1000
            result.histogram().outputPercentileDistribution(out, 1000.0);
        }
        GnuplotHistogram.write(dir.resolve(name + ".dat"), result);
    }

    /**
     * Writes {@code summary.json} and {@code percentiles.png} for all rows.
     *
     * @param title   the plot title.
     * @param results the rows.
     * @throws IOException when a file cannot be written.
     */
    public void writeSummary(final String title, final List<RunResult> results) throws IOException
    {
        RunJson.writeSummary(dir.resolve(SUMMARY_FILE), results);
        PercentilePlot.write(dir.resolve(PLOT_FILE), title, results);
    }

    /**
     * @param label a run label.
     * @return the label with anything but letters, digits, '-', '_' and '.' replaced by '-'.
     */
    public static String fileName(final String label)
    {
        return label.replaceAll("[^A-Za-z0-9._-]", "-");
    }
}
