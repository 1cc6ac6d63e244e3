package org.oobnet.udp;

import org.junit.jupiter.api.Test;
import org.oobnet.config.UdpTransport;

/**
 * The stage allocates nothing in steady state while it echoes datagrams over the kernel transport with per-send
 * transmit timestamps on (read off the error queue); see {@link TxTimestampStageAllocationTest}.
 */
class KernelTxTimestampStageAllocationTest
{
    @Test
    void shouldNotAllocateOnStageWhenReportingTxTimestampsOverKernelTransport() throws Exception
    {
        TxTimestampStageAllocationTest.assertStageAllocatesNothingWithTxTimestamps(UdpTransport.KERNEL);
    }
}
