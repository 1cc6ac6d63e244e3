package org.oobnet.harness.doctor;

import java.nio.file.Path;

import org.oobnet.config.CpuTopology;

/**
 * Whether the stage's CPU runs without the periodic tick ({@code nohz_full=}): with a single busy thread the
 * tick is the main remaining interruption. Read from the kernel command line and
 * {@code /sys/devices/system/cpu/nohz_full}.
 * <p>
 * <b>Note:</b> stateless.
 */
final class NohzFullCheck implements Check
{
    private final CpuTopology topology;
    private final int stageCpu;

    NohzFullCheck(final CpuTopology topology, final int stageCpu)
    {
        this.topology = topology;
        this.stageCpu = stageCpu;
    }

    @Override
    public String name()
    {
        return "nohz_full";
    }

    @Override
    public CheckResult run()
    {
        final KernelCmdline cmdline = KernelCmdline.parse(SysFiles.readOr(Path.of("/proc/cmdline"), ""));
        final String parameter = cmdline.get("nohz_full").map(value -> "nohz_full=" + value)
            .orElse("no nohz_full= on the kernel command line");
        final boolean supported = java.nio.file.Files.exists(CpuTopology.NOHZ_FULL);
        final String detail = parameter + "; tickless CPUs: " +
            (supported ? (topology.nohzFull().isEmpty() ? "none" : topology.nohzFull().toString()) :
                "unknown (kernel without CONFIG_NO_HZ_FULL)");
        if (topology.nohzFull().contains(stageCpu))
        {
            return CheckResult.ok(name(), detail + "; the stage's CPU " + stageCpu + " is tickless");
        }
        return CheckResult.warn(name(), detail + "; the stage's CPU " + stageCpu + " takes the tick",
            supported ?
                "boot with nohz_full=" + stageCpu + " rcu_nocbs=" + stageCpu :
                "use a kernel built with CONFIG_NO_HZ_FULL and boot with nohz_full=" + stageCpu);
    }
}
