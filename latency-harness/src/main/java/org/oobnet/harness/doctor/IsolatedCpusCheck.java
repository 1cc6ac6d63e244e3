package org.oobnet.harness.doctor;

import java.nio.file.Path;

import org.oobnet.config.CpuTopology;

/**
 * Whether the stage's CPU is isolated from the scheduler ({@code isolcpus=}, listed in
 * {@code /sys/devices/system/cpu/isolated}). Without it other tasks share the CPU and latency tails grow; runs
 * are then marked {@code noisol}, as latmus does.
 * <p>
 * <b>Note:</b> stateless.
 */
final class IsolatedCpusCheck implements Check
{
    private final CpuTopology topology;
    private final int stageCpu;

    IsolatedCpusCheck(final CpuTopology topology, final int stageCpu)
    {
        this.topology = topology;
        this.stageCpu = stageCpu;
    }

    @Override
    public String name()
    {
        return "isolated cpus";
    }

    @Override
    public CheckResult run()
    {
        final String isolcpus = KernelCmdline.parse(SysFiles.readOr(Path.of("/proc/cmdline"), ""))
            .get("isolcpus").map(value -> " (isolcpus=" + value + ")").orElse("");
        final String isolated = topology.isolated().isEmpty() ? "none" : topology.isolated() + isolcpus;
        final String detail = isolated + "; the stage runs on CPU " + stageCpu;
        if (topology.isolated().contains(stageCpu))
        {
            return CheckResult.ok(name(), detail + " (isolated)");
        }
        if (topology.isolated().isEmpty())
        {
            return CheckResult.warn(name(), detail + ", shared with other tasks (noisol)",
                "boot with isolcpus=" + stageCpu + " (and nohz_full=" + stageCpu + " rcu_nocbs=" + stageCpu +
                ") on the kernel command line");
        }
        return CheckResult.warn(name(), detail + ", which is not isolated (noisol)",
            "set stage.cpu to an isolated CPU (" + topology.isolated() + "), or leave it \"auto\"");
    }
}
