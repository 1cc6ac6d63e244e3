package org.oobnet.harness.doctor;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The frequency governor of the stage's CPU: anything but {@code performance} lets the clock drop between
 * packets and adds ramp-up time to the next one. Virtual machines often have no cpufreq at all.
 * <p>
 * <b>Note:</b> stateless.
 */
final class GovernorCheck implements Check
{
    private final int stageCpu;

    GovernorCheck(final int stageCpu)
    {
        this.stageCpu = stageCpu;
    }

    @Override
    public String name()
    {
        return "cpu governor";
    }

    @Override
    public CheckResult run()
    {
        final Path cpufreq = Path.of("/sys/devices/system/cpu/cpu" + stageCpu + "/cpufreq");
        final Path governorFile = cpufreq.resolve("scaling_governor");
        if (!Files.isDirectory(cpufreq))
        {
            return CheckResult.ok(name(), "no cpufreq on CPU " + stageCpu +
                " (fixed frequency, or a virtual machine: the host decides)");
        }
        final String governor = SysFiles.read(governorFile).orElse("");
        if (governor.isEmpty())
        {
            return CheckResult.ok(name(), "CPU " + stageCpu + ": " + governorFile + " not readable");
        }
        final String driver = SysFiles.readOr(cpufreq.resolve("scaling_driver"), "unknown driver");
        final String detail = "CPU " + stageCpu + ": " + governor + " (" + driver + ")";
        if ("performance".equals(governor))
        {
            return CheckResult.ok(name(), detail);
        }
        return CheckResult.warn(name(), detail,
            "cpupower -c " + stageCpu + " frequency-set -g performance (or echo performance > " + governorFile + ")");
    }
}
