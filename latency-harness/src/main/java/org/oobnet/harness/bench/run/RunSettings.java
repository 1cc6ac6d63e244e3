package org.oobnet.harness.bench.run;

import org.oobnet.harness.env.CpuSet;

/**
 * What the latency runs are asked for, resolved: message size, length and pace, CPUs, idle strategy, network,
 * receive timeout. The command line builds it from its options; the runners and the demo read it.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param size             UDP payload per message.
 * @param plan             warm-up, length and pace of one round.
 * @param cpu              the measuring side's CPU.
 * @param peerCpu          the reflector's CPU.
 * @param idleName         the {@code --idle} value as given ({@code auto} unresolved), for child processes.
 * @param loopback         both sides on loopback instead of two network namespaces.
 * @param receiveTimeoutNs a reply not back within this counts as lost.
 */
public record RunSettings(int size, MeasurementPlan plan, int cpu, int peerCpu, String idleName, boolean loopback,
    long receiveTimeoutNs)
{
    /** The message size, idle strategy and receive timeout the command line defaults to. */
    private static final int DEFAULT_SIZE = 64;
    private static final long DEFAULT_RECEIVE_TIMEOUT_NS = 200_000_000L;

    /**
     * The command line's defaults with a given length, for runs that are not given options (the demo).
     *
     * @param durationNs the measured time per row.
     * @param warmupNs   the warm-up per row.
     * @return the settings.
     */
    public static RunSettings defaults(final long durationNs, final long warmupNs)
    {
        final int cpu = CpuSet.defaultCpu();
        return new RunSettings(DEFAULT_SIZE, new MeasurementPlan(0, warmupNs, 0, durationNs, 0), cpu,
            CpuSet.defaultPeerCpu(cpu), "auto", false, DEFAULT_RECEIVE_TIMEOUT_NS);
    }

    /**
     * @param rounds how many alternating rounds share the length (each gets its part; warm-up is per round).
     * @return the plan of one round.
     */
    public MeasurementPlan plan(final int rounds)
    {
        return new MeasurementPlan(plan.warmupCount(), plan.warmupNs(), (plan.count() + rounds - 1) / rounds,
            plan.durationNs() / rounds, plan.rateHz());
    }

    /**
     * @param cpuOfSide the CPU the idling thread runs on.
     * @return the idle strategy, resolved.
     */
    public IdleKind idle(final int cpuOfSide)
    {
        return IdleKind.resolve(idleName, cpuOfSide);
    }

    /**
     * @param durationNs the measured time per row instead of the plan's count or duration.
     * @return these settings with that length.
     */
    public RunSettings withDurationNs(final long durationNs)
    {
        return new RunSettings(size, new MeasurementPlan(plan.warmupCount(), plan.warmupNs(), 0, durationNs,
            plan.rateHz()), cpu, peerCpu, idleName, loopback, receiveTimeoutNs);
    }
}
