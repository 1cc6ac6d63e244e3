package org.oobnet.inband;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_INET;
import static org.oobnet.inband.SocketConstants.AF_OOB;
import static org.oobnet.inband.SocketConstants.SOCK_CLOEXEC;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_NONBLOCK;
import static org.oobnet.inband.SocketConstants.SOCK_OOB;
import static org.oobnet.inband.SocketConstants.SOCK_STREAM;

class KSocketLifecycleTest
{
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void shouldCreateBindAndCloseUdpSocket() throws Exception
    {
        final KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        assertTrue(socket.fd() >= 0);
        assertEquals(AF_INET, socket.family());
        assertEquals(SOCK_DGRAM, socket.type());
        assertFalse(socket.isOob());
        assertFalse(socket.isNonBlocking());
        socket.bind(ANY_LOOPBACK);
        socket.close();
        assertTrue(socket.isClosed());
        assertEquals(0, socket.refCount());
    }

    @Test
    void shouldBeNonBlockingWhenCreatedWithSockNonblock() throws Exception
    {
        try (KSocket socket = KSocket.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0))
        {
            assertTrue(socket.isNonBlocking());
        }
    }

    @Test
    void shouldFailWithEinvalWhenTypeHasUnknownFlag()
    {
        final ErrnoException ex = assertThrows(ErrnoException.class, () -> KSocket.socket(AF_INET, SOCK_DGRAM | 0x100, 0));
        assertEquals(Errno.EINVAL, ex.errno());
        assertEquals("EINVAL", ex.errnoName());
        assertEquals("socket: EINVAL (Invalid argument) type=0x102 flags=0x100", ex.getMessage());
    }

    @Test
    void shouldFailWithEprotonosupportWhenSockOobWithoutHooks()
    {
        final ErrnoException ex = assertThrows(ErrnoException.class, () -> KSocket.socket(AF_INET, SOCK_DGRAM | SOCK_OOB, 0));
        assertEquals(Errno.EPROTONOSUPPORT, ex.errno());
        assertEquals("socket: EPROTONOSUPPORT (Protocol not supported) flags=SOCK_OOB hooks=none", ex.getMessage());
        final ErrnoException pure = assertThrows(ErrnoException.class, () -> KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0));
        assertEquals(Errno.EPROTONOSUPPORT, pure.errno());
        final ErrnoException noOob = assertThrows(ErrnoException.class, () -> KSocket.socket(AF_OOB, SOCK_DGRAM, 0));
        assertEquals("socket: EAFNOSUPPORT (Address family not supported by protocol) family=AF_OOB flags lack SOCK_OOB",
            noOob.getMessage());
    }

    @Test
    void shouldFailWithEbadfWhenUsedAfterClose() throws Exception
    {
        final KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM, 0);
        socket.close();
        final ErrnoException bind = assertThrows(ErrnoException.class, () -> socket.bind(ANY_LOOPBACK));
        assertEquals(Errno.EBADF, bind.errno());
        assertEquals("bind: EBADF (Bad file descriptor) fd=" + socket.fd() + " closed", bind.getMessage());
        assertEquals(Errno.EBADF, assertThrows(ErrnoException.class, socket::close).errno());
    }

    @Test
    void shouldFailWithEaddrinuseWhenPortTaken() throws Exception
    {
        try (KSocket first = KSocket.socket(AF_INET, SOCK_DGRAM, 0);
            KSocket second = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            first.bind(ANY_LOOPBACK);
            final int port = first.localName().getPort();
            final ErrnoException ex = assertThrows(ErrnoException.class,
                () -> second.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            assertEquals("EADDRINUSE", ex.errnoName());
            assertEquals("bind", ex.operation());
        }
    }
}
