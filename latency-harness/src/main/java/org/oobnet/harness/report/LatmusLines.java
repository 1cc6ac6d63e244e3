package org.oobnet.harness.report;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * latmus-style report lines: the {@code RTT|} header, {@code RTH|} column names, one {@code RTD|} line per interval
 * (min, avg, max, overruns, stalls, best, worst in µs) and the final {@code RTS|} line.
 * <p>
 * Stalls are the JVM's analogue of EVL's switches to in-band; a transport without an OOB stage has none to count
 * and shows {@code -}. <b>Note:</b> keeps the running best and worst; one instance per run, reporting thread only.
 */
public final class LatmusLines
{
    /** The column names, as latmus prints them with the stall column in place of {@code msw}. */
    public static final String COLUMNS =
        "RTH|----lat min|----lat avg|----lat max|-overrun|---stalls|---lat best|--lat worst";

    private long bestNs = Long.MAX_VALUE;
    private long worstNs = Long.MIN_VALUE;

    /**
     * The header line, e.g. {@code RTT|  00:00:20  (udp/inband, 64 bytes, ping-pong, CPU1-noisol)}.
     *
     * @param run the run.
     * @return the {@code RTT|} line.
     */
    public static String header(final RunDescription run)
    {
        final String length = run.durationNs() > 0 ? hms(run.durationNs()) : run.requestedCount() + " exchanges";
        final String pace = run.rateHz() > 0
            ? String.format(Locale.ROOT, "%d Hz (%s us period)", run.rateHz(),
                Micros.format(TimeUnit.SECONDS.toNanos(1) / (double)run.rateHz()))
            : "ping-pong";
        final String path = run.transport().equals("-") ? run.scenario() : run.scenario() + "/" + run.transport();
        return String.format(Locale.ROOT, "RTT|  %s  (%s, %d bytes, %s, %s%s)", length, path, run.sizeBytes(), pace,
            run.cpuTag(), run.profile() ? "" : ", profile off");
    }

    /**
     * One interval's line; also updates the running best and worst.
     *
     * @param interval the values recorded during the interval, in ns.
     * @param overruns overruns during the interval.
     * @param stalls   stalls during the interval, -1 when not applicable.
     * @return the {@code RTD|} line.
     */
    public String rtd(final Histogram interval, final long overruns, final long stalls)
    {
        if (interval.getTotalCount() > 0)
        {
            bestNs = Math.min(bestNs, interval.getMinValue());
            worstNs = Math.max(worstNs, interval.getMaxValue());
        }
        return "RTD|" + stats(interval) + "|" + count(8, overruns) + "|" + count(9, stalls) + "|" +
            cell(bestNs == Long.MAX_VALUE ? -1 : bestNs) + "|" + cell(worstNs == Long.MIN_VALUE ? -1 : worstNs);
    }

    /**
     * The summary line over the whole measured phase.
     *
     * @param total      the whole measured phase, in ns.
     * @param overruns   overruns in total.
     * @param stalls     stalls in total, -1 when not applicable.
     * @param measuredNs the measured phase's length.
     * @param run        the run (for the requested length).
     * @return the {@code RTS|} line.
     */
    public static String rts(
        final Histogram total, final long overruns, final long stalls, final long measuredNs, final RunDescription run)
    {
        final String requested = run.durationNs() > 0 ? hms(run.durationNs()) : run.requestedCount() + " exchanges";
        return "RTS|" + stats(total) + "|" + count(8, overruns) + "|" + count(9, stalls) + "|    " + hms(measuredNs) +
            "/" + requested;
    }

    private static String stats(final Histogram h)
    {
        if (h.getTotalCount() == 0)
        {
            return cell(-1) + "|" + cell(-1) + "|" + cell(-1);
        }
        return cell(h.getMinValue()) + "|" + String.format(Locale.ROOT, "%11.3f", h.getMean() / 1000.0) + "|" +
            cell(h.getMaxValue());
    }

    private static String cell(final long ns)
    {
        return ns < 0 ? String.format(Locale.ROOT, "%11s", "-") : String.format(Locale.ROOT, "%11.3f", ns / 1000.0);
    }

    private static String count(final int width, final long n)
    {
        return String.format(Locale.ROOT, "%" + width + "s", n < 0 ? "-" : Long.toString(n));
    }

    /**
     * @param ns a duration.
     * @return {@code hh:mm:ss}, rounded to the nearest second.
     */
    public static String hms(final long ns)
    {
        final long s = Math.round(ns / 1e9);
        return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
