package org.oobnet.harness.doctor;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The kernel release and build: TPACKET_V2 rings need 2.6.31, {@code PACKET_QDISC_BYPASS} 3.14; a PREEMPT_RT
 * kernel is reported but not required.
 * <p>
 * <b>Note:</b> stateless.
 */
final class KernelCheck implements Check
{
    /** 3.14: the first kernel with {@code PACKET_QDISC_BYPASS}. */
    static final long MIN_VERSION = 3_014;

    @Override
    public String name()
    {
        return "kernel";
    }

    @Override
    public CheckResult run()
    {
        final String release = SysFiles.read(Path.of("/proc/sys/kernel/osrelease"))
            .orElse(System.getProperty("os.version"));
        final String build = SysFiles.readOr(Path.of("/proc/sys/kernel/version"), "");
        final boolean realtime = "1".equals(SysFiles.readOr(Path.of("/sys/kernel/realtime"), "0"));
        final String detail = System.getProperty("os.name") + " " + release + " " + System.getProperty("os.arch") +
            (build.isEmpty() ? "" : ", " + build) + (realtime ? ", PREEMPT_RT" : "");
        final OptionalLong version = ProcInfo.kernelVersion(release);
        if (!"Linux".equals(System.getProperty("os.name")))
        {
            return CheckResult.fail(name(), detail, "run on Linux: the OOB path uses AF_PACKET PACKET_MMAP rings");
        }
        if (version.isPresent() && version.getAsLong() < MIN_VERSION)
        {
            return CheckResult.fail(name(), detail, "upgrade to Linux 3.14 or newer (PACKET_QDISC_BYPASS)");
        }
        return CheckResult.ok(name(), detail);
    }
}
