package org.oobnet.harness.doctor;

import org.oobnet.config.CpuTopology;

/** Whether this test process may create namespaces and veth pairs. */
final class Privilege
{
    private Privilege()
    {
    }

    static boolean held()
    {
        return CpuTopology.readStatusField(CpuTopology.PROC_SELF_STATUS, "CapEff")
            .map(Capabilities::decode)
            .map(caps -> caps.has(Capabilities.CAP_NET_ADMIN) && caps.has(Capabilities.CAP_SYS_ADMIN) &&
                caps.has(Capabilities.CAP_NET_RAW))
            .orElse(false);
    }
}
