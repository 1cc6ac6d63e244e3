package org.oobnet.harness.doctor;

import java.nio.file.Path;

import org.oobnet.config.CpuTopology;

/**
 * The CPUs: how many are online and usable by this process, and their model. The OOB stage spins on a CPU of
 * its own, so one usable CPU is a warning.
 * <p>
 * <b>Note:</b> stateless.
 */
final class CpuCheck implements Check
{
    private final CpuTopology topology;

    CpuCheck(final CpuTopology topology)
    {
        this.topology = topology;
    }

    @Override
    public String name()
    {
        return "cpus";
    }

    @Override
    public CheckResult run()
    {
        final String model = SysFiles.read(Path.of("/proc/cpuinfo"))
            .flatMap(ProcInfo::cpuModel)
            .orElse(System.getProperty("os.arch") + " (model not in /proc/cpuinfo)");
        final int usable = topology.online().intersect(topology.allowed()).size();
        final String detail = topology.online().size() + " online (" + topology.online() + "), " + usable +
            " usable by this process (" + topology.allowed() + "): " + model;
        if (usable < 2)
        {
            return CheckResult.warn(name(), detail,
                "give the process at least 2 CPUs (taskset/cgroup cpuset): the stage spins on one, the rest of " +
                "the JVM needs another");
        }
        return CheckResult.ok(name(), detail);
    }
}
