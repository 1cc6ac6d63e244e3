package org.oobnet.harness.doctor;

import java.nio.file.Path;
import java.util.Set;

/**
 * The clock source behind {@code System.nanoTime()}: the stage reads it every duty cycle, and hpet or acpi_pm
 * make each read a slow device access instead of a vDSO read.
 * <p>
 * <b>Note:</b> stateless.
 */
final class ClocksourceCheck implements Check
{
    private static final Path CLOCKSOURCE = Path.of("/sys/devices/system/clocksource/clocksource0");
    private static final Set<String> FAST = Set.of("tsc", "kvm-clock", "arch_sys_counter", "hyperv_clocksource_tsc_page",
        "xen", "riscv_clocksource", "timebase");

    @Override
    public String name()
    {
        return "clocksource";
    }

    @Override
    public CheckResult run()
    {
        final String current = SysFiles.read(CLOCKSOURCE.resolve("current_clocksource")).orElse(null);
        if (current == null)
        {
            return CheckResult.ok(name(), "not readable: " + CLOCKSOURCE.resolve("current_clocksource"));
        }
        final String available = SysFiles.readOr(CLOCKSOURCE.resolve("available_clocksource"), "?");
        final String detail = current + " (available: " + available + ")";
        if (FAST.contains(current))
        {
            return CheckResult.ok(name(), detail);
        }
        return CheckResult.warn(name(), detail + ": System.nanoTime() is slow with it",
            "echo tsc > " + CLOCKSOURCE.resolve("current_clocksource") + " if tsc is available, or boot with " +
            "clocksource=tsc tsc=reliable");
    }
}
