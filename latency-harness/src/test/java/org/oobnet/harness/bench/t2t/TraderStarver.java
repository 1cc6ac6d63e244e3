package org.oobnet.harness.bench.t2t;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

/**
 * Starves a tick-to-trade run's thread trader for real: its JVM is stopped ({@code SIGSTOP}) once ticks are
 * queued at its feed socket (so after its ready message: the exchange is ticking), and continued ({@code SIGCONT})
 * when {@code until} says so, as a scheduler that gives it no CPU would. The kernel meanwhile drops what the feed
 * socket cannot hold. One trader after the other: each row's trader is a new JVM.
 * <p>
 * <b>Note:</b> runs on a thread of its own, started by the test; {@link #stop()} continues any trader it stopped.
 */
final class TraderStarver implements Runnable
{
    private static final String FEED_PORT = String.format(Locale.ROOT, ":%04X", ExchangeSimulator.FEED_PORT);

    private final int traders;
    private final LongPredicate until;
    private volatile boolean stopping;
    private volatile long stoppedWithTicksQueued;
    private volatile ProcessHandle current;

    /**
     * @param traders how many traders (rows) to starve, one after the other.
     * @param until   given how long the trader has been stopped (ns), whether to continue it now.
     */
    TraderStarver(final int traders, final LongPredicate until)
    {
        this.traders = traders;
        this.until = until;
    }

    @Override
    public void run()
    {
        try
        {
            ProcessHandle last = null;
            for (int i = 0; i < traders && !stopping; i++)
            {
                final ProcessHandle trader = awaitTrader(last);
                if (trader == null)
                {
                    return;
                }
                last = trader;
                starve(trader);
            }
        }
        catch (final IOException | InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    // stops the trader once ticks wait at its feed socket (before that, a stop could hold back its ready message and
    // the exchange would wait instead of ticking), until `until`
    private void starve(final ProcessHandle trader) throws IOException, InterruptedException
    {
        while (!stopping && trader.isAlive())
        {
            current = trader; // before the stop: stop() continues it whatever the moment
            signal(trader, "STOP");
            TimeUnit.MILLISECONDS.sleep(50);
            if (ticksQueued(trader))
            {
                stoppedWithTicksQueued++;
                final long start = System.nanoTime();
                while (!stopping && !until.test(System.nanoTime() - start))
                {
                    TimeUnit.MILLISECONDS.sleep(5);
                }
                signal(trader, "CONT");
                current = null;
                return;
            }
            signal(trader, "CONT");
            current = null;
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private ProcessHandle awaitTrader(final ProcessHandle last) throws InterruptedException
    {
        while (!stopping)
        {
            final Optional<ProcessHandle> trader = child("trader").filter(p -> !p.equals(last));
            if (trader.isPresent())
            {
                return trader.get();
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return null;
    }

    /**
     * @param role {@code exchange} or {@code trader}.
     * @return the run's child JVM of that role, if one runs.
     */
    static Optional<ProcessHandle> child(final String role)
    {
        return ProcessHandle.current().descendants()
            .filter(p -> p.info().commandLine().map(c -> c.contains("--role " + role)).orElse(false)).findFirst();
    }

    /**
     * @return the UDP datagrams the exchange's namespace sent so far (its ticks, then heartbeats and answers to
     *         requests: nothing else sends there), -1 when no exchange runs.
     */
    static long exchangeDatagramsSent()
    {
        final Optional<ProcessHandle> exchange = child("exchange");
        if (exchange.isEmpty())
        {
            return -1;
        }
        try
        {
            // /proc/<pid>/net/snmp: a "Udp:" header line, then a "Udp:" values line; OutDatagrams is the 4th value
            boolean header = true;
            for (final String line : Files.readAllLines(Path.of("/proc/" + exchange.get().pid() + "/net/snmp")))
            {
                if (line.startsWith("Udp:"))
                {
                    if (!header)
                    {
                        return Long.parseLong(line.trim().split("\\s+")[4]);
                    }
                    header = false;
                }
            }
            return -1;
        }
        catch (final IOException ex)
        {
            return -1; // gone meanwhile
        }
    }

    /** @return true once no exchange JVM runs (its session ended). */
    static boolean exchangeGone()
    {
        return child("exchange").isEmpty();
    }

    // whether the trader's feed socket (its namespace's /proc/<pid>/net/udp) has datagrams queued or dropped
    private static boolean ticksQueued(final ProcessHandle trader) throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/" + trader.pid() + "/net/udp")))
        {
            final String[] fields = line.trim().split("\\s+");
            if (fields.length > UdpSocketRow.DROPS && fields[1].endsWith(FEED_PORT))
            {
                final long rxQueue = Long.parseLong(fields[4].substring(fields[4].indexOf(':') + 1), 16);
                return rxQueue > 0 || Long.parseLong(fields[UdpSocketRow.DROPS]) > 0;
            }
        }
        return false;
    }

    private static void signal(final ProcessHandle process, final String signal) throws IOException, InterruptedException
    {
        final int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start()
            .waitFor();
        if (exit != 0 && process.isAlive())
        {
            throw new IOException("kill -" + signal + " " + process.pid() + " exited with " + exit);
        }
    }

    /** @return traders stopped while ticks were queued at their feed socket. */
    long stoppedWithTicksQueued()
    {
        return stoppedWithTicksQueued;
    }

    /** Continues a trader it holds stopped and ends. Test thread. */
    void stop()
    {
        stopping = true;
        final ProcessHandle trader = current;
        if (trader != null)
        {
            try
            {
                signal(trader, "CONT");
            }
            catch (final IOException | InterruptedException ignored)
            {
                // gone already
            }
        }
    }
}
