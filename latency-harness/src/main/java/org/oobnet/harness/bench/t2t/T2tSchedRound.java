package org.oobnet.harness.bench.t2t;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.oobnet.harness.report.SchedBlock;

/**
 * One round of a tick-to-trade row, as the scheduler saw it ({@link T2tSched}): the {@code latency compare} row's
 * {@code sched} block with the sides named {@code trader} (the trading thread, on the trading CPU) and
 * {@code exchange} (its spinning thread, on the peer CPU); the trading thread's own counters ({@link TradingThreadStat},
 * from the trader); the trading CPU's interrupt and softirq time; and each slow tick's cause ({@link SlowTicks}).
 * <p>
 * JSON, per round in the row's {@code sched.rounds}: {@link SchedBlock#toJson}'s fields, then {@code "round"},
 * {@code "trading_thread": {"tid", "comm", "voluntary_switches", "involuntary_switches", "on_cpu_ns",
 * "run_delay_ns"}} (or {@code {"absent": why}}), {@code "trading_cpu_irq": {"absent": why|null, "softirq_ns",
 * "softirq_count", "irq_ns", "irq_count", "by_name": {"softirq NET_RX": {"ns", "count"}, ...}}}, {@code "slow_ticks"}
 * ({@link SlowTicks#toJson}, null without the CPU's trace).
 * <p>
 * <b>Note:</b> immutable.
 *
 * @param round         the round (1 for a single round).
 * @param block         both sides' sched block, or why there is none.
 * @param tradingThread the trader's {@code trading_thread} object.
 * @param cpu           the trading CPU.
 * @param irqAbsent     why the trading CPU's own trace is missing, else null.
 * @param irq           per name the time and count in the measured phase ({@link TradingCpuTrace#timeByName}).
 * @param slow          the slow ticks' causes, null without the CPU's trace.
 */
record T2tSchedRound(int round, SchedBlock block, JsonNode tradingThread, int cpu, String irqAbsent,
    Map<String, long[]> irq, SlowTicks slow)
{
    /** Interrupt names listed in the text line. */
    private static final int TOP = 5;

    /**
     * @param rounds a row's rounds.
     * @return the row's {@code sched} object: {@code {"rounds": [...]}}.
     */
    static ObjectNode toJson(final List<T2tSchedRound> rounds)
    {
        final ObjectNode o = JsonNodeFactory.instance.objectNode();
        final ArrayNode array = o.putArray("rounds");
        for (final T2tSchedRound r : rounds)
        {
            final ObjectNode round = SchedBlock.toJson(r.block);
            round.put("round", r.round);
            round.set("trading_thread", r.tradingThread);
            final ObjectNode irq = round.putObject("trading_cpu_irq");
            irq.put("cpu", r.cpu);
            irq.put("absent", r.irqAbsent);
            if (r.irqAbsent == null)
            {
                irq.put("softirq_ns", r.irq.get("softirq")[0]);
                irq.put("softirq_count", r.irq.get("softirq")[1]);
                irq.put("irq_ns", r.irq.get("irq")[0]);
                irq.put("irq_count", r.irq.get("irq")[1]);
                final ObjectNode byName = irq.putObject("by_name");
                r.irq.forEach((name, sum) ->
                {
                    if (!name.equals("softirq") && !name.equals("irq"))
                    {
                        byName.putObject(name).put("ns", sum[0]).put("count", sum[1]);
                    }
                });
            }
            round.set("slow_ticks", r.slow == null ? null : r.slow.toJson());
            array.add(round);
        }
        return o;
    }

    /**
     * @param label  the row's label.
     * @param rounds its rounds.
     * @return per round: the sides' {@code sched} lines, the trading thread's counters, the trading CPU's interrupt
     *         time, the slow ticks' causes.
     */
    static List<String> lines(final String label, final List<T2tSchedRound> rounds)
    {
        final List<String> lines = new ArrayList<>();
        for (final T2tSchedRound r : rounds)
        {
            lines.add(label + " round " + r.round + ":");
            lines.addAll(SchedBlock.lines(r.block, "  "));
            final JsonNode t = r.tradingThread;
            lines.add(t == null || t.has("absent") ? "  trading thread: " + (t == null ? "-" : t.get("absent").asText()) :
                String.format(Locale.ROOT, "  trading thread %s/%d: involuntary %d, voluntary %d switches; run-queue " +
                    "wait %.3f ms, on CPU %.1f ms", t.path("comm").asText(), t.path("tid").asInt(),
                    t.path("involuntary_switches").asLong(), t.path("voluntary_switches").asLong(),
                    t.path("run_delay_ns").asLong() / 1e6, t.path("on_cpu_ns").asLong() / 1e6));
            if (r.irqAbsent != null)
            {
                lines.add("  cpu" + r.cpu + " irq/softirq: absent: " + r.irqAbsent);
                continue;
            }
            final StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  cpu%d softirq %.2f ms/%d, irq " +
                "%.2f ms/%d", r.cpu, r.irq.get("softirq")[0] / 1e6, r.irq.get("softirq")[1], r.irq.get("irq")[0] / 1e6,
                r.irq.get("irq")[1]));
            int i = 0;
            for (final Map.Entry<String, long[]> e : r.irq.entrySet())
            {
                if (e.getKey().equals("softirq") || e.getKey().equals("irq"))
                {
                    continue;
                }
                if (i == TOP)
                {
                    break;
                }
                sb.append(i++ == 0 ? "; " : ", ").append(e.getKey()).append(String.format(Locale.ROOT,
                    " %.2f ms/%d", e.getValue()[0] / 1e6, e.getValue()[1]));
            }
            lines.add(sb.toString());
            if (r.slow != null)
            {
                lines.add("  " + r.slow.line());
            }
        }
        return lines;
    }
}
