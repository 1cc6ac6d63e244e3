package org.oobnet.harness.doctor;

import org.oobnet.config.CpuTopology;

/**
 * Whether this process holds a capability the OOB path needs, decoded from {@code CapEff} of
 * {@code /proc/self/status}.
 * <p>
 * <b>Note:</b> stateless.
 */
final class CapabilityCheck implements Check
{
    private final int capability;
    private final String capabilityName;
    private final String neededFor;

    /**
     * A check of one capability.
     *
     * @param capability     its number, such as {@link Capabilities#CAP_NET_RAW}.
     * @param capabilityName such as {@code CAP_NET_RAW}.
     * @param neededFor      what the OOB path uses it for.
     */
    CapabilityCheck(final int capability, final String capabilityName, final String neededFor)
    {
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
        return CheckResult.fail(name(), detail,
            "run as root with its capabilities (a container needs --cap-add=" + capabilityName.substring(4) +
            "), or grant them to java: sudo setcap cap_net_raw,cap_net_admin+ep $(readlink -f $JAVA_HOME/bin/java)");
    }
}
