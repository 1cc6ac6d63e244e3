package org.oobnet.harness.doctor;

import java.nio.file.Path;

/**
 * The locked-memory limit ({@code ulimit -l}, {@code Max locked memory} of {@code /proc/self/limits}): locking
 * the rings and the JVM's memory keeps page faults, which stall the stage, out of the hot path.
 * <p>
 * <b>Note:</b> stateless.
 */
final class MemlockCheck implements Check
{
    /** Below this, even the rings of one interface at the default sizes cannot all be locked. */
    static final long MIN_BYTES = 64L << 20;

    @Override
    public String name()
    {
        return "memlock";
    }

    @Override
    public CheckResult run()
    {
        final long[] limit = SysFiles.read(Path.of("/proc/self/limits"))
            .map(text -> ProcInfo.limit(text, "Max locked memory"))
            .orElse(null);
        if (limit == null)
        {
            return CheckResult.warn(name(), "Max locked memory not found in /proc/self/limits",
                "check ulimit -l by hand: it should be unlimited");
        }
        final String detail = "ulimit -l: soft " + ProcInfo.bytes(limit[0]) + ", hard " + ProcInfo.bytes(limit[1]);
        if (limit[0] == ProcInfo.UNLIMITED || limit[0] >= MIN_BYTES)
        {
            return CheckResult.ok(name(), detail);
        }
        return CheckResult.warn(name(), detail + ": too small to lock ring and heap memory against page faults",
            "ulimit -l unlimited before starting (root), or LimitMEMLOCK=infinity in the systemd unit, or " +
            "'* - memlock unlimited' in /etc/security/limits.conf");
    }
}
