package org.oobnet.harness.bench.t2t;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;
import org.oobnet.harness.report.Micros;

/**
 * The tick-to-trade table: each row's tick-to-trade percentiles, its p50 and p99 over the spin and blocking
 * baselines', its in-process p50 and p99, the stage's allocation and whether the books are exact.
 * <p>
 * <b>Note:</b> stateless.
 */
public final class T2tTable
{
    private T2tTable()
    {
    }

    /**
     * @param results the rows.
     * @return the lines.
     */
    public static List<String> lines(final List<T2tResult> results)
    {
        final T2tResult spin = T2tJson.find(results, T2tRow.SPIN);
        final T2tResult blocking = T2tJson.find(results, T2tRow.BLOCKING);
        final String format = "%-13s %8s %9s %9s %9s %9s  %6s %6s %6s %6s  %9s %9s  %8s  %s";
        final List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, format, "run", "n", "p50", "p99", "p99.9", "max", "p50/sp", "p99/sp",
            "p50/bl", "p99/bl", "in-p50", "in-p99", "stage-B", "books"));
        for (final T2tResult r : results)
        {
            final Histogram h = r.tickToTrade().histogram();
            final OrderBooks.Books books = r.books();
            lines.add(String.format(Locale.ROOT, format, r.row().label(), h.getTotalCount(), pct(h, 50), pct(h, 99),
                pct(h, 99.9), h.getTotalCount() > 0 ? Micros.format(h.getMaxValue()) : "-",
                ratio(r, spin, 50), ratio(r, spin, 99), ratio(r, blocking, 50), ratio(r, blocking, 99),
                pct(r.inProcess(), 50), pct(r.inProcess(), 99),
                r.tickToTrade().stageAllocBytes() < 0 ? "-" : Long.toString(r.tickToTrade().stageAllocBytes()),
                books.exact() ? "exact" : "lost=" + books.lost() + " dup=" + books.duplicated() + " unknown=" +
                    books.unknown() + " wrong=" + books.wrongDecisions()));
        }
        lines.add("(us; tick-to-trade: the exchange's tick send to its receipt of the order, one clock; p50/sp = " +
            "this row's p50 over t2t-spin's, /bl over t2t-blocking's; in-p50: the trader's tick receive to order " +
            "handed to the kernel (the stage from the kernel RX timestamp, the threads from receive's return); " +
            "stage-B: bytes the stage allocated while measuring)");
        lines.add("");
        lines.addAll(hopLines(results, spin, blocking));
        return lines;
    }

    // each row's hops, p50/p99, and wire with its ratios to the baselines'
    private static List<String> hopLines(final List<T2tResult> results, final T2tResult spin, final T2tResult blocking)
    {
        final List<String> lines = new ArrayList<>();
        final StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-13s", "hops p50/p99"));
        if (results.isEmpty())
        {
            return lines;
        }
        for (final String hop : results.get(0).hops().histograms().keySet())
        {
            header.append(String.format(Locale.ROOT, " %19s", hop));
        }
        header.append(String.format(Locale.ROOT, "  %6s %6s %6s %6s", "w50/sp", "w99/sp", "w50/bl", "w99/bl"));
        lines.add(header.toString());
        for (final T2tResult r : results)
        {
            final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-13s", r.row().label()));
            for (final Histogram h : r.hops().histograms().values())
            {
                line.append(String.format(Locale.ROOT, " %19s", h.getTotalCount() == 0 ? "-" :
                    pct(h, 50) + "/" + pct(h, 99)));
            }
            line.append(String.format(Locale.ROOT, "  %6s %6s %6s %6s", wireRatio(r, spin, 50), wireRatio(r, spin, 99),
                wireRatio(r, blocking, 50), wireRatio(r, blocking, 99)));
            lines.add(line.toString());
        }
        lines.add("(us, CLOCK_REALTIME in both processes; exchange_tx: the tick's app send to its kernel TX stamp; " +
            "tick_wire: to the trader's kernel RX stamp (the stage row only: DatagramChannel gives none); " +
            "trader_pickup: to the trading logic seeing it; tick_in: kernel TX to seen; trader_decide: seen to " +
            "the order's send call; order_out: to the order's kernel RX stamp at the exchange; " +
            "exchange_pickup: to its app read; trader_send_call: send call to its return (not in the chain: " +
            "over veth it often returns after the exchange's kernel got the order); wire: tick kernel TX to order kernel RX; total: app send to app read; " +
            "w50/sp: wire p50 over t2t-spin's)");
        return lines;
    }

    private static String wireRatio(final T2tResult row, final T2tResult base, final double percentile)
    {
        final double r = T2tJson.wireRatio(row, base, percentile);
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2f", r);
    }

    private static String pct(final Histogram h, final double percentile)
    {
        return h.getTotalCount() > 0 ? Micros.format(h.getValueAtPercentile(percentile)) : "-";
    }

    private static String ratio(final T2tResult row, final T2tResult base, final double percentile)
    {
        final double r = T2tJson.ratio(row, base, percentile);
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2f", r);
    }
}
