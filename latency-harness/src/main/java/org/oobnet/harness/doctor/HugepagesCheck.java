package org.oobnet.harness.doctor;

import java.nio.file.Path;

/**
 * Transparent huge pages: with {@code always}, khugepaged collapses pages in the background and allocations may
 * stop for compaction, both visible as latency spikes. {@code madvise} or {@code never} are fine.
 * <p>
 * <b>Note:</b> stateless.
 */
final class HugepagesCheck implements Check
{
    private static final Path THP = Path.of("/sys/kernel/mm/transparent_hugepage");

    @Override
    public String name()
    {
        return "transparent hugepages";
    }

    @Override
    public CheckResult run()
    {
        final String enabled = SysFiles.read(THP.resolve("enabled")).flatMap(ProcInfo::bracketed).orElse(null);
        if (enabled == null)
        {
            return CheckResult.ok(name(), "not available (kernel without CONFIG_TRANSPARENT_HUGEPAGE)");
        }
        final String defrag = SysFiles.read(THP.resolve("defrag")).flatMap(ProcInfo::bracketed).orElse("unknown");
        final String detail = "enabled=" + enabled + ", defrag=" + defrag;
        if ("always".equals(enabled) || "always".equals(defrag))
        {
            return CheckResult.warn(name(), detail + ": background collapsing and compaction stalls",
                "echo madvise > " + THP.resolve("enabled") + "; echo madvise > " + THP.resolve("defrag") +
                " (or boot with transparent_hugepage=madvise)");
        }
        return CheckResult.ok(name(), detail);
    }
}
