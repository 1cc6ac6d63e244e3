package org.oobnet.harness.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the scheduler did to one side's spinning thread (the measuring client's or the reflector's) on its CPU
 * during a row's measured phase: how often it was switched out, how long it was off the CPU, and which tasks ran
 * there meanwhile.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param side        {@code client} or {@code reflector}.
 * @param cpu         the CPU watched.
 * @param threads     the spinning thread of each round, as {@code <comm>/<tid>} (the side's thread that ran
 *                    longest on the CPU); empty when no thread of the side's process ran there.
 * @param windowNs    the measured phase's length the events were counted in.
 * @param switchedOut times the thread left the CPU.
 * @param preempted   of those, times it left still runnable (taken, not given up).
 * @param offNs       total time off the CPU.
 * @param maxOffNs    the longest single time off the CPU.
 * @param byComm      what ran on the CPU while the thread was off it, by task name: time and times it got the
 *                    CPU; the most time first.
 */
public record SchedSide(String side, int cpu, List<String> threads, long windowNs, long switchedOut, long preempted,
    long offNs, long maxOffNs, List<Preemptor> byComm)
{
    /** Separates the side of one of the row's own threads from its name: {@code client:oobnet-reporter}. */
    public static final String OWNER_SEPARATOR = ":";

    /**
     * A task name that ran on the watched CPU while the thread was off it.
     *
     * @param comm  the task's name (a thread's name, at most 15 characters), prefixed with its side and
     *              {@link #OWNER_SEPARATOR} when it is one of the row's own threads.
     * @param own   whether it is one of the row's own threads (either side's process, or the harness that runs them).
     * @param ns    its time on the CPU meanwhile.
     * @param count times it got the CPU meanwhile.
     */
    public record Preemptor(String comm, boolean own, long ns, long count)
    {
    }

    /**
     * @return the time the row's own threads took from this thread's CPU while it was off it.
     */
    public long ownNs()
    {
        return byComm.stream().filter(Preemptor::own).mapToLong(Preemptor::ns).sum();
    }

    /**
     * @return times the row's own threads got this thread's CPU while it was off it.
     */
    public long ownCount()
    {
        return byComm.stream().filter(Preemptor::own).mapToLong(Preemptor::count).sum();
    }

    /**
     * @param other the same side in another round.
     * @return both rounds summed; the longest time off is the longer one.
     */
    public SchedSide plus(final SchedSide other)
    {
        final List<String> allThreads = new ArrayList<>(threads);
        allThreads.addAll(other.threads);
        final Map<String, Preemptor> sums = new LinkedHashMap<>();
        for (final List<Preemptor> list : List.of(byComm, other.byComm))
        {
            for (final Preemptor p : list)
            {
                sums.merge(p.comm(), p, (a, b) -> new Preemptor(a.comm(), a.own(), a.ns() + b.ns(), a.count() + b.count()));
            }
        }
        final List<Preemptor> merged = new ArrayList<>(sums.values());
        return new SchedSide(side, cpu, allThreads, windowNs + other.windowNs, switchedOut + other.switchedOut,
            preempted + other.preempted, offNs + other.offNs, Math.max(maxOffNs, other.maxOffNs), sorted(merged));
    }

    /**
     * @param byComm task names with their time.
     * @return the list, the most time first.
     */
    static List<Preemptor> sorted(final List<Preemptor> byComm)
    {
        final List<Preemptor> sorted = new ArrayList<>(byComm);
        sorted.sort(Comparator.comparingLong(Preemptor::ns).reversed().thenComparing(Preemptor::comm));
        return List.copyOf(sorted);
    }
}
