package org.oobnet.config;

import java.util.Objects;

/**
 * Settings of the OOB stage: where it runs, how it idles, when a duty cycle counts as a stall.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param cpu              the CPU to pin the stage to, or {@link #CPU_AUTO}.
 * @param idleStrategy     what the stage does when a duty cycle found no work.
 * @param stallThresholdNs a duty cycle longer than this counts as a stall.
 */
public record StageConfig(int cpu, IdleStrategyType idleStrategy, long stallThresholdNs)
{
    /** The value of {@link #cpu()} meaning "pick one": see {@link CpuTopology#autoCpu()}. */
    public static final int CPU_AUTO = -1;

    /**
     * Checks the components that no loader can get wrong; values are validated by {@link ConfigLoader}.
     *
     * @param cpu              the CPU to pin the stage to, or {@link #CPU_AUTO}.
     * @param idleStrategy     what the stage does when a duty cycle found no work.
     * @param stallThresholdNs a duty cycle longer than this counts as a stall.
     */
    public StageConfig
    {
        Objects.requireNonNull(idleStrategy, "idleStrategy");
    }

    /**
     * The CPU the stage runs on on this machine.
     *
     * @param topology this machine's CPUs.
     * @return {@link #cpu()}, or the automatic pick when it is {@link #CPU_AUTO}.
     */
    public int resolveCpu(final CpuTopology topology)
    {
        return cpu == CPU_AUTO ? topology.autoCpu() : cpu;
    }

    /**
     * A copy with another CPU.
     *
     * @param cpu the CPU, or {@link #CPU_AUTO}.
     * @return the copy.
     */
    public StageConfig withCpu(final int cpu)
    {
        return new StageConfig(cpu, idleStrategy, stallThresholdNs);
    }

    /**
     * A copy with another idle strategy.
     *
     * @param idleStrategy the strategy.
     * @return the copy.
     */
    public StageConfig withIdleStrategy(final IdleStrategyType idleStrategy)
    {
        return new StageConfig(cpu, idleStrategy, stallThresholdNs);
    }
}
