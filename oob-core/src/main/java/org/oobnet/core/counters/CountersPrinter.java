package org.oobnet.core.counters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;
import java.util.TimeZone;

import org.oobnet.core.OobConfig;

/**
 * Prints a running runtime's counters and distinct error log, as AeronStat does: what {@code oobnet stat} shows.
 * <p>
 * {@code CountersPrinter [--once] [--errors] [--dir DIR]}: every second (or once) a header line (pid, alive or
 * not, stage CPU, {@code noisol}), a summary of the stage (cycles, stalls, allocation since start, sockets) and of
 * each device it polls (sockets attached, health, frames, drops by reason), then one line per allocated counter
 * ({@code id: value - label}); zero stall histogram and hop buckets and zero device drops are left out of the summary. {@code --errors} prints the distinct error log instead.
 * <b>Note:</b> not thread safe; reads from any process with access to the file.
 */
public final class CountersPrinter
{
    private final PrintWriter out;
    private final PrintWriter err;

    /**
     * @param out where to print readings.
     * @param err where to print problems.
     */
    public CountersPrinter(final PrintWriter out, final PrintWriter err)
    {
        this.out = out;
        this.err = err;
    }

    /**
     * Prints one reading of the counters.
     *
     * @param reader the file.
     */
    public void printCounters(final CountersFileReader reader)
    {
        out.printf("oobnet stat %s pid=%d %s stage cpu=%d%s%n",
            reader.path(), reader.pid(),
            reader.isOwnerAlive() ? "running" : "NOT RUNNING (owner dead, e.g. killed; the next start replaces this file)",
            reader.stageCpu(), reader.isIsolated() ? "" : " noisol");
        printSummary(reader);
        reader.counters().forEach((value, id, label) ->
        {
            final int typeId = reader.counters().getCounterTypeId(id);
            if (value == 0 && (typeId == OobCounterType.STALL_BUCKET.typeId() ||
                typeId == OobCounterType.HOP_BUCKET.typeId()))
            {
                return;
            }
            out.printf("%3d: %,20d - %s%n", id, value, label);
        });
    }

    // each stage, then each device under it (StageSummary)
    private void printSummary(final CountersFileReader reader)
    {
        StageSummary.print(out, reader.counters(), reader.stageCpu(), reader.isIsolated(), "");
    }

    /**
     * Prints the distinct error log.
     *
     * @param reader the file.
     * @return the number of distinct errors.
     */
    public int printErrors(final CountersFileReader reader)
    {
        final SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss.SSSZ", Locale.ROOT);
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        final int count = reader.readErrors((observationCount, firstMs, lastMs, encodedException) ->
            out.printf("%d observations from %s to %s for:%n %s%n", observationCount,
                format.format(new Date(firstMs)), format.format(new Date(lastMs)), encodedException));
        out.printf("%d distinct errors observed.%n", count);
        return count;
    }

    /**
     * Runs the printer until interrupted (or once).
     *
     * @param dir      the counters directory.
     * @param once     print one reading and return.
     * @param errors   print the error log instead of the counters.
     * @return the exit status: 0, or 1 when there is no counters file (with a message on stderr saying where it
     * looked).
     * @throws InterruptedException when interrupted between readings.
     */
    public int run(final Path dir, final boolean once, final boolean errors) throws InterruptedException
    {
        final Path file = dir.resolve(CountersFileDescriptor.FILE_NAME);
        if (!Files.exists(file))
        {
            err.println("oobnet stat: no counters file: countersFile=" + file +
                " does not exist (is a runtime running with countersDir=" + dir + "?)");
            err.flush();
            return 1;
        }
        try (CountersFileReader reader = CountersFileReader.open(file))
        {
            if (errors)
            {
                printErrors(reader);
                out.flush();
                return 0;
            }
            while (true)
            {
                printCounters(reader);
                out.flush();
                if (once)
                {
                    return 0;
                }
                Thread.sleep(1000);
                out.println("--");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("oobnet stat: " + ex.getMessage());
            err.flush();
            return 1;
        }
    }

    /**
     * {@code CountersPrinter [--once] [--errors] [--dir DIR]}.
     *
     * @param args the arguments.
     * @throws InterruptedException when interrupted.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        boolean once = false;
        boolean errors = false;
        Path dir = OobConfig.defaultCountersDir();
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--once" -> once = true;
                case "--errors" -> errors = true;
                case "--dir" ->
                {
                    if (++i == args.length)
                    {
                        System.err.println("oobnet stat: --dir needs a directory");
                        System.exit(2);
                    }
                    dir = Path.of(args[i]);
                }
                default ->
                {
                    System.err.println("oobnet stat: unknown argument=" + args[i]);
                    System.exit(2);
                }
            }
        }
        System.exit(new CountersPrinter(new PrintWriter(System.out, true), new PrintWriter(System.err, true))
            .run(dir, once, errors));
    }
}
