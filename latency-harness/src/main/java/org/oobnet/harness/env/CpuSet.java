package org.oobnet.harness.env;

import java.util.BitSet;

import org.oobnet.config.CpuList;
import org.oobnet.config.CpuTopology;

/**
 * The default placement of a run's two sides on this machine's CPUs ({@link CpuTopology}): isolated CPUs first,
 * else the last CPUs (CPU 0 usually takes the most interrupts).
 * <p>
 * <b>Note:</b> stateless, thread safe; each call reads the topology again.
 */
public final class CpuSet
{
    private CpuSet()
    {
    }

    /**
     * @param cpu a CPU number, or -1.
     * @return whether it is isolated.
     */
    public static boolean isIsolated(final int cpu)
    {
        return CpuTopology.read().isolated().contains(cpu);
    }

    /**
     * The default CPU of the measuring side: the first isolated CPU, else the last online CPU.
     *
     * @return a CPU number.
     */
    public static int defaultCpu()
    {
        final CpuTopology topology = CpuTopology.read();
        final CpuList isolated = topology.isolated();
        return isolated.isEmpty() ? topology.online().last() : isolated.toArray()[0];
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
        final CpuTopology topology = CpuTopology.read();
        for (final int c : topology.isolated().toArray())
        {
            if (c != cpu)
            {
                return c;
            }
        }
        final CpuList online = topology.online();
        for (int c = cpu - 1; c >= 0; c--)
        {
            if (online.contains(c))
            {
                return c;
            }
        }
        final int last = online.last();
        return last != cpu && last >= 0 ? last : cpu;
    }

    /**
     * @return the online CPUs, as a set the caller may edit.
     */
    public static BitSet online()
    {
        final BitSet cpus = new BitSet();
        for (final int c : CpuTopology.read().online().toArray())
        {
            cpus.set(c);
        }
        return cpus;
    }

    /**
     * @param cpus a set of CPUs.
     * @return the list taskset and the kernel take, ranges collapsed as the kernel writes them: {@code 0-2,5}.
     */
    public static String format(final BitSet cpus)
    {
        return CpuList.of(cpus.stream().toArray()).toString();
    }
}
