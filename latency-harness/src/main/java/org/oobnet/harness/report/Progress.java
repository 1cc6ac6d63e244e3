package org.oobnet.harness.report;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display on a terminal stream: which run is going and how far it is, rewritten in place; or,
 * for runs that print lines of their own meanwhile ({@link #forLongRun}), a whole line now and then.
 * <p>
 * <b>Note:</b> thread safe (child output arrives on reader threads).
 */
public final class Progress
{
    /** Runs at least this long get progress lines from {@link #forLongRun}. */
    public static final long LONG_RUN_S = 60;

    private final PrintStream out;
    private final boolean enabled;
    private final long everySeconds;
    private int lastLength;
    private String lastStage;
    private long lastLineSeconds;

    /**
     * @param out     usually standard error.
     * @param enabled false to print nothing.
     */
    public Progress(final PrintStream out, final boolean enabled)
    {
        this(out, enabled, 0);
    }

    private Progress(final PrintStream out, final boolean enabled, final long everySeconds)
    {
        this.out = out;
        this.enabled = enabled;
        this.everySeconds = everySeconds;
    }

    /**
     * Progress for a run whose own output (its latmus lines) goes to the terminal meanwhile: a whole line when a
     * run starts and then every twentieth of its length (at least every 10 s), which an in-place line would break;
     * nothing for runs shorter than {@link #LONG_RUN_S} or of a count rather than a duration.
     *
     * @param out        usually standard error.
     * @param durationNs the measured length of one run, 0 when it is a count.
     * @return the progress.
     */
    public static Progress forLongRun(final PrintStream out, final long durationNs)
    {
        final long seconds = durationNs / 1_000_000_000L;
        return new Progress(out, seconds >= LONG_RUN_S, Math.max(10, seconds / 20));
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
        if (everySeconds > 0)
        {
            if (!stage.equals(lastStage) || seconds - lastLineSeconds >= everySeconds)
            {
                out.println(text);
                out.flush();
                lastStage = stage;
                lastLineSeconds = seconds;
            }
            return;
        }
        out.print("\r" + text + " ".repeat(Math.max(0, lastLength - text.length())));
        out.flush();
        lastLength = text.length();
    }

    /**
     * Ends the progress line.
     */
    public synchronized void done()
    {
        if (enabled && everySeconds == 0 && lastLength > 0)
        {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            out.flush();
            lastLength = 0;
        }
    }
}
