package org.oobnet.harness.bench.t2t;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.oobnet.harness.env.SchedSwitch;
import org.oobnet.harness.report.SchedSide;

/**
 * What each slow tick met on the trading CPU. A measured tick is slow when its {@code tick_in} (the exchange's
 * kernel TX stamp of the tick to the trader seeing it, both {@code CLOCK_REALTIME}) is at least
 * {@link #THRESHOLD_NS}; it is charged to the first of these that holds over that span, on the trading CPU's trace
 * ({@link TradingCpuTrace}, trace clock = realtime − {@code offsetNs}):
 * <ol>
 * <li>{@code off_cpu:<task>}: the trading thread was off the CPU for part of it; the task that ran longest meanwhile
 * ({@code trader:}/{@code exchange:}/{@code harness:} when it is one of the row's own threads; {@code swapper/<n>}:
 * the CPU idle, the thread asleep or waking);</li>
 * <li>{@code behind_earlier_tick}: the trader had not yet seen the previous tick when this one left the exchange's
 * kernel (queued behind it, whatever held that one);</li>
 * <li>{@code irq:<name>}: the CPU spent at least {@link #IRQ_NS} or half the span in interrupts or softirqs, charged to
 * the one that took the most;</li>
 * <li>{@code none_in_trace}: the thread was on the CPU throughout with no interrupt of note: what held it is not in a
 * guest's trace (the stage's own work, or the host stopping the vCPU).</li>
 * </ol>
 * <b>Note:</b> stateless apart from the result it builds; in-band.
 *
 * @param threshold the slow tick's bound, ns.
 * @param measured  measured ticks with both stamps.
 * @param slow      of those, the slow ones.
 * @param byCause   per cause: ticks, the longest {@code tick_in}, and its tick; the most ticks first.
 */
record SlowTicks(long threshold, long measured, long slow, Map<String, long[]> byCause)
{
    /** A tick slower than this on its way in is explained. */
    static final long THRESHOLD_NS = 100_000;
    /** Interrupt time over a slow tick's way in that names the interrupt as its cause. */
    static final long IRQ_NS = 20_000;
    /** Causes listed in the text line. */
    private static final int TOP = 6;

    /**
     * @param exchange the exchange's stamps.
     * @param trader   the trader's.
     * @param offsetNs {@code CLOCK_REALTIME − CLOCK_MONOTONIC} (the trace's clock), ns.
     * @param trace    the trading CPU's trace.
     * @param tid      the trading thread.
     * @param owners   the row's own threads, to their owner.
     * @return each slow tick charged to its cause.
     */
    static SlowTicks of(final TickStamps exchange, final TickStamps trader, final long offsetNs,
        final TradingCpuTrace trace, final int tid, final Map<Integer, String> owners)
    {
        final List<SchedSwitch> switches = trace.switches();
        final long[] switchNs = new long[switches.size()];
        for (int i = 0; i < switchNs.length; i++)
        {
            switchNs[i] = switches.get(i).timeNs();
        }
        final Map<String, long[]> causes = new HashMap<>();
        long measured = 0;
        long slow = 0;
        for (long s = Math.max(1, exchange.measuredFrom()); s <= exchange.ticks(); s++)
        {
            final long tx = exchange.get(s, TickStamps.TICK_KERNEL_TX);
            final long seen = trader.get(s, TickStamps.TICK_SEEN);
            if (tx == 0 || seen == 0 || seen < tx)
            {
                continue;
            }
            measured++;
            if (seen - tx < THRESHOLD_NS)
            {
                continue;
            }
            slow++;
            final long previousSeen = trader.get(s - 1, TickStamps.TICK_SEEN);
            final String cause = cause(tx - offsetNs, seen - offsetNs, previousSeen > tx, switches, switchNs, trace,
                tid, owners);
            final long[] c = causes.computeIfAbsent(cause, k -> new long[3]);
            c[0]++;
            if (seen - tx > c[1])
            {
                c[1] = seen - tx;
                c[2] = s;
            }
        }
        final List<Map.Entry<String, long[]>> sorted = new ArrayList<>(causes.entrySet());
        sorted.sort((a, b) -> a.getValue()[0] != b.getValue()[0] ? Long.compare(b.getValue()[0], a.getValue()[0]) :
            a.getKey().compareTo(b.getKey()));
        final Map<String, long[]> byCause = new LinkedHashMap<>();
        sorted.forEach(e -> byCause.put(e.getKey(), e.getValue()));
        return new SlowTicks(THRESHOLD_NS, measured, slow, byCause);
    }

    private static String cause(final long fromNs, final long toNs, final boolean queued,
        final List<SchedSwitch> switches, final long[] switchNs, final TradingCpuTrace trace, final int tid,
        final Map<Integer, String> owners)
    {
        // who ran on the CPU over [fromNs, toNs]: from the last switch before it on
        int i = lastAtOrBefore(switchNs, fromNs);
        int running = i >= 0 ? switches.get(i).nextPid() : (switches.isEmpty() ? tid : switches.getFirst().prevPid());
        String runningComm = i >= 0 ? switches.get(i).nextComm() : "?";
        long lastNs = fromNs;
        final Map<String, Long> others = new HashMap<>();
        for (i = i + 1; i < switches.size() && switchNs[i] < toNs; i++)
        {
            final SchedSwitch sw = switches.get(i);
            if (running != tid)
            {
                others.merge(name(runningComm, running, owners), sw.timeNs() - lastNs, Long::sum);
            }
            running = sw.nextPid();
            runningComm = sw.nextComm();
            lastNs = sw.timeNs();
        }
        if (running != tid)
        {
            others.merge(name(runningComm, running, owners), toNs - lastNs, Long::sum);
        }
        if (!others.isEmpty())
        {
            return "off_cpu:" + largest(others);
        }
        if (queued)
        {
            return "behind_earlier_tick";
        }
        final Map<String, long[]> irq = trace.timeByName(fromNs, toNs);
        final long irqNs = irq.get("softirq")[0] + irq.get("irq")[0];
        if (irqNs >= IRQ_NS || 2 * irqNs >= toNs - fromNs)
        {
            final Map<String, Long> named = new HashMap<>();
            irq.forEach((name, sum) ->
            {
                if (!name.equals("softirq") && !name.equals("irq"))
                {
                    named.put(name, sum[0]);
                }
            });
            return "irq:" + largest(named);
        }
        return "none_in_trace";
    }

    private static int lastAtOrBefore(final long[] times, final long t)
    {
        int lo = 0;
        int hi = times.length - 1;
        int found = -1;
        while (lo <= hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (times[mid] <= t)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found;
    }

    private static String largest(final Map<String, Long> ns)
    {
        String best = "?";
        long bestNs = -1;
        for (final Map.Entry<String, Long> e : ns.entrySet())
        {
            if (e.getValue() > bestNs || (e.getValue() == bestNs && e.getKey().compareTo(best) < 0))
            {
                best = e.getKey();
                bestNs = e.getValue();
            }
        }
        return best;
    }

    private static String name(final String comm, final int tid, final Map<Integer, String> owners)
    {
        final String owner = owners.get(tid);
        return owner == null ? comm : owner + SchedSide.OWNER_SEPARATOR + comm;
    }

    /**
     * @return the round's {@code slow_ticks} object: {@code threshold_ns}, {@code measured}, {@code slow},
     *         {@code by_cause: {<cause>: {"ticks", "max_tick_in_ns", "max_tick"}}}.
     */
    ObjectNode toJson()
    {
        final ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("threshold_ns", threshold);
        o.put("measured", measured);
        o.put("slow", slow);
        final ObjectNode causes = o.putObject("by_cause");
        byCause.forEach((cause, c) -> causes.putObject(cause).put("ticks", c[0]).put("max_tick_in_ns", c[1])
            .put("max_tick", c[2]));
        return o;
    }

    /**
     * @return {@code slow ticks (tick_in >= 100 us) <n> of <m>: <cause> <n> (max <us> us), ...}.
     */
    String line()
    {
        final StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "slow ticks (tick_in >= %d us) %d of %d",
            threshold / 1000, slow, measured));
        int i = 0;
        for (final Map.Entry<String, long[]> e : byCause.entrySet())
        {
            if (i == TOP)
            {
                sb.append(", ...");
                break;
            }
            sb.append(i++ == 0 ? ": " : ", ").append(e.getKey()).append(' ').append(e.getValue()[0])
                .append(String.format(Locale.ROOT, " (max %.0f us)", e.getValue()[1] / 1e3));
        }
        return sb.toString();
    }
}
