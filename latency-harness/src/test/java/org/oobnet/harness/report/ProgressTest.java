package org.oobnet.harness.report;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Long latency runs report how far they are in whole lines (their latmus lines share the terminal); short ones stay
 * quiet.
 */
class ProgressTest
{
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private void run(final Progress progress, final long seconds)
    {
        progress.show(1, 1, "udp-packet", "starting", 0, seconds);
        for (long s = 1; s <= seconds; s++)
        {
            progress.show(1, 1, "udp-packet", "measuring", s, seconds);
        }
        progress.done();
    }

    @Test
    void shouldPrintALineAtStartAndEveryTwentiethOfALongRun()
    {
        run(Progress.forLongRun(out, 200_000_000_000L), 200);
        final StringBuilder expected = new StringBuilder("[1/1] udp-packet: starting 0/200 s\n");
        for (long s = 1; s <= 200; s += 10)
        {
            expected.append("[1/1] udp-packet: measuring ").append(s).append("/200 s\n");
        }
        assertEquals(expected.toString(), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldStayQuietForShortRunsAndCounts()
    {
        run(Progress.forLongRun(out, 59_000_000_000L), 59);
        run(Progress.forLongRun(out, 0), 100);
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }
}
