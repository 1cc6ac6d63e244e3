package org.oobnet.harness.latency.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display on a terminal stream: which run is going and how far it is, rewritten in place.
 * <p>
 * <b>Note:</b> thread safe (child output arrives on reader threads).
 */
public final class Progress
{
    private final PrintStream out;
    private final boolean enabled;
    private int lastLength;

    /**
     * @param out     usually standard error.
     * @param enabled false to print nothing.
     */
    public Progress(final PrintStream out, final boolean enabled)
    {
        this.out = out;
        this.enabled = enabled;
    }

    /**
     * @param run       1-based index of the run going.
     * @param runs      how many runs in total.
     * @param label     the run's label.
     * @param stage     e.g. {@code starting}, {@code measuring}.
     * @param seconds   measured seconds so far.
     * @param ofSeconds the measured seconds expected, 0 when unknown.
     */
    public synchronized void show(
        final int run, final int runs, final String label, final String stage, final long seconds,
        final long ofSeconds)
    {
        if (!enabled)
        {
            return;
        }
        final String text = String.format(Locale.ROOT, "[%d/%d] %s: %s %s", run, runs, label, stage,
            ofSeconds > 0 ? seconds + "/" + ofSeconds + " s" : seconds + " s");
        out.print("\r" + text + " ".repeat(Math.max(0, lastLength - text.length())));
        out.flush();
        lastLength = text.length();
    }

    /**
     * Ends the progress line.
     */
    public synchronized void done()
    {
        if (enabled && lastLength > 0)
        {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            out.flush();
            lastLength = 0;
        }
    }
}
