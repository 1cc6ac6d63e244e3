package org.oobnet.harness.bench.t2t;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.HdrHistogram.Histogram;
import org.oobnet.harness.report.Micros;

/**
 * The tick-to-trade tables. First tick-to-trade itself, wire to wire ({@code wire_ns}: the tick's kernel TX stamp at
 * the exchange to the order's kernel RX stamp there, the field's tap-to-tap convention): each row's percentiles, its
 * p50 and p99 over the spin and blocking baselines' (the targets apply to these ratios), the stage's
 * allocation and whether the books are exact, and which targets the run met ({@link T2tTargets}: the merged ratios
 * and, round by round, their median and interval, which decides from six rounds on). Then app to app
 * ({@code latency_ns}: the simulator's tick send to its read of the order, the simulator's own hops included) with its
 * ratios and the in-process p50 and p99. Then the hops.
 * <p>
 * <b>Note:</b> stateless.
 */
public final class T2tTable
{
    /** A measure's columns: run, n, p50, p99, p99.9, max, then p50 and p99 over spin's and over blocking's. */
    private static final String MEASURE = "%-13s %8s %9s %9s %9s %9s  %6s %6s %6s %6s";

    private T2tTable()
    {
    }

    /**
     * @param run the run: its merged rows, and each row's rounds for the targets round by round.
     * @return the lines.
     */
    public static List<String> lines(final T2tRun run)
    {
        final List<T2tResult> results = run.rows();
        final T2tResult spin = T2tJson.find(results, T2tRow.SPIN);
        final T2tResult blocking = T2tJson.find(results, T2tRow.BLOCKING);
        final List<String> lines = new ArrayList<>();
        lines.addAll(wireLines(run, spin, blocking));
        lines.add("");
        lines.addAll(appLines(results, spin, blocking));
        lines.add("");
        lines.addAll(hopLines(results));
        lines.add("");
        lines.addAll(schedLines(results));
        return lines;
    }

    // tick-to-trade, wire to wire: what the targets apply to, then the targets merged and round by round
    private static List<String> wireLines(final T2tRun run, final T2tResult spin, final T2tResult blocking)
    {
        final List<T2tResult> results = run.rows();
        final List<String> lines = table("tick-to-trade, wire to wire (wire_ns)", "  %8s  %s",
            new String[]{ "stage-B", "books" }, results, r -> measure(r, r.hops().wire(), spin, blocking,
                T2tJson::wireRatio) + String.format(Locale.ROOT, "  %8s  %s",
                r.tickToTrade().stageAllocBytes() < 0 ? "-" : Long.toString(r.tickToTrade().stageAllocBytes()),
                books(r.books())));
        lines.addAll(T2tTargets.lines(run));
        results.stream().filter(r -> !r.books().exact()).forEach(r -> lines.add(T2tLosses.line(r)));
        lines.add("(us; the tick's kernel TX stamp at the exchange to the order's kernel RX stamp there: the " +
            "trader's wire-to-wire tick-to-trade as the exchange's kernel sees it, tap to tap; the targets apply " +
            "to it; p50/sp = this row's p50 over t2t-spin's, /bl over t2t-blocking's; stage-B: bytes the stage " +
            "allocated while measuring)");
        return lines;
    }

    // app to app: the simulator's own hops included; reported beside tick-to-trade
    private static List<String> appLines(final List<T2tResult> results, final T2tResult spin,
        final T2tResult blocking)
    {
        final List<String> lines = table("app to app, exchange simulator included (latency_ns)", "  %9s %9s",
            new String[]{ "in-p50", "in-p99" }, results, r -> measure(r, r.tickToTrade().histogram(), spin, blocking,
                T2tJson::ratio) + String.format(Locale.ROOT, "  %9s %9s", pct(r.inProcess(), 50),
                pct(r.inProcess(), 99)));
        lines.add("(us; the exchange app's tick send to its app reading the order, one clock: the simulator's own " +
            "exchange_tx and exchange_pickup hops included; in-p50: the trader's tick receive to order handed to " +
            "the kernel (the stage from the kernel RX timestamp, the threads from receive's return))");
        return lines;
    }

    // a title, the header (the measure's columns, then the extra ones) and a line per row
    private static List<String> table(final String title, final String extraFormat, final String[] extraHeader,
        final List<T2tResult> results, final Function<T2tResult, String> row)
    {
        final List<String> lines = new ArrayList<>();
        lines.add(title);
        final List<Object> header = new ArrayList<>(List.of("run", "n", "p50", "p99", "p99.9", "max", "p50/sp",
            "p99/sp", "p50/bl", "p99/bl"));
        header.addAll(List.of(extraHeader));
        lines.add(String.format(Locale.ROOT, MEASURE + extraFormat, header.toArray()));
        results.forEach(r -> lines.add(row.apply(r)));
        return lines;
    }

    /** A row's measure over a base row's, at a percentile (NaN when either has none). */
    @FunctionalInterface
    private interface Ratio
    {
        double of(T2tResult row, T2tResult base, double percentile);
    }

    // a row's columns of one measure: its percentiles and its ratios to the baselines
    private static String measure(final T2tResult r, final Histogram h, final T2tResult spin,
        final T2tResult blocking, final Ratio ratio)
    {
        return String.format(Locale.ROOT, MEASURE, r.row().label(), h.getTotalCount(), pct(h, 50), pct(h, 99),
            pct(h, 99.9), h.getTotalCount() > 0 ? Micros.format(h.getMaxValue()) : "-",
            ratio(ratio.of(r, spin, 50)), ratio(ratio.of(r, spin, 99)), ratio(ratio.of(r, blocking, 50)),
            ratio(ratio.of(r, blocking, 99)));
    }

    private static String books(final OrderBooks.Books books)
    {
        return books.exact() ? "exact" : "lost=" + books.lost() + " dup=" + books.duplicated() + " unknown=" +
            books.unknown() + " wrong=" + books.wrongDecisions();
    }

    // each row's hops, p50/p99, and wire with its ratios to the baselines'
    private static List<String> hopLines(final List<T2tResult> results)
    {
        final List<String> lines = new ArrayList<>();
        final StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-13s", "hops p50/p99"));
        if (results.isEmpty())
        {
            return lines;
        }
        // a hop no row has (the stage's steps when they were off) takes no column
        final List<String> shown = new ArrayList<>();
        for (final String hop : results.get(0).hops().histograms().keySet())
        {
            if (results.stream().anyMatch(r -> r.hops().histograms().get(hop).getTotalCount() > 0))
            {
                shown.add(hop);
                header.append(String.format(Locale.ROOT, " %19s", hop));
            }
        }
        lines.add(header.toString());
        for (final T2tResult r : results)
        {
            final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-13s", r.row().label()));
            for (final String hop : shown)
            {
                final Histogram h = r.hops().histograms().get(hop);
                line.append(String.format(Locale.ROOT, " %19s", h.getTotalCount() == 0 ? "-" :
                    pct(h, 50) + "/" + pct(h, 99)));
            }
            lines.add(line.toString());
        }
        lines.add("(us, CLOCK_REALTIME in both processes; exchange_tx: the tick's app send to its kernel TX stamp; " +
            "tick_wire: to the trader's kernel RX stamp (the stage row only: DatagramChannel gives none); " +
            "trader_pickup: to the trading logic seeing it, on the stage (with -Doobnet.hops.steps=true) split into " +
            "rx_ring_pickup (to the port's ring pick-up), udp_demux (to the line socket's delivery), " +
            "feed_arbitration (to the feed socket's delivery of the record) and record_to_strategy; tick_in: kernel TX to seen; trader_decide: seen to " +
            "the order's send call; order_out: to the order's kernel RX stamp at the exchange; " +
            "exchange_pickup: to its app read; trader_send_call: send call to its return (not in the chain: " +
            "over veth it often returns after the exchange's kernel got the order); wire: tick kernel TX to " +
            "order kernel RX (tick-to-trade); total: app send to app read (latency_ns on the realtime clock); " +
            "the order's kernel RX time is the exchange socket's stamp, or its packet tap's where a read returned " +
            "the order with a later one)");
        for (final T2tResult r : results)
        {
            lines.add(String.format(Locale.ROOT, "%s: %d measured orders read together with the next one (their " +
                "socket RX stamp was the next order's: the tap's used)", r.row().label(),
                r.hops().socketStampShared()));
        }
        return lines;
    }

    // each row's rounds: what the scheduler did on the two CPUs, and what each slow tick met
    private static List<String> schedLines(final List<T2tResult> results)
    {
        final List<String> lines = new ArrayList<>();
        lines.add("scheduler, per row and round (measured phase)");
        results.forEach(r -> lines.addAll(T2tSchedRound.lines(r.row().label(), r.sched())));
        lines.add("(sched trader/exchange: the trading thread on the trading CPU and the exchange's spinning thread " +
            "on its CPU, from sched_switch: times switched out (preempted: still runnable), time off the CPU, and " +
            "what ran there meanwhile, trader:/exchange:/harness: the run's own threads; trading thread: its " +
            "/proc schedstat and context switches; cpuN: the trading CPU's softirq and hard irq time (a softirq " +
            "includes irqs nested in it) and count; slow ticks: each measured tick with tick_in at or over the " +
            "bound, charged to the first that held over its way in: off_cpu:<task that ran longest>, " +
            "behind_earlier_tick, irq:<name>, none_in_trace)");
        return lines;
    }

    private static String pct(final Histogram h, final double percentile)
    {
        return h.getTotalCount() > 0 ? Micros.format(h.getValueAtPercentile(percentile)) : "-";
    }

    private static String ratio(final double r)
    {
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2f", r);
    }
}
