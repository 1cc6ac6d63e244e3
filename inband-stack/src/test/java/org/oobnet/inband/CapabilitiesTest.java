package org.oobnet.inband;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapabilitiesTest
{
    @Test
    void shouldHoldNetworkCapabilitiesWhenMaskIsRootsFullSet()
    {
        final Capabilities all = Capabilities.decode("000001fffeffffff");

        assertTrue(all.has(Capabilities.CAP_NET_ADMIN));
        assertTrue(all.has(Capabilities.CAP_NET_RAW));
        assertTrue(all.has(Capabilities.CAP_SYS_ADMIN));
        assertFalse(all.has(24), "bit 24 (CAP_SYS_RESOURCE) is clear in this mask");
        assertFalse(all.has(64));
        assertFalse(all.has(-1));
        assertEquals("000001fffeffffff", all.toString());
    }

    @Test
    void shouldHoldOnlyNetRawWhenOnlyBit13IsSet()
    {
        final Capabilities raw = Capabilities.fromStatus(List.of("Name:\tjava", "CapInh:\t0000000000000000",
            "CapEff:\t0000000000002000", "CapBnd:\t000001ffffffffff"));

        assertTrue(raw.has(Capabilities.CAP_NET_RAW));
        assertFalse(raw.has(Capabilities.CAP_NET_ADMIN));
        assertFalse(raw.has(Capabilities.CAP_SYS_ADMIN));
        assertEquals(0x2000L, raw.bits());
    }

    @Test
    void shouldNameWhatIsWrongWhenMaskOrLineIsBad()
    {
        assertEquals("capability mask=\"12g4\" is not 1 to 16 hex digits",
            assertThrows(IllegalArgumentException.class, () -> Capabilities.decode(" 12g4\n")).getMessage());
        assertEquals("capability mask=\"\" is not 1 to 16 hex digits",
            assertThrows(IllegalArgumentException.class, () -> Capabilities.decode("")).getMessage());
        assertEquals("capability mask=\"00000000000000000\" is not 1 to 16 hex digits",
            assertThrows(IllegalArgumentException.class, () -> Capabilities.decode("00000000000000000")).getMessage());
        assertEquals("no CapEff line in the process status",
            assertThrows(IllegalArgumentException.class,
                () -> Capabilities.fromStatus(List.of("CapPrm:\t0000000000002000"))).getMessage());
    }

    @Test
    void shouldNameNetworkCapabilitiesAndNumberOthers()
    {
        assertEquals("CAP_NET_ADMIN", Capabilities.name(12));
        assertEquals("CAP_NET_RAW", Capabilities.name(13));
        assertEquals("CAP_SYS_ADMIN", Capabilities.name(21));
        assertEquals("CAP_7", Capabilities.name(7));
    }

    @Test
    void shouldAgreeWithKernelAboutNetRawWhenOpeningPacketSocket() throws Exception
    {
        boolean kernelAllows = true;
        try
        {
            KSocket.socket(SocketConstants.AF_PACKET, SocketConstants.SOCK_RAW, 0).close();
        }
        catch (final ErrnoException ex)
        {
            assertEquals(Errno.EPERM, ex.errno(), ex.getMessage());
            kernelAllows = false;
        }

        assertEquals(kernelAllows, Capabilities.effective().has(Capabilities.CAP_NET_RAW),
            "CapEff=" + Capabilities.effective());
    }
}
