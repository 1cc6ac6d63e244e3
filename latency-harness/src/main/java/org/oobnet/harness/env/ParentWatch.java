package org.oobnet.harness.env;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Lets a child process notice that its orchestrating parent went away: the parent holds the write end of the
 * child's standard input, so end-of-file there means the parent exited (even by SIGKILL), and the child stops
 * instead of reflecting or spinning forever.
 * <p>
 * <b>Note:</b> starts one daemon thread that blocks on the stream; thread safe.
 */
public final class ParentWatch
{
    private ParentWatch()
    {
    }

    /**
     * Reads one line the parent sent, byte by byte (nothing beyond the newline is consumed, so that
     * {@link #onEndOfInput} can watch the same stream afterwards).
     *
     * @param in the standard input given by the parent.
     * @return the line without its newline.
     * @throws IOException when the stream ends first.
     */
    public static String readLine(final InputStream in) throws IOException
    {
        final StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1)
        {
            if (b == '\n')
            {
                return line.toString();
            }
            line.append((char)b);
        }
        throw new IOException("the parent closed standard input before sending a line");
    }

    /**
     * @param in     the standard input given by the parent.
     * @param onGone what to run at end-of-file (on the watcher thread).
     */
    public static void onEndOfInput(final InputStream in, final Runnable onGone)
    {
        onInput(in, line ->
        {
            // the parent says nothing this child listens to; any line is ignored
        }, onGone);
    }

    /**
     * Hands each line the parent sends to {@code lines}, then runs {@code onGone} at end-of-file.
     *
     * @param in     the standard input given by the parent.
     * @param lines  receives each line, without its newline (on the watcher thread).
     * @param onGone what to run at end-of-file (on the watcher thread).
     */
    public static void onInput(final InputStream in, final Consumer<String> lines, final Runnable onGone)
    {
        final Thread watcher = new Thread(() ->
        {
            try
            {
                final StringBuilder line = new StringBuilder();
                int b;
                while ((b = in.read()) != -1)
                {
                    if (b == '\n')
                    {
                        lines.accept(line.toString());
                        line.setLength(0);
                    }
                    else
                    {
                        line.append((char)b);
                    }
                }
            }
            catch (final IOException ignored)
            {
                // a broken pipe means the same as end-of-file
            }
            onGone.run();
        }, "oobnet-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
