package org.oobnet.udp;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.oobnet.config.UdpTransport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UdpStackConfigTest
{
    @Test
    void shouldReportEveryProblemTogetherWhenSettingsAreInvalid()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new UdpStackConfig(UdpTransport.KERNEL, List.of(), 0, 0, true, 5));
        assertEquals("invalid UdpStackConfig: kernelBatch=0 must be 1..1024; rxPollLimit=0 must be at least 1;" +
            " refreshIntervalMs=5 must be at least 10;", ex.getMessage());
    }

    @Test
    void shouldNameInterfacesWithDefaultGeometry()
    {
        final UdpStackConfig config = UdpStackConfig.of(UdpTransport.PACKET, "veth0", "veth1");
        assertEquals(UdpTransport.PACKET, config.transport());
        assertEquals(2, config.interfaces().size());
        assertEquals("veth1", config.interfaces().get(1).name());
        assertEquals(UdpStackConfig.DEFAULT_KERNEL_BATCH, config.kernelBatch());
    }
}
