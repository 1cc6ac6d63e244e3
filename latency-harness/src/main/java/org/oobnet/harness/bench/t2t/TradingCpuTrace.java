package org.oobnet.harness.bench.t2t;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.oobnet.harness.env.SchedSwitch;
import org.oobnet.harness.env.SchedTrace;

/**
 * The trading CPU's trace, as {@link T2tSched} records it: its context switches and the time it spent in hard
 * interrupts and softirqs, each span named ({@code softirq NET_RX}, {@code irq local_timer}, {@code irq virtio0}).
 * A softirq's span includes any hard interrupt nested in it. Fed line by line from a tracefs {@code trace} file;
 * lines of other events, headers and malformed lines are counted, never thrown.
 * <p>
 * <b>Note:</b> not thread safe.
 */
final class TradingCpuTrace implements Consumer<String>
{
    /** The events it records: context switches, softirqs, device interrupts, and x86's own vectors. */
    static final List<String> EVENTS = List.of(SchedTrace.SCHED_SWITCH, "irq/softirq_entry", "irq/softirq_exit",
        "irq/irq_handler_entry", "irq/irq_handler_exit");
    /** The x86 vectors (absent on other architectures: the trace then goes without them). */
    static final List<String> X86_VECTORS = List.of("local_timer", "reschedule", "call_function",
        "call_function_single", "irq_work");

    // "<comm>-<pid> [cpu] <flags> <secs>.<usecs>: <event>: <fields>"
    private static final Pattern LINE = Pattern.compile("^.*?\\[(\\d+)\\]\\s+(?:\\S+\\s+)?(\\d+)\\.(\\d{6}): " +
        "(\\w+): (.*)$");
    private static final Pattern SOFTIRQ = Pattern.compile("vec=\\d+ \\[action=(\\w+)\\]");
    private static final Pattern IRQ_NAME = Pattern.compile("irq=\\d+ name=(\\S+)");

    /**
     * Time the CPU spent outside any task.
     *
     * @param startNs when it began (trace clock).
     * @param endNs   when it ended.
     * @param name    {@code softirq <action>} or {@code irq <name>}.
     */
    record Span(long startNs, long endNs, String name)
    {
        boolean softirq()
        {
            return name.startsWith("softirq");
        }
    }

    private final List<SchedSwitch> switches = new ArrayList<>();
    private final List<Span> spans = new ArrayList<>();
    private final Deque<long[]> open = new ArrayDeque<>();
    private final Deque<String> openNames = new ArrayDeque<>();
    private long other;

    /**
     * @return the x86 vectors' entry and exit events, as tracefs paths.
     */
    static List<String> x86Events()
    {
        final List<String> events = new ArrayList<>();
        for (final String vector : X86_VECTORS)
        {
            events.add("irq_vectors/" + vector + "_entry");
            events.add("irq_vectors/" + vector + "_exit");
        }
        return events;
    }

    @Override
    public void accept(final String line)
    {
        if (line.isBlank() || line.startsWith("#"))
        {
            return;
        }
        final SchedSwitch sw = SchedSwitch.parse(line);
        if (sw != null)
        {
            switches.add(sw);
            return;
        }
        final Matcher m = LINE.matcher(line);
        if (!m.matches())
        {
            other++;
            return;
        }
        final long timeNs = Long.parseLong(m.group(2)) * 1_000_000_000L + Long.parseLong(m.group(3)) * 1000L;
        final String event = m.group(4);
        final String fields = m.group(5);
        if (event.equals("softirq_entry"))
        {
            final Matcher s = SOFTIRQ.matcher(fields);
            enter(timeNs, "softirq " + (s.find() ? s.group(1) : "?"));
        }
        else if (event.equals("irq_handler_entry"))
        {
            final Matcher i = IRQ_NAME.matcher(fields);
            enter(timeNs, "irq " + (i.find() ? i.group(1) : "?"));
        }
        else if (event.endsWith("_entry") && event.length() > "_entry".length())
        {
            enter(timeNs, "irq " + event.substring(0, event.length() - "_entry".length()));
        }
        else if (event.endsWith("_exit"))
        {
            exit(timeNs);
        }
        else
        {
            other++;
        }
    }

    private void enter(final long timeNs, final String name)
    {
        open.push(new long[]{ timeNs });
        openNames.push(name);
    }

    // closes the innermost open span; an exit without its entry (the trace began inside it) is dropped
    private void exit(final long timeNs)
    {
        if (!open.isEmpty())
        {
            spans.add(new Span(open.pop()[0], timeNs, openNames.pop()));
        }
    }

    /** @return the context switches, oldest first. */
    List<SchedSwitch> switches()
    {
        return switches;
    }

    /** @return the closed spans, in the order they ended. */
    List<Span> spans()
    {
        return spans;
    }

    /** @return lines that were neither events it knows nor headers. */
    long other()
    {
        return other;
    }

    /**
     * @param startNs the window's start.
     * @param endNs   its end.
     * @return per name, the time in the window and the spans that began in it, the most time first; softirq and
     *         irq totals under {@code softirq} and {@code irq} (hard interrupts nested in softirqs counted in both).
     */
    Map<String, long[]> timeByName(final long startNs, final long endNs)
    {
        final Map<String, long[]> sums = new LinkedHashMap<>();
        sums.put("softirq", new long[2]);
        sums.put("irq", new long[2]);
        for (final Span s : spans)
        {
            final long ns = overlap(s.startNs, s.endNs, startNs, endNs);
            final boolean began = s.startNs >= startNs && s.startNs < endNs;
            if (ns == 0 && !began)
            {
                continue;
            }
            for (final String key : List.of(s.softirq() ? "softirq" : "irq", s.name))
            {
                final long[] sum = sums.computeIfAbsent(key, k -> new long[2]);
                sum[0] += ns;
                sum[1] += began ? 1 : 0;
            }
        }
        final List<Map.Entry<String, long[]>> named = new ArrayList<>(sums.entrySet()).subList(2, sums.size());
        named.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        final Map<String, long[]> sorted = new LinkedHashMap<>();
        sorted.put("softirq", sums.get("softirq"));
        sorted.put("irq", sums.get("irq"));
        named.forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    static long overlap(final long fromNs, final long toNs, final long startNs, final long endNs)
    {
        return Math.max(0, Math.min(toNs, endNs) - Math.max(fromNs, startNs));
    }
}
