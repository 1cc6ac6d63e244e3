package org.oobnet.core;

import org.oobnet.config.CpuTopology;

/**
 * Chooses the OOB stage's CPU: the configured one, else {@link CpuTopology#autoCpu()} (the highest isolated CPU
 * this process may use, else the highest it may use); and whether it is isolated (latmus reports {@code noisol}
 * when it is not).
 * <p>
 * <b>Note:</b> in-band only; reads sysfs.
 */
public final class StageCpu
{
    private final int cpu;
    private final boolean isolated;

    private StageCpu(final int cpu, final boolean isolated)
    {
        this.cpu = cpu;
        this.isolated = isolated;
    }

    /**
     * @param configuredCpu the configured CPU, or {@link OobConfig#CPU_AUTO}.
     * @return the CPU to pin the stage to and whether it is isolated.
     */
    public static StageCpu choose(final int configuredCpu)
    {
        return choose(configuredCpu, java.util.Set.of());
    }

    /**
     * @param configuredCpu the configured CPU, or {@link OobConfig#CPU_AUTO}.
     * @param taken         the CPUs other stages of the runtime took (an auto stage avoids them).
     * @return the CPU to pin the stage to and whether it is isolated.
     */
    public static StageCpu choose(final int configuredCpu, final java.util.Set<Integer> taken)
    {
        final CpuTopology topology = CpuTopology.read();
        final int cpu = configuredCpu >= 0 ? configuredCpu :
            taken.isEmpty() ? topology.autoCpu() : topology.autoCpuExcept(taken);
        return new StageCpu(cpu, topology.isolated().contains(cpu));
    }

    /** @return the CPU. */
    public int cpu()
    {
        return cpu;
    }

    /** @return true when the CPU is isolated ({@code isolcpus}). */
    public boolean isolated()
    {
        return isolated;
    }
}
