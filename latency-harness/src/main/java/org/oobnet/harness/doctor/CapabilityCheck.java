package org.oobnet.harness.doctor;

import org.oobnet.inband.Capabilities;

import org.oobnet.config.CpuTopology;

/**
 * Whether this process holds a capability a feature needs, decoded from {@code CapEff} of
 * {@code /proc/self/status}. A capability the runtime itself needs fails the check when missing; one needed only
 * by some commands (making namespaces and links) warns, so that a least-privilege runtime passes.
 * <p>
 * <b>Note:</b> stateless.
 */
final class CapabilityCheck implements Check
{
    private final int capability;
    private final String capabilityName;
    private final String neededFor;
    private final boolean requiredByRuntime;

    /**
     * A check of one capability.
     *
     * @param capability     its number, such as {@link Capabilities#CAP_NET_RAW}.
     * @param capabilityName such as {@code CAP_NET_RAW}.
     * @param neededFor      which features use it.
     * @param requiredByRuntime true when the runtime's OOB path cannot work without it (FAIL), false when only
     *                       some commands need it (WARN).
     */
    CapabilityCheck(
        final int capability, final String capabilityName, final String neededFor, final boolean requiredByRuntime)
    {
        this.requiredByRuntime = requiredByRuntime;
        this.capability = capability;
        this.capabilityName = capabilityName;
        this.neededFor = neededFor;
    }

    @Override
    public String name()
    {
        return capabilityName;
    }

    @Override
    public CheckResult run()
    {
        final String capEff = CpuTopology.readStatusField(CpuTopology.PROC_SELF_STATUS, "CapEff").orElse(null);
        if (capEff == null)
        {
            return CheckResult.fail(name(), "CapEff not found in " + CpuTopology.PROC_SELF_STATUS,
                "run on Linux with /proc mounted");
        }
        final Capabilities effective = Capabilities.decode(capEff);
        final String detail = "CapEff " + capEff + (effective.has(capability) ? " holds " : " lacks ") +
            capabilityName + " (" + neededFor + ")";
        if (effective.has(capability))
        {
            return CheckResult.ok(name(), detail);
        }
        final String lower = capabilityName.substring(4).toLowerCase(java.util.Locale.ROOT);
        final String fix = "run as root (a container needs --cap-add=" + capabilityName.substring(4) +
            "), or without root: give it as an ambient capability (sudo setpriv --reuid=$(id -u) --regid=$(id -g) " +
            "--init-groups --inh-caps=+" + lower + " --ambient-caps=+" + lower + " ./oobnet ...), or to a copy of " +
            "java (sudo setcap cap_" + lower + "+ep COPY_OF_JAVA; see docs/least-privilege.md)";
        return requiredByRuntime ? CheckResult.fail(name(), detail, fix) : CheckResult.warn(name(), detail, fix);
    }
}
