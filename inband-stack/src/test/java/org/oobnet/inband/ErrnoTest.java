package org.oobnet.inband;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrnoTest
{
    @Test
    void shouldNameEveryErrnoWhenPositiveOrNegative()
    {
        assertEquals("EAGAIN", Errno.name(Errno.EWOULDBLOCK));
        assertEquals("EAGAIN", Errno.name(-11));
        assertEquals("Resource temporarily unavailable", Errno.message(-Errno.EAGAIN));
        assertEquals("EINPROGRESS", Errno.name(115));
        assertEquals("ENOIOCTLCMD", Errno.name(-OobHooks.ENOIOCTLCMD));
        assertEquals("EOPNOTSUPP", Errno.name(Errno.ENOTSUP));
        assertEquals("E9999", Errno.name(9999));
        assertEquals("Unknown error 9999", Errno.message(9999));
        for (int errno = 1; errno <= 133; errno++)
        {
            if (41 != errno && 58 != errno)
            {
                assertTrue(Errno.isKnown(errno), "errno=" + errno);
            }
        }
    }

    @Test
    void shouldTellErrorResultsFromCountsAndAddresses()
    {
        assertTrue(Errno.isError(-Errno.EAGAIN));
        assertTrue(Errno.isError(-4095));
        assertFalse(Errno.isError(-4096));
        assertFalse(Errno.isError(0));
        assertFalse(Errno.isError(0x7f00_0000_0000L));
    }

    @Test
    void shouldCarryOperationErrnoAndDetailWhenThrown()
    {
        final ErrnoException ex = new ErrnoException("sendto", -Errno.EMSGSIZE, "length=70000");
        assertEquals("sendto: EMSGSIZE (Message too long) length=70000", ex.getMessage());
        assertEquals(Errno.EMSGSIZE, ex.errno());
        assertEquals("EMSGSIZE", ex.errnoName());
        assertEquals("sendto", ex.operation());
    }
}
