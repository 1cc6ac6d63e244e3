package org.oobnet.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * Chooses the OOB stage's CPU as DESIGN.md says: the configured one, else an isolated CPU (the last listed in
 * {@code /sys/devices/system/cpu/isolated}), else the last online CPU; and whether it is isolated (latmus reports
 * {@code noisol} when it is not).
 * <p>
 * <b>Note:</b> in-band only; reads sysfs.
 */
public final class StageCpu
{
    private static final Path ISOLATED = Path.of("/sys/devices/system/cpu/isolated");
    private static final Path ONLINE = Path.of("/sys/devices/system/cpu/online");

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
        final BitSet isolatedCpus = readCpuList(ISOLATED);
        if (configuredCpu >= 0)
        {
            return new StageCpu(configuredCpu, isolatedCpus.get(configuredCpu));
        }
        if (!isolatedCpus.isEmpty())
        {
            return new StageCpu(isolatedCpus.length() - 1, true);
        }
        final BitSet online = readCpuList(ONLINE);
        final int last = online.isEmpty() ? Runtime.getRuntime().availableProcessors() - 1 : online.length() - 1;
        return new StageCpu(last, false);
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

    /**
     * Parses a kernel CPU list ({@code "0-2,5,7-8"}); an empty or missing file is an empty set.
     *
     * @param file the sysfs file.
     * @return the CPUs listed.
     */
    static BitSet readCpuList(final Path file)
    {
        try
        {
            return parseCpuList(Files.readString(file));
        }
        catch (final IOException | RuntimeException ex)
        {
            return new BitSet();
        }
    }

    /**
     * @param list a kernel CPU list ({@code "0-2,5"}).
     * @return the CPUs listed.
     * @throws IllegalArgumentException naming the bad element.
     */
    public static BitSet parseCpuList(final String list)
    {
        final BitSet cpus = new BitSet();
        final String trimmed = list.trim();
        if (trimmed.isEmpty())
        {
            return cpus;
        }
        for (final String part : trimmed.split(","))
        {
            final String p = part.trim();
            try
            {
                final int dash = p.indexOf('-');
                if (dash < 0)
                {
                    cpus.set(Integer.parseInt(p));
                }
                else
                {
                    cpus.set(Integer.parseInt(p.substring(0, dash)), Integer.parseInt(p.substring(dash + 1)) + 1);
                }
            }
            catch (final RuntimeException ex)
            {
                throw new IllegalArgumentException("cpuList=" + list.trim() + ": element=" + p + " is not a CPU or range");
            }
        }
        return cpus;
    }
}
