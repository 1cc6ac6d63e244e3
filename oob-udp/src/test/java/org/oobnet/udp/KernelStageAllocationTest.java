package org.oobnet.udp;

import org.junit.jupiter.api.Test;
import org.oobnet.config.UdpTransport;

/**
 * The stage allocates nothing in steady state while echoing traffic over the kernel busy-poll transport (see
 * {@link UdpStageAllocationTest}; a class of its own for a JVM of its own).
 */
class KernelStageAllocationTest
{
    @Test
    void shouldNotAllocateOnStageWhenEchoingTrafficOverKernelTransport() throws Exception
    {
        UdpStageAllocationTest.assertStageAllocatesNothing(UdpTransport.KERNEL);
    }

    @Test
    void shouldNotAllocateOnStageWhenEchoingTrafficOnConnectedSocketOverKernelTransport() throws Exception
    {
        // connected: the stage reads the socket's error queue too (IP_RECVERR)
        UdpStageAllocationTest.assertStageAllocatesNothing(UdpTransport.KERNEL, true);
    }
}
