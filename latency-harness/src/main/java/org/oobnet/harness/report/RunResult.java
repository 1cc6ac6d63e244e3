package org.oobnet.harness.report;

import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.oobnet.core.counters.HopSnapshot;

/**
 * The outcome of one latency run (or of several alternating rounds of one row, merged).
 * <p>
 * <b>Note:</b> the histogram is owned by the result once built; treat it as read-only.
 *
 * @param run              what was measured.
 * @param histogram        the measured phase's round trips (or timer lateness), in nanoseconds; warm-up excluded.
 * @param warmupCount      exchanges done before measuring (not in the histogram).
 * @param warmupNs         how long the warm-up took.
 * @param lost             exchanges whose reply never came within the receive timeout (not in the histogram).
 * @param overruns         fixed-rate sends issued later than one period after their scheduled time.
 * @param stalls           OOB stage cycles longer than the stall threshold, -1 when the transport has no stage.
 * @param stageAllocBytes  bytes the OOB stage allocated during the measured phase, -1 when there is no stage.
 * @param clientAllocBytes bytes the measuring thread allocated during the measured phase.
 * @param gc               collections in the measuring JVM during the measured phase.
 * @param measuredNs       how long the measured phase took.
 * @param clamped          values above the histogram's range, recorded as its highest value.
 * @param hops             the measuring side's stage hops over the measured phase, one per hop; empty when the run
 *                         has no stage or recording was off.
 * @param peerHops         the reflector's hops over the same phase (a child process's stage, or the C floor's
 *                         reflector), one per hop; empty when the reflector reported none.
 * @param sched            the kernel scheduler's view of both sides' spinning threads over the measured phase
 *                         ({@link SchedBlock}), null when the runner did not trace.
 * @param jit              what each side's JIT compiled over the measured phase ({@link JitBlock}), null when no
 *                         side reported.
 * @param rounds           each round's own percentiles, in the order the rounds ran (one entry for a single run).
 * @param ringKernelDrops  frames the kernel dropped during the measured phase because the measuring side's own RX
 *                         ring was full ({@code PACKET_STATISTICS} {@code tp_drops}; a dropped reply is also one of
 *                         {@code lost}), -1 when the measuring side reads no ring of its own.
 */
public record RunResult(
    RunDescription run,
    Histogram histogram,
    long warmupCount,
    long warmupNs,
    long lost,
    long overruns,
    long stalls,
    long stageAllocBytes,
    long clientAllocBytes,
    GcDelta gc,
    long measuredNs,
    long clamped,
    List<HopSnapshot> hops,
    List<HopSnapshot> peerHops,
    SchedBlock sched,
    JitBlock jit,
    List<RoundPercentiles> rounds,
    long ringKernelDrops)
{
    /**
     * A result whose reflector reported no hops, without scheduler evidence.
     *
     * @param run              what was measured.
     * @param histogram        the round trips.
     * @param warmupCount      exchanges before measuring.
     * @param warmupNs         how long the warm-up took.
     * @param lost             exchanges whose reply never came.
     * @param overruns         late fixed-rate sends.
     * @param stalls           stage stalls, -1 without a stage.
     * @param stageAllocBytes  stage allocation, -1 without a stage.
     * @param clientAllocBytes the measuring thread's allocation.
     * @param gc               collections.
     * @param measuredNs       the measured phase's length.
     * @param clamped          values above the histogram's range.
     * @param hops             the measuring side's hops.
     */
    public RunResult(
        final RunDescription run, final Histogram histogram, final long warmupCount, final long warmupNs,
        final long lost, final long overruns, final long stalls, final long stageAllocBytes,
        final long clientAllocBytes, final GcDelta gc, final long measuredNs, final long clamped,
        final List<HopSnapshot> hops)
    {
        this(run, histogram, warmupCount, warmupNs, lost, overruns, stalls, stageAllocBytes, clientAllocBytes, gc,
            measuredNs, clamped, hops, List.of(), null, null, List.of(RoundPercentiles.of(histogram)), -1);
    }

    /**
     * A result without hops.
     *
     * @param run              what was measured.
     * @param histogram        the round trips.
     * @param warmupCount      exchanges before measuring.
     * @param warmupNs         how long the warm-up took.
     * @param lost             exchanges whose reply never came.
     * @param overruns         late fixed-rate sends.
     * @param stalls           stage stalls, -1 without a stage.
     * @param stageAllocBytes  stage allocation, -1 without a stage.
     * @param clientAllocBytes the measuring thread's allocation.
     * @param gc               collections.
     * @param measuredNs       the measured phase's length.
     * @param clamped          values above the histogram's range.
     */
    public RunResult(
        final RunDescription run, final Histogram histogram, final long warmupCount, final long warmupNs,
        final long lost, final long overruns, final long stalls, final long stageAllocBytes,
        final long clientAllocBytes, final GcDelta gc, final long measuredNs, final long clamped)
    {
        this(run, histogram, warmupCount, warmupNs, lost, overruns, stalls, stageAllocBytes, clientAllocBytes, gc,
            measuredNs, clamped, List.of(), List.of(), null, null, List.of(RoundPercentiles.of(histogram)), -1);
    }

    /**
     * @param block the scheduler evidence of this result's measured phase.
     * @return this result with it.
     */
    public RunResult withSched(final SchedBlock block)
    {
        return new RunResult(run, histogram, warmupCount, warmupNs, lost, overruns, stalls, stageAllocBytes,
            clientAllocBytes, gc, measuredNs, clamped, hops, peerHops, block, jit, rounds, ringKernelDrops);
    }

    /**
     * @param block the JIT evidence of this result's measured phase.
     * @return this result with it.
     */
    public RunResult withJit(final JitBlock block)
    {
        return new RunResult(run, histogram, warmupCount, warmupNs, lost, overruns, stalls, stageAllocBytes,
            clientAllocBytes, gc, measuredNs, clamped, hops, peerHops, sched, block, rounds, ringKernelDrops);
    }

    /**
     * @param reflectorHops the reflector's hops over the measured phase.
     * @return this result with them.
     */
    public RunResult withPeerHops(final List<HopSnapshot> reflectorHops)
    {
        return new RunResult(run, histogram, warmupCount, warmupNs, lost, overruns, stalls, stageAllocBytes,
            clientAllocBytes, gc, measuredNs, clamped, hops, reflectorHops, sched, jit, rounds, ringKernelDrops);
    }

    /**
     * @param drops frames the kernel dropped because the measuring side's RX ring was full, -1 for no ring.
     * @return this result with them.
     */
    public RunResult withRingKernelDrops(final long drops)
    {
        return new RunResult(run, histogram, warmupCount, warmupNs, lost, overruns, stalls, stageAllocBytes,
            clientAllocBytes, gc, measuredNs, clamped, hops, peerHops, sched, jit, rounds, drops);
    }

    /**
     * @return the number of measured observations.
     */
    public long count()
    {
        return histogram.getTotalCount();
    }

    /**
     * Adds another round of the same row: histograms merged, counters summed ("not applicable" stays -1).
     *
     * @param other another round of the same row.
     * @return a new merged result described by this result's description.
     */
    public RunResult merge(final RunResult other)
    {
        final Histogram merged = LatencyRecorder.newHistogram();
        merged.add(histogram);
        merged.add(other.histogram);
        return new RunResult(run, merged, warmupCount + other.warmupCount, warmupNs + other.warmupNs,
            lost + other.lost, overruns + other.overruns, sumApplicable(stalls, other.stalls),
            sumApplicable(stageAllocBytes, other.stageAllocBytes), clientAllocBytes + other.clientAllocBytes,
            gc.plus(other.gc), measuredNs + other.measuredNs, clamped + other.clamped, mergeHops(hops, other.hops),
            mergeHops(peerHops, other.peerHops), SchedBlock.merge(sched, other.sched),
            JitBlock.merge(jit, other.jit), concat(rounds, other.rounds),
            sumApplicable(ringKernelDrops, other.ringKernelDrops));
    }

    private static List<HopSnapshot> mergeHops(final List<HopSnapshot> a, final List<HopSnapshot> b)
    {
        if (a.isEmpty() || b.isEmpty())
        {
            return a.isEmpty() ? b : a;
        }
        final List<HopSnapshot> merged = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++)
        {
            merged.add(a.get(i).plus(b.get(i)));
        }
        return merged;
    }

    private static List<RoundPercentiles> concat(final List<RoundPercentiles> a, final List<RoundPercentiles> b)
    {
        final List<RoundPercentiles> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static long sumApplicable(final long a, final long b)
    {
        return a < 0 && b < 0 ? -1 : Math.max(0, a) + Math.max(0, b);
    }
}
