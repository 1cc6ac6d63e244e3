package org.oobnet.core;

import org.oobnet.config.CpuList;
import org.oobnet.inband.KSocketEvent;
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
        assertEquals(1, context.refCount(), "one count, the socket's: its open reference");
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
        assertEquals(2, socket.refCount(), "the context's hold is the socket's: one count");
        socket.close();
        assertFalse(context.isDestroyed());
        assertFalse(oob.hooks().contains("destroy"));
        assertEquals(1, socket.refCount(), "closed, the descriptor kept open by the context's hold");
        assertFalse(context.hold(), "no new hold once closed, as KSocket.tryHold");
        context.rele();
        assertEquals(0, socket.refCount());
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
            // The stage counts the socket's hook error and the runtime's error one after the other: wait for both.
            CoreTests.await(() -> context.counters().hookErrors().get() == 1 && runtime.counters().errors().get() == 1,
                "hook error and runtime error counted");
            assertEquals(1, context.counters().hookErrors().get());
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

    @Test
    void shouldPinStageAndRefuseSecondRuntimeWithoutLeakingThread() throws Exception
    {
        CoreTests.await(() -> runtime.stageThread() != null, "stage thread");
        assertTrue(runtime.pinned(), "stage pinned to cpu=" + runtime.stageCpu());
        assertEquals(runtime.isolated(), CpuList.parse(
            java.nio.file.Files.readString(Path.of("/sys/devices/system/cpu/isolated"))).contains(runtime.stageCpu()));
        final long stages = Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("oob-stage")).count();
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> OobRuntime.start(CoreTests.config(dir.resolve("second")).build()));
        assertEquals("another OobRuntime is running (the in-band stack holds one set of hooks)", ex.getMessage());
        assertEquals(stages, Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("oob-stage")).count());
    }

    @Test
    void shouldFailShutdownAndKeepSendingWhenShutdownHookFails() throws Exception
    {
        try (KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0))
        {
            oob.shutdownResult = -Errno.EOPNOTSUPP;
            final ErrnoException ex = assertThrows(ErrnoException.class, () -> socket.shutdown(OobSocket.SHUT_WR));
            assertEquals(Errno.EOPNOTSUPP, ex.errno());
            final OobSocket context = OobSocket.of(socket);
            assertFalse(context.isShutdownForWrite());
            assertTrue(context.tryClaim(8) >= 0, "sends still accepted");
        }
    }

    @Test
    void shouldFailWithEioAndCountWhenInBandHookThrows() throws Exception
    {
        final RecordingProtocol throwing = new RecordingProtocol(AF_OOB, SOCK_DGRAM)
        {
            @Override
            public int bind(final OobSocket socket, final java.lang.foreign.MemorySegment address)
            {
                throw new IllegalStateException("bind hook bug");
            }
        };
        assertTrue(runtime.registry().unregister(AF_OOB, oob));
        runtime.registry().register(AF_OOB, throwing);
        try (KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined())
        {
            final OobSocket context = OobSocket.of(socket);
            assertEquals(throwing, context.protocol());
            final ErrnoException ex = assertThrows(ErrnoException.class, () -> socket.bind(arena.allocate(8)));
            assertEquals(Errno.EIO, ex.errno());
            assertEquals(1, context.counters().hookErrors().get());
            assertEquals(1, runtime.counters().errors().get());
        }
    }

    @Test
    void shouldRunTaskLifecycleAndTimersOnStage() throws Exception
    {
        final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        final OobTask task = new OobTask()
        {
            long cancelled = -1;

            @Override
            public void onStart()
            {
                final OobStage stage = runtime.stageAgent();
                calls.add("start " + stage.isStageThread());
                stage.scheduleTimer(stage.nowNs() + 1_000_000L, (now, id) -> calls.add("fired"));
                cancelled = stage.scheduleTimer(stage.nowNs() + 2_000_000L, (now, id) -> calls.add("cancelled fired"));
                calls.add("cancel " + stage.cancelTimer(cancelled));
            }

            @Override
            public void onClose()
            {
                calls.add("close " + runtime.stageAgent().isStageThread());
            }
        };
        runtime.addTask(task, OobTask.Schedule.EVERY_CYCLE);
        assertThrows(IllegalArgumentException.class, () -> runtime.addTask(task, OobTask.Schedule.ON_EVENTS));
        CoreTests.await(() -> calls.contains("fired"), "timer");
        Thread.sleep(5);
        assertTrue(runtime.removeTask(task));
        assertFalse(runtime.removeTask(task));
        assertEquals(List.of("start true", "cancel true", "fired", "close true"), calls);
    }

    @Test
    void shouldRefuseSocketAndCloseFromStageThread() throws Exception
    {
        final KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
        final OobSocket context = OobSocket.of(socket);
        final List<String> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
        runtime.addTask(new OobTask()
        {
            boolean done;

            @Override
            public int doWork(final long nowNs)
            {
                if (!done)
                {
                    done = true;
                    try
                    {
                        KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
                        outcomes.add("socket created");
                    }
                    catch (final ErrnoException ex)
                    {
                        outcomes.add("socket " + ex.errnoName());
                    }
                    try
                    {
                        socket.close();
                        outcomes.add("closed");
                    }
                    catch (final Exception ex)
                    {
                        outcomes.add(ex.getClass().getSimpleName());
                    }
                }
                return 0;
            }
        }, OobTask.Schedule.EVERY_CYCLE);
        CoreTests.await(() -> outcomes.size() == 2, "task ran");
        assertEquals(List.of("socket EPERM", "IllegalStateException"), outcomes);
        assertTrue(context.isOpen(), "left for the runtime's close");
        assertTrue(socket.isClosed(), "KSocket.close() marked it closed before the release hook refused");
        assertEquals(1, socket.refCount(), "its open reference is kept: the descriptor is still open");
        runtime.close();
        assertTrue(context.isDestroyed());
        assertEquals(0, socket.refCount(), "the runtime's close dropped the open reference: descriptor closed");
    }

    @Test
    void shouldCloseDescriptorOfSocketClosedOnStageAtNextInbandSocket() throws Exception
    {
        final KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
        final OobSocket context = OobSocket.of(socket);
        final java.nio.file.Path fdLink = java.nio.file.Path.of("/proc/self/fd/" + socket.fd());
        final String target = java.nio.file.Files.readSymbolicLink(fdLink).toString();
        final List<String> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
        final OobTask closer = new OobTask()
        {
            boolean done;

            @Override
            public int doWork(final long nowNs)
            {
                if (!done)
                {
                    done = true;
                    try
                    {
                        socket.close();
                        outcomes.add("closed");
                    }
                    catch (final Exception ex)
                    {
                        outcomes.add(ex.getClass().getSimpleName());
                    }
                }
                return 0;
            }
        };
        runtime.addTask(closer, OobTask.Schedule.EVERY_CYCLE);
        CoreTests.await(() -> outcomes.size() == 1, "task ran");
        runtime.removeTask(closer);
        assertEquals(List.of("IllegalStateException"), outcomes);
        assertEquals(target, java.nio.file.Files.readSymbolicLink(fdLink).toString(), "still open for now");

        try (KSocket next = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0))
        {
            assertTrue(context.isDestroyed(), "the next in-band socket() finished the close");
            assertEquals(0, socket.refCount(), "open reference dropped: descriptor closed");
            assertTrue(next.fd() != socket.fd(), "the old descriptor was still open when the next one was made");
        }
    }
}
