package org.oobnet.harness.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;


/**
 * The end of every latency command: the table, {@code summary.json}, the plot, and {@code --json FILE}.
 * <p>
 * <b>Note:</b> in-band only; stateless.
 */
public final class Outputs
{
    private Outputs()
    {
    }

    /**
     * @param folder  the result folder.
     * @param title   the plot's title.
     * @param results the rows.
     * @param json    the extra JSON file, or null.
     * @param out     where the table and file names go.
     * @throws IOException when a file cannot be written.
     */
    public static void finish(
        final ResultFolder folder, final String title, final List<RunResult> results, final Path json,
        final PrintStream out) throws IOException
    {
        if (!results.isEmpty())
        {
            out.println();
            CompareTable.lines(results).forEach(out::println);
        }
        folder.writeSummary(title, results);
        if (json != null)
        {
            RunJson.writeSummary(json, results);
        }
        out.println();
        out.println("oobnet: results in " + folder.dir() + " (" + ResultFolder.SUMMARY_FILE + ", " +
            ResultFolder.PLOT_FILE + ", <run>.hgrm, <run>.hlog, <run>.dat)" + (json != null ? "; JSON in " + json : ""));
    }

    /**
     * @param out     the {@code --out} folder, or null.
     * @param command the command's name, for the default folder.
     * @return the result folder.
     * @throws IOException when it cannot be created.
     */
    public static ResultFolder folder(final Path out, final String command) throws IOException
    {
        return new ResultFolder(out != null ? out : ResultFolder.timestamped(Path.of("results"), command));
    }
}
