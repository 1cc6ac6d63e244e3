package org.oobnet.inband;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_INET;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;

/**
 * {@link InterfaceTimestamping#query} against the kernel: loopback reports the kernel's software stamps and no PTP
 * clock (its driver answers with {@code ethtool_op_get_ts_info}); a missing interface or a bad name is an errno.
 */
class InterfaceTimestampingTest
{
    @Test
    void shouldReportSoftwareRxOnlyWhenAskedAboutLoopback() throws Exception
    {
        try (KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            final InterfaceTimestamping lo = InterfaceTimestamping.query(socket, "lo");
            assertEquals("lo", lo.interfaceName());
            assertTrue(lo.softwareRx(), lo.toString());
            assertFalse(lo.hardwareRx(), lo.toString());
            assertEquals(-1, lo.phcIndex(), lo.toString());
        }
    }

    @Test
    void shouldFailWithTheErrnoWhenTheInterfaceIsMissingOrItsNameBad() throws Exception
    {
        try (KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            assertEquals(Errno.ENODEV, assertThrows(ErrnoException.class,
                () -> InterfaceTimestamping.query(socket, "nosuchif0")).errno());
            assertEquals("ETHTOOL_GET_TS_INFO: EINVAL (Invalid argument) interface=0123456789abcdef must have 1..15 " +
                "characters", assertThrows(ErrnoException.class,
                () -> InterfaceTimestamping.query(socket, "0123456789abcdef")).getMessage());
        }
    }
}
