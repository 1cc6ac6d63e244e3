package org.oobnet.inband;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_INET;
import static org.oobnet.inband.SocketConstants.AF_OOB;
import static org.oobnet.inband.SocketConstants.FIONREAD;
import static org.oobnet.inband.SocketConstants.SHUT_WR;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_OOB;
import static org.oobnet.inband.SocketConstants.SOL_SOCKET;
import static org.oobnet.inband.SocketConstants.SO_RCVBUF;

/**
 * The Dovetail hook placement, proven with a recording implementation that looks at the kernel's socket from
 * inside each hook.
 */
class KSocketHooksTest
{
    private static final InetSocketAddress LOOPBACK_ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private RecordingOobHooks hooks;

    @BeforeEach
    void install()
    {
        hooks = new RecordingOobHooks();
        KSocket.installOobHooks(hooks);
    }

    @AfterEach
    void remove()
    {
        assertTrue(KSocket.removeOobHooks(hooks));
    }

    @Test
    void shouldAttachAfterTheSocketIsBuiltAndBeforeItIsReturned() throws Exception
    {
        try (KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM | SOCK_OOB, 0))
        {
            assertEquals(List.of("attach socket=true oob=true"), hooks.calls);
            assertTrue(socket.isOob());
            assertEquals(SOCK_DGRAM, socket.type());
            assertEquals("context-" + socket.fd(), socket.oobContext());
        }
    }

    @Test
    void shouldNotCallHooksWhenSocketIsRegular() throws Exception
    {
        try (KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            socket.bind(LOOPBACK_ANY);
            socket.setOption(SOL_SOCKET, SO_RCVBUF, 4096);
        }
        assertEquals(List.of(), hooks.calls);
    }

    @Test
    void shouldCloseTheSocketAndFailWhenAttachFails() throws Exception
    {
        hooks.attachResult = -Errno.ENOMEM;
        final ErrnoException ex = assertThrows(ErrnoException.class, () -> KSocket.socket(AF_INET, SOCK_DGRAM | SOCK_OOB, 0));
        assertEquals("socket: ENOMEM (Cannot allocate memory) hook=attach", ex.getMessage());
        assertEquals(List.of("attach socket=true oob=true"), hooks.calls, "no release or destroy: nothing was attached");
        // The kernel socket was closed: the port the hook bound it to is free again.
        assertTrue(hooks.attachFailedPort > 0);
        try (KSocket other = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            other.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), hooks.attachFailedPort));
        }
    }

    @Test
    void shouldRunBindHookAfterTheKernelBoundAndFailTheCallWhenItFails() throws Exception
    {
        try (KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM | SOCK_OOB, 0);
            KSocket other = KSocket.socket(AF_INET, SOCK_DGRAM | SOCK_OOB, 0))
        {
            socket.bind(LOOPBACK_ANY);
            assertEquals("bind kernelBound=true", hooks.calls.get(2));

            // The kernel refuses: the post-hook never runs.
            hooks.calls.clear();
            assertEquals(Errno.EADDRINUSE, assertThrows(ErrnoException.class, () -> other.bind(socket.localName())).errno());
            assertEquals(List.of(), hooks.calls);

            // The kernel accepts, the hook refuses: the call fails with the hook's errno.
            hooks.bindResult = -Errno.EADDRNOTAVAIL;
            final ErrnoException ex = assertThrows(ErrnoException.class, () -> other.bind(LOOPBACK_ANY));
            assertEquals("bind: EADDRNOTAVAIL (Cannot assign requested address) fd=" + other.fd() + " hook=bind",
                ex.getMessage());
            assertEquals(List.of("bind kernelBound=true"), hooks.calls);
        }
    }

    @Test
    void shouldRunConnectAndShutdownHooksAfterTheKernelCall() throws Exception
    {
        try (KSocket peer = KSocket.socket(AF_INET, SOCK_DGRAM, 0);
            KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM | SOCK_OOB, 0))
        {
            peer.bind(LOOPBACK_ANY);
            hooks.calls.clear();
            socket.connect(peer.localName());
            socket.shutdown(SHUT_WR);
            assertEquals(List.of("connect peerKnown=true", "shutdown how=1"), hooks.calls);

            hooks.shutdownResult = -Errno.EPIPE;
            assertEquals(Errno.EPIPE, assertThrows(ErrnoException.class, () -> socket.shutdown(SHUT_WR)).errno());
            hooks.connectResult = -Errno.ENETUNREACH;
            assertEquals(Errno.ENETUNREACH, assertThrows(ErrnoException.class, () -> socket.connect(peer.localName())).errno());
        }
    }

    @Test
    void shouldReleaseBeforeTheInbandCloseAndDestroyWhenTheLastReferenceGoes() throws Exception
    {
        final KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM | SOCK_OOB, 0);
        socket.hold();
        hooks.calls.clear();
        socket.close();
        assertEquals(List.of("release closed=true socket=true"), hooks.calls);
        assertTrue(RecordingOobHooks.isOpenSocket(socket.fd()), "held: the descriptor stays");
        assertEquals(Errno.EBADF, assertThrows(ErrnoException.class, () -> socket.bind(LOOPBACK_ANY)).errno());
        socket.rele();
        assertEquals(List.of("release closed=true socket=true", "destroy socket=false context=context-" + socket.fd()),
            hooks.calls);
        assertEquals(0, socket.refCount());
    }

    @Test
    void shouldEndIoctlAtTheRedirectUnlessItReturnsEnoioctlcmd() throws Exception
    {
        try (KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM | SOCK_OOB, 0))
        {
            final MemorySegment value = MemorySegment.ofArray(new int[]{-1});
            hooks.ioctlResult = 42;
            assertEquals(42, socket.ioctl(FIONREAD, value));
            assertEquals(-1, value.get(ValueLayout.JAVA_INT, 0), "the kernel never saw the call");

            hooks.ioctlResult = -OobHooks.ENOIOCTLCMD;
            assertEquals(0, socket.ioctl(FIONREAD, value));
            assertEquals(0, value.get(ValueLayout.JAVA_INT, 0), "the kernel served the call");

            hooks.ioctlResult = -Errno.EPERM;
            assertEquals(Errno.EPERM, assertThrows(ErrnoException.class, () -> socket.ioctl(FIONREAD, value)).errno());
            assertEquals(List.of("ioctl request=0x541b", "ioctl request=0x541b", "ioctl request=0x541b"),
                hooks.calls.subList(1, 4));
        }
    }

    @Test
    void shouldEndSocketOptionsAtTheRedirectUnlessItReturnsEnoioctlcmd() throws Exception
    {
        try (KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM | SOCK_OOB, 0))
        {
            // Served by the hook: a level the kernel does not know succeeds.
            hooks.setoptResult = 0;
            socket.setOption(999, 1, 5);
            hooks.getoptResult = 0;
            assertEquals(1234, socket.getOption(999, 1));

            // Falls back to the kernel.
            hooks.setoptResult = -OobHooks.ENOIOCTLCMD;
            hooks.getoptResult = -OobHooks.ENOIOCTLCMD;
            socket.setOption(SOL_SOCKET, SO_RCVBUF, 8192);
            assertEquals(2 * 8192, socket.getOption(SOL_SOCKET, SO_RCVBUF));
            assertEquals(Errno.ENOPROTOOPT, assertThrows(ErrnoException.class, () -> socket.setOption(999, 1, 5)).errno());

            assertEquals(List.of("setopt level=999 name=1 value=5", "getopt level=999 name=1",
                "setopt level=1 name=8 value=8192", "getopt level=1 name=8", "setopt level=999 name=1 value=5"),
                hooks.calls.subList(1, 6));
        }
    }

    @Test
    void shouldBackPureOobSocketWithAnEventfd() throws Exception
    {
        final KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
        assertEquals(AF_OOB, socket.family());
        assertTrue(socket.fd() >= 0);
        assertFalse(RecordingOobHooks.isOpenSocket(socket.fd()), "no kernel socket behind AF_OOB");
        socket.bind(MemorySegment.ofArray(new byte[16]));
        assertEquals(Errno.EOPNOTSUPP, assertThrows(ErrnoException.class,
            () -> socket.send(MemorySegment.ofArray(new byte[1]), 0)).errno());
        socket.close();
        assertEquals(List.of("attach socket=false oob=true", "bind kernelBound=false",
            "release closed=true socket=false", "destroy socket=false context=context-" + socket.fd()), hooks.calls);
        assertEquals(Errno.EBADF, assertThrows(ErrnoException.class, () -> socket.bind(MemorySegment.ofArray(new byte[16]))).errno());
    }

    @Test
    void shouldRefuseSecondInstallWhenHooksAreInstalled()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> KSocket.installOobHooks(new RecordingOobHooks()));
        assertTrue(ex.getMessage().startsWith("OOB hooks already installed"), ex.getMessage());
        assertFalse(KSocket.removeOobHooks(new RecordingOobHooks()));
        assertEquals(hooks, KSocket.installedOobHooks());
    }
}
