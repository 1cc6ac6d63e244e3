package org.oobnet.harness.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What {@code oobnet stat} does with {@code --prometheus} or {@code --serve}: prints one reading in the
 * Prometheus text format, or serves it over HTTP until stopped; problems are one line on {@code err}.
 * <p>
 * <b>Note:</b> in-band.
 */
public final class StatExport
{
    /** Exit status of a usage error (a bad {@code --serve}), as everywhere in the CLI. */
    public static final int EXIT_USAGE = 2;
    /** Exit status when there is no runtime to read, as {@code oobnet stat} without these options. */
    public static final int EXIT_NO_RUNTIME = 1;

    private StatExport()
    {
    }

    /**
     * @param countersDir the runtime's counters directory.
     * @param serve       the {@code --serve} value, or null to print one reading.
     * @param out         where the reading (or the served address) goes.
     * @param err         where problems go.
     * @return the exit status.
     */
    public static int run(final Path countersDir, final String serve, final PrintWriter out, final PrintWriter err)
    {
        final PrometheusExport export = new PrometheusExport(countersDir);
        final InetSocketAddress address;
        try
        {
            address = null == serve ? null : PrometheusExport.parseServe(serve);
        }
        catch (final IllegalArgumentException ex)
        {
            return fail(err, ex.getMessage(), EXIT_USAGE);
        }
        try
        {
            if (null == address)
            {
                final ByteArrayOutputStream text = new ByteArrayOutputStream(16 * 1024);
                export.write(text);
                out.print(text.toString(StandardCharsets.UTF_8));
                out.flush();
                return 0;
            }
            return export.serveUntilStopped(address, out);
        }
        catch (final IllegalArgumentException ex)
        {
            return fail(err, ex.getMessage(), null == address ? EXIT_NO_RUNTIME : EXIT_USAGE);
        }
        catch (final IOException ex)
        {
            return fail(err, "cannot read " + export.countersFile() + ": " + ex.getMessage(), EXIT_NO_RUNTIME);
        }
    }

    private static int fail(final PrintWriter err, final String message, final int status)
    {
        err.println("oobnet stat: " + message);
        err.flush();
        return status;
    }
}
