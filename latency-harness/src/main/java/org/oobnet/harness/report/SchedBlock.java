package org.oobnet.harness.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A row's scheduler evidence: for each side's spinning thread, what the kernel's {@code sched_switch} events say
 * about its measured phase ({@link SchedSide}), as {@code summary.json}'s {@code sched} block and as text lines
 * under the row. A round without a trace says why ({@code absent}); rounds with one are summed.
 * <p>
 * JSON: {@code "sched": {"rounds_traced", "rounds_absent", "absent": "<why>"|null, "window_ns", "lost_events",
 * "malformed_lines", "sides": [{"side", "cpu", "threads": ["<comm>/<tid>"], "switched_out", "preempted", "off_cpu_ns",
 * "max_off_cpu_ns", "on_cpu_share", "own_threads_ns", "own_threads_count", "top": [{"comm", "own", "ns", "count"}],
 * "other_ns", "own_threads": [{"comm", "ns", "count"}]}]}}}; null when the row's runner
 * does not trace. <b>Note:</b> immutable, thread safe.
 *
 * @param roundsTraced   rounds with a trace.
 * @param roundsAbsent   rounds without one.
 * @param absent         why the last round without a trace had none; null when every round had one.
 * @param windowNs       the measured phases' summed length.
 * @param lostEvents     events the kernel could not keep, all older than the measured phase (a round whose kept
 *                       events start inside its phase has no sides: it is absent, saying so).
 * @param malformedLines trace lines that were not events (counted, not parsed).
 * @param sides          the client's and the reflector's spinning threads.
 */
public record SchedBlock(int roundsTraced, int roundsAbsent, String absent, long windowNs, long lostEvents,
    long malformedLines, List<SchedSide> sides)
{
    /** Task names shown per side in the text and the JSON. */
    static final int TOP = 5;

    /**
     * @param why why the round has no trace.
     * @return a round without a trace.
     */
    public static SchedBlock absent(final String why)
    {
        return new SchedBlock(0, 1, why, 0, 0, 0, List.of());
    }

    /**
     * @param a a row's block of some rounds, or null.
     * @param b the same row's block of other rounds, or null.
     * @return both summed (sides matched by name and CPU), or the one that is not null.
     */
    public static SchedBlock merge(final SchedBlock a, final SchedBlock b)
    {
        if (a == null || b == null)
        {
            return a == null ? b : a;
        }
        final List<SchedSide> sides = new ArrayList<>(a.sides);
        for (final SchedSide s : b.sides)
        {
            int i = 0;
            while (i < sides.size() && !(sides.get(i).side().equals(s.side()) && sides.get(i).cpu() == s.cpu()))
            {
                i++;
            }
            if (i < sides.size())
            {
                sides.set(i, sides.get(i).plus(s));
            }
            else
            {
                sides.add(s);
            }
        }
        return new SchedBlock(a.roundsTraced + b.roundsTraced, a.roundsAbsent + b.roundsAbsent,
            b.absent != null ? b.absent : a.absent, a.windowNs + b.windowNs, a.lostEvents + b.lostEvents,
            a.malformedLines + b.malformedLines, List.copyOf(sides));
    }

    /**
     * @param block a row's block, or null.
     * @return its JSON, or null.
     */
    public static ObjectNode toJson(final SchedBlock block)
    {
        if (block == null)
        {
            return null;
        }
        final ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("rounds_traced", block.roundsTraced);
        o.put("rounds_absent", block.roundsAbsent);
        o.put("absent", block.absent);
        o.put("window_ns", block.windowNs);
        o.put("lost_events", block.lostEvents);
        o.put("malformed_lines", block.malformedLines);
        final ArrayNode sides = o.putArray("sides");
        for (final SchedSide s : block.sides)
        {
            final ObjectNode side = sides.addObject();
            side.put("side", s.side());
            side.put("cpu", s.cpu());
            s.threads().forEach(side.putArray("threads")::add);
            side.put("switched_out", s.switchedOut());
            side.put("preempted", s.preempted());
            side.put("off_cpu_ns", s.offNs());
            side.put("max_off_cpu_ns", s.maxOffNs());
            side.put("on_cpu_share", s.windowNs() > 0 ? 1.0 - (double)s.offNs() / s.windowNs() : 0.0);
            side.put("own_threads_ns", s.ownNs());
            side.put("own_threads_count", s.ownCount());
            final ArrayNode top = side.putArray("top");
            long otherNs = 0;
            for (int i = 0; i < s.byComm().size(); i++)
            {
                final SchedSide.Preemptor p = s.byComm().get(i);
                if (i < TOP)
                {
                    top.addObject().put("comm", p.comm()).put("own", p.own()).put("ns", p.ns()).put("count", p.count());
                }
                else
                {
                    otherNs += p.ns();
                }
            }
            side.put("other_ns", otherNs);
            // every one of the row's own threads, in or out of the top: the figures an A/B of them compares
            final ArrayNode own = side.putArray("own_threads");
            s.byComm().stream().filter(SchedSide.Preemptor::own).forEach(p ->
                own.addObject().put("comm", p.comm()).put("ns", p.ns()).put("count", p.count()));
        }
        return o;
    }

    /**
     * @param block  a row's block, or null.
     * @param indent put before each line.
     * @return one line per side ({@code sched <side> cpu<n> <thread>: out <n> (<n> preempted), off <ms> ms of <ms>
     *         ms, max <ms> ms; row's own threads <ms> ms/<n>; by <comm> <ms> ms/<n>, ...}), a line of why when not
     *         traced; none for null.
     */
    public static List<String> lines(final SchedBlock block, final String indent)
    {
        final List<String> lines = new ArrayList<>();
        if (block == null)
        {
            return lines;
        }
        if (block.roundsTraced == 0)
        {
            lines.add(indent + "sched absent: " + block.absent);
            return lines;
        }
        for (final SchedSide s : block.sides)
        {
            final StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%ssched %-9s cpu%d %s: out %d (%d preempted), off %.2f ms of %.0f ms, max %.3f ms; row's own " +
                    "threads %.2f ms/%d", indent, s.side(), s.cpu(),
                s.threads().isEmpty() ? "(no thread of it ran there)" : s.threads().getFirst(), s.switchedOut(),
                s.preempted(), s.offNs() / 1e6, s.windowNs() / 1e6, s.maxOffNs() / 1e6, s.ownNs() / 1e6,
                s.ownCount()));
            for (int i = 0; i < Math.min(TOP, s.byComm().size()); i++)
            {
                final SchedSide.Preemptor p = s.byComm().get(i);
                sb.append(i == 0 ? "; by " : ", ").append(p.comm())
                    .append(String.format(Locale.ROOT, " %.2f ms/%d", p.ns() / 1e6, p.count()));
            }
            lines.add(sb.toString());
        }
        if (block.lostEvents > 0 || block.malformedLines > 0 || block.roundsAbsent > 0)
        {
            lines.add(String.format(Locale.ROOT, "%ssched lost_events=%d malformed_lines=%d rounds_absent=%d%s",
                indent, block.lostEvents, block.malformedLines, block.roundsAbsent,
                block.absent != null ? " (" + block.absent + ")" : ""));
        }
        return lines;
    }
}
