package org.oobnet.harness.latency.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * CPU lists as the kernel writes them ({@code 0-3,6}), the online and isolated CPUs, and the default placement of a
 * run's two sides: isolated CPUs first, else the last CPUs (CPU 0 usually takes the most interrupts).
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
public final class CpuSet
{
    private static final Path ONLINE = Path.of("/sys/devices/system/cpu/online");
    private static final Path ISOLATED = Path.of("/sys/devices/system/cpu/isolated");

    private CpuSet()
    {
    }

    /**
     * @param list e.g. {@code "0-3,6"}, blank for none.
     * @return the CPUs.
     * @throws IllegalArgumentException naming the malformed part.
     */
    public static BitSet parse(final String list)
    {
        final BitSet cpus = new BitSet();
        final String trimmed = list.trim();
        if (trimmed.isEmpty())
        {
            return cpus;
        }
        for (final String part : trimmed.split(","))
        {
            try
            {
                final int dash = part.indexOf('-');
                if (dash < 0)
                {
                    cpus.set(Integer.parseInt(part.trim()));
                }
                else
                {
                    cpus.set(Integer.parseInt(part.substring(0, dash).trim()),
                        Integer.parseInt(part.substring(dash + 1).trim()) + 1);
                }
            }
            catch (final NumberFormatException | IndexOutOfBoundsException ex)
            {
                throw new IllegalArgumentException("cpu list=\"" + list + "\" has a malformed part \"" + part + "\"");
            }
        }
        return cpus;
    }

    /**
     * @return the online CPUs (all of {@code availableProcessors} when sysfs cannot be read).
     */
    public static BitSet online()
    {
        final BitSet cpus = read(ONLINE);
        if (cpus.isEmpty())
        {
            cpus.set(0, Runtime.getRuntime().availableProcessors());
        }
        return cpus;
    }

    /**
     * @return the CPUs isolated from the scheduler ({@code isolcpus=}), possibly none.
     */
    public static BitSet isolated()
    {
        return read(ISOLATED);
    }

    /**
     * @param cpu a CPU number, or -1.
     * @return whether it is isolated.
     */
    public static boolean isIsolated(final int cpu)
    {
        return cpu >= 0 && isolated().get(cpu);
    }

    /**
     * The default CPU of the measuring side: the first isolated CPU, else the last online CPU.
     *
     * @return a CPU number.
     */
    public static int defaultCpu()
    {
        final BitSet isolated = isolated();
        return isolated.isEmpty() ? online().length() - 1 : isolated.nextSetBit(0);
    }

    /**
     * The default CPU of the reflecting side: another isolated CPU, else the online CPU before {@code cpu}
     * (wrapping), else {@code cpu} itself on a one-CPU machine.
     *
     * @param cpu the measuring side's CPU.
     * @return a CPU number.
     */
    public static int defaultPeerCpu(final int cpu)
    {
        final BitSet isolated = isolated();
        for (int c = isolated.nextSetBit(0); c >= 0; c = isolated.nextSetBit(c + 1))
        {
            if (c != cpu)
            {
                return c;
            }
        }
        final BitSet online = online();
        for (int c = cpu - 1; c >= 0; c--)
        {
            if (online.get(c))
            {
                return c;
            }
        }
        final int last = online.length() - 1;
        return last != cpu && last >= 0 ? last : cpu;
    }

    /**
     * @param cpus a set of CPUs.
     * @return the list taskset and the kernel take, e.g. {@code 0,2,3}.
     */
    public static String format(final BitSet cpus)
    {
        final StringBuilder sb = new StringBuilder();
        for (int c = cpus.nextSetBit(0); c >= 0; c = cpus.nextSetBit(c + 1))
        {
            if (sb.length() > 0)
            {
                sb.append(',');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static BitSet read(final Path file)
    {
        try
        {
            return parse(Files.readString(file));
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            return new BitSet();
        }
    }
}
