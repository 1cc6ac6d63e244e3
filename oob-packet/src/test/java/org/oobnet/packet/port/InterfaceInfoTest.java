package org.oobnet.packet.port;

import java.net.NetworkInterface;

import org.junit.jupiter.api.Test;
import org.oobnet.inband.ErrnoException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link InterfaceInfo#indexOf(String)}, the public form callers outside the runtime use: the kernel's index of an
 * interface, and a missing one refused with an error naming it.
 */
class InterfaceInfoTest
{
    @Test
    void shouldGiveTheKernelsIndexOfAnInterface() throws Exception
    {
        assertEquals(NetworkInterface.getByName("lo").getIndex(), InterfaceInfo.indexOf("lo"));
    }

    @Test
    void shouldNameAMissingInterface()
    {
        final ErrnoException ex = assertThrows(ErrnoException.class, () -> InterfaceInfo.indexOf("oobnone0"));
        assertEquals("ENODEV", ex.errnoName());
        assertTrue(ex.getMessage().contains("interface=oobnone0"), ex.getMessage());
    }
}
