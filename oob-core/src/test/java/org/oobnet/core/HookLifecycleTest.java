package org.oobnet.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.OobHooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_INET;
import static org.oobnet.inband.SocketConstants.AF_OOB;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_OOB;
import static org.oobnet.inband.SocketConstants.SOCK_STREAM;

/**
 * The hooks end to end through {@link KSocket}: order, failures, reference counting.
 */
class HookLifecycleTest
{
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @TempDir
    Path dir;

    private RecordingProtocol inet;
    private RecordingProtocol oob;
    private OobRuntime runtime;

    @BeforeEach
    void start()
    {
        inet = new RecordingProtocol(AF_INET, SOCK_DGRAM);
        oob = new RecordingProtocol(AF_OOB, SOCK_DGRAM);
        final ProtocolRegistry registry = new ProtocolRegistry().register(AF_INET, inet).register(AF_OOB, oob);
        runtime = OobRuntime.start(CoreTests.config(dir).build(), registry);
    }

    @AfterEach
    void stop()
    {
        runtime.close();
    }

    @Test
    void shouldCallHooksInOrderWhenGraftedSocketLivesAndCloses() throws Exception
    {
        final KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM | SOCK_OOB, 0);
        final OobSocket context = OobSocket.of(socket);
        assertNotNull(context);
        assertTrue(context.isGrafted());
        assertEquals(2, context.refCount());
        CoreTests.await(() -> inet.calls.contains("onStageAttach"), "stage attach");

        socket.bind(LOOPBACK);
        socket.connect(socket.localName());
        assertEquals(0, KSocket.installedOobHooks().shutdown(socket, OobSocket.SHUT_WR));
        assertEquals(-Errno.EPIPE, context.tryClaim(8));

        socket.close();
        assertTrue(context.isDestroyed());
        assertEquals(0, context.refCount());
        assertEquals(
            List.of("attach", "onStageAttach", "bind", "connect", "shutdown 1", "onStageDetach", "release", "destroy"),
            inet.hooks());
        assertEquals(0, runtime.liveSockets());
    }

    @Test
    void shouldDestroyOnlyAfterLastReleWhenSocketHeld() throws Exception
    {
        final KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM | SOCK_OOB, 0);
        final OobSocket context = OobSocket.of(socket);
        socket.hold();
        socket.close();
        assertTrue(inet.hooks().contains("release"));
        assertFalse(inet.hooks().contains("destroy"));
        assertEquals(1, context.refCount());
        assertFalse(context.isDestroyed());
        assertEquals(-Errno.EBADF, context.tryClaim(8));

        socket.rele();
        assertEquals(List.of("attach", "onStageAttach", "onStageDetach", "release", "destroy"), inet.hooks());
        assertTrue(context.isDestroyed());
    }

    @Test
    void shouldKeepContextWhileApplicationHoldsIt() throws Exception
    {
        final KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
        final OobSocket context = OobSocket.of(socket);
        assertFalse(context.isGrafted());
        assertEquals(1, context.refCount());
        assertTrue(context.hold());
        socket.close();
        assertFalse(context.isDestroyed());
        assertFalse(oob.hooks().contains("destroy"));
        context.rele();
        assertTrue(context.isDestroyed());
        assertEquals("destroy", oob.hooks().getLast());
        assertFalse(context.hold());
    }

    @Test
    void shouldFailSocketAndDestroyWithoutReleaseWhenAttachFails()
    {
        inet.attachResult = -Errno.ENOMEM;
        final ErrnoException ex = assertThrows(
            ErrnoException.class, () -> KSocket.socket(AF_INET, SOCK_DGRAM | SOCK_OOB, 0));
        assertEquals(Errno.ENOMEM, ex.errno());
        assertEquals(List.of("attach", "destroy"), inet.hooks());
        assertEquals(0, runtime.liveSockets());
    }

    @Test
    void shouldFailWithEprotonosupportWhenFamilyHasNoProtocol()
    {
        final ErrnoException ex = assertThrows(
            ErrnoException.class, () -> KSocket.socket(10 /* AF_INET6 */, SOCK_DGRAM | SOCK_OOB, 0));
        assertEquals(Errno.EPROTONOSUPPORT, ex.errno());
    }

    @Test
    void shouldFailWithProtocolErrnoWhenTypeDoesNotMatch()
    {
        final ErrnoException ex = assertThrows(
            ErrnoException.class, () -> KSocket.socket(AF_INET, SOCK_STREAM | SOCK_OOB, 0));
        assertEquals(Errno.EPROTOTYPE, ex.errno());
        assertEquals(List.of(), inet.hooks());
    }

    @Test
    void shouldFailBindAndConnectWhenPostHookFails() throws Exception
    {
        try (KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM | SOCK_OOB, 0))
        {
            inet.bindResult = -Errno.EADDRNOTAVAIL;
            assertEquals(Errno.EADDRNOTAVAIL, assertThrows(ErrnoException.class, () -> socket.bind(LOOPBACK)).errno());
            inet.connectResult = -Errno.ENETUNREACH;
            final InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
            assertEquals(Errno.ENETUNREACH, assertThrows(ErrnoException.class, () -> socket.connect(peer)).errno());
            assertEquals(2, OobSocket.of(socket).counters().hookErrors().get());
        }
        assertEquals("destroy", inet.hooks().getLast());
    }

    @Test
    void shouldRedirectIoctlsAndServeOobIoctlOnStage() throws Exception
    {
        try (KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0))
        {
            final OobHooks hooks = KSocket.installedOobHooks();
            assertEquals(42, hooks.inbandIoctlRedirect(socket, 1, 0));
            assertEquals(-OobHooks.ENOIOCTLCMD, hooks.inbandIoctlRedirect(socket, 2, 0));
            CoreTests.await(() -> oob.calls.contains("onStageAttach"), "stage attach");
            assertEquals(14, hooks.oobIoctl(socket, 7, 7));
            assertTrue(oob.calls.contains("oobIoctl 7 stage=true"));
        }
    }

    @Test
    void shouldRecordErrorAndGoOnWhenProtocolThrowsOnStage() throws Exception
    {
        try (KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0))
        {
            final OobSocket context = OobSocket.of(socket);
            oob.throwOnPoll = true;
            CoreTests.await(() -> context.counters().hookErrors().get() == 1, "hook error counted");
            assertEquals(1, runtime.counters().errors().get());
            final long cycles = runtime.counters().cycles().get();
            CoreTests.await(() -> runtime.counters().cycles().get() > cycles + 10, "stage goes on");
        }
    }

    @Test
    void shouldReleaseAndDestroyEverySocketWhenRuntimeCloses() throws Exception
    {
        final KSocket a = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
        final KSocket b = KSocket.socket(AF_INET, SOCK_DGRAM | SOCK_OOB, 0);
        final OobSocket ca = OobSocket.of(a);
        final OobSocket cb = OobSocket.of(b);
        assertTrue(cb.hold());
        runtime.close();
        assertTrue(ca.isDestroyed());
        assertTrue(cb.isDestroyed());
        assertEquals(0, runtime.liveSockets());
        cb.rele(); // late rele after close: ignored
        a.close(); // the in-band sockets still close; their hooks find nothing left to do
        b.close();
        assertEquals(List.of("attach", "onStageAttach", "onStageDetach", "release", "destroy"), oob.hooks());
    }
}
