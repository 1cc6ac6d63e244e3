package org.oobnet.harness.doctor;

import org.junit.jupiter.api.Test;
import org.oobnet.netns.testing.NetnsFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timestamping check asks the real kernel ({@code ETHTOOL_GET_TS_INFO}) in a namespace whose only interface
 * is a veth: software RX timestamps, no hardware ones, no PTP clock.
 */
class TimestampingCheckTest
{
    @Test
    void shouldReportSoftwareOnlyTimestampingOfVeth() throws Exception
    {
        try (NetnsFixture fixture = NetnsFixture.create(2))
        {
            final NetnsFixture.Host host = fixture.host(0);
            final CheckResult result = fixture.call(host, () -> new TimestampingCheck().run());
            assertEquals(Status.OK, result.status(), result.toString());
            assertTrue(result.detail().contains(host.interfaceName() + ": software RX only"), result.detail());
            assertTrue(!result.detail().contains("hardware RX"), result.detail());
        }
    }
}
