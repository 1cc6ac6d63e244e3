package org.oobnet.harness.report;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * What a measuring child JVM leaves behind for its parent: {@code <prefix>.run.json} (the run's figures) and
 * {@code <prefix>.hlog} (its HdrHistogram interval log), read back into one {@link RunResult}.
 * <p>
 * <b>Note:</b> stateless.
 */
public final class ChildOutput
{
    private ChildOutput()
    {
    }

    /**
     * Reads what a measuring child wrote: its run file and its interval log.
     *
     * @param output the path prefix given as {@code --child-output}.
     * @return the run's result.
     * @throws IOException when a file is missing or unreadable.
     */
    public static RunResult read(final Path output) throws IOException
    {
        final JsonNode json = RunJson.read(Path.of(output + ".run.json"));
        return RunJson.fromJson(json, readIntervalLog(Path.of(output + ".hlog")));
    }

    /**
     * @param file an interval log.
     * @return all its intervals added together.
     * @throws IOException when it cannot be read.
     */
    public static Histogram readIntervalLog(final Path file) throws IOException
    {
        final Histogram sum = LatencyRecorder.newHistogram();
        final HistogramLogReader reader = new HistogramLogReader(file.toFile());
        try
        {
            org.HdrHistogram.EncodableHistogram next;
            while ((next = reader.nextIntervalHistogram()) != null)
            {
                sum.add((Histogram)next);
            }
        }
        finally
        {
            reader.close();
        }
        return sum;
    }
}
