package org.oobnet.harness.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.oobnet.harness.env.SchedSwitch;

/**
 * Turns a CPU's context switches into a {@link SchedSide}: the spinning thread is the one of the side's threads that
 * ran longest on the CPU in the window; every interval it spent off the CPU is clipped to the window and charged
 * to whatever ran there meanwhile.
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
public final class SchedAnalysis
{
    private SchedAnalysis()
    {
    }

    /**
     * @param events  context switches of every traced CPU, oldest first.
     * @param startNs the window's start (trace clock).
     * @param endNs   the window's end.
     * @param side    {@code client} or {@code reflector}.
     * @param cpu     the side's CPU.
     * @param tids    the side's process's threads.
     * @param owners  the row's own threads (both sides', the harness's), to their owner: what ran meanwhile is named
     *                {@code <owner>:<comm>} when it is one of them, so the row's own JVM threads stand apart from
     *                other processes' threads of the same name.
     * @return what the scheduler did to the side's spinning thread in the window.
     */
    public static SchedSide analyse(final List<SchedSwitch> events, final long startNs, final long endNs,
        final String side, final int cpu, final Set<Integer> tids, final Map<Integer, String> owners)
    {
        final List<SchedSwitch> onCpu = new ArrayList<>();
        for (final SchedSwitch e : events)
        {
            if (e.cpu() == cpu)
            {
                onCpu.add(e);
            }
        }
        final int target = longestRunning(onCpu, startNs, endNs, tids);
        if (target < 0)
        {
            return new SchedSide(side, cpu, List.of(), endNs - startNs, 0, 0, 0, 0, List.of());
        }
        String comm = "?";
        long switchedOut = 0;
        long preempted = 0;
        long offNs = 0;
        long maxOffNs = 0;
        final Map<String, long[]> byComm = new LinkedHashMap<>();
        final Set<String> owned = new HashSet<>();
        // before the first event: off when the first event brings the thread in
        long offSince = !onCpu.isEmpty() && onCpu.getFirst().nextPid() == target ? startNs : -1;
        long lastNs = startNs;
        String running = onCpu.isEmpty() ? null : name(onCpu.getFirst().prevComm(), onCpu.getFirst().prevPid(), owners, owned);
        for (final SchedSwitch e : onCpu)
        {
            final long t = e.timeNs();
            if (offSince >= 0 && running != null)
            {
                byComm.computeIfAbsent(running, c -> new long[2])[0] += overlap(lastNs, t, startNs, endNs);
            }
            if (e.prevPid() == target)
            {
                comm = e.prevComm();
                offSince = t;
                if (t >= startNs && t < endNs)
                {
                    switchedOut++;
                    preempted += e.preempted() ? 1 : 0;
                }
            }
            if (e.nextPid() == target)
            {
                comm = e.nextComm();
                if (offSince >= 0)
                {
                    final long off = overlap(offSince, t, startNs, endNs);
                    offNs += off;
                    maxOffNs = Math.max(maxOffNs, off);
                }
                offSince = -1;
            }
            else if (offSince >= 0 && t >= startNs && t < endNs)
            {
                byComm.computeIfAbsent(name(e.nextComm(), e.nextPid(), owners, owned), c -> new long[2])[1]++;
            }
            running = name(e.nextComm(), e.nextPid(), owners, owned);
            lastNs = t;
        }
        if (offSince >= 0)
        {
            final long off = overlap(offSince, endNs, startNs, endNs);
            offNs += off;
            maxOffNs = Math.max(maxOffNs, off);
            if (running != null)
            {
                byComm.computeIfAbsent(running, c -> new long[2])[0] += overlap(lastNs, endNs, startNs, endNs);
            }
        }
        final List<SchedSide.Preemptor> preemptors = new ArrayList<>();
        byComm.forEach((name, sum) ->
        {
            if (sum[0] > 0 || sum[1] > 0)
            {
                preemptors.add(new SchedSide.Preemptor(name, owned.contains(name), sum[0], sum[1]));
            }
        });
        return new SchedSide(side, cpu, List.of(comm + "/" + target), endNs - startNs, switchedOut, preempted,
            offNs, maxOffNs, SchedSide.sorted(preemptors));
    }

    // the thread among tids with the most time on the CPU in the window, -1 when none ran there
    private static int longestRunning(
        final List<SchedSwitch> onCpu, final long startNs, final long endNs, final Set<Integer> tids)
    {
        final Map<Integer, Long> ran = new HashMap<>();
        long lastNs = startNs;
        int running = onCpu.isEmpty() ? -1 : onCpu.getFirst().prevPid();
        for (final SchedSwitch e : onCpu)
        {
            ran.merge(running, overlap(lastNs, e.timeNs(), startNs, endNs), Long::sum);
            running = e.nextPid();
            lastNs = e.timeNs();
        }
        ran.merge(running, overlap(lastNs, endNs, startNs, endNs), Long::sum);
        int best = -1;
        long bestNs = 0;
        for (final Map.Entry<Integer, Long> r : ran.entrySet())
        {
            if (tids.contains(r.getKey()) && r.getValue() > bestNs)
            {
                best = r.getKey();
                bestNs = r.getValue();
            }
        }
        return best;
    }

    // the name a task is charged under; the row's own threads' names are noted in owned
    private static String name(
        final String comm, final int tid, final Map<Integer, String> owners, final Set<String> owned)
    {
        final String owner = owners.get(tid);
        if (owner == null)
        {
            return comm;
        }
        final String name = owner + SchedSide.OWNER_SEPARATOR + comm;
        owned.add(name);
        return name;
    }

    private static long overlap(final long fromNs, final long toNs, final long startNs, final long endNs)
    {
        return Math.max(0, Math.min(toNs, endNs) - Math.max(fromNs, startNs));
    }
}
