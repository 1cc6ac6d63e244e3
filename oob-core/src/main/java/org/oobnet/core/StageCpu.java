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
        final CpuTopology topology = CpuTopology.read();
        final int cpu = configuredCpu >= 0 ? configuredCpu : topology.autoCpu();
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
