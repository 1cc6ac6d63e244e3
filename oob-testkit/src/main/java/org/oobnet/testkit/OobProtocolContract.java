package org.oobnet.testkit;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobProtocol;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobTask;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.OobHooks;
import org.oobnet.inband.SocketConstants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract every {@link OobProtocol} must keep, as JUnit Jupiter tests: implement this interface in a test
 * class, return a {@link ProtocolSubject} from {@link #subject()}, and the default test methods drive the protocol
 * for real through {@link KSocket} and a running {@link OobRuntime}:
 * <ul>
 *   <li>hooks in the documented order and on the documented stage (recorded by {@link RecordingProtocol});
 *       the stage polls a socket through {@code poll} only when its protocol says each socket owns its I/O
 *       ({@code pollsEachSocket()}); a protocol whose sockets share a device (see
 *       {@link org.oobnet.core.StageDevice}) is never polled per socket, and an idle socket costs the stage
 *       nothing;</li>
 *   <li>the failure of each hook handled (injected by {@link FailingProtocol}): {@code socket()}, {@code bind()},
 *       {@code connect()}, {@code shutdown()} fail with the hook's errno, {@code EIO} when it throws, destroy still
 *       runs, release never after a failed attach, no descriptor or context leaked;</li>
 *   <li>release drains the send ring before it runs; destroy only after the last {@code rele};</li>
 *   <li>no allocation on the stage thread in steady state with traffic;</li>
 *   <li>{@code EBADF} on a closed socket, in-band and on the stage;</li>
 *   <li>an unknown ioctl gives {@code -ENOIOCTLCMD} from the in-band redirect (so the kernel answers) and
 *       {@code -ENOTTY} on the stage.</li>
 * </ul>
 * <b>Note:</b> each test starts and closes its own runtime (one per JVM at a time): do not run these tests in
 * parallel with other runtime tests.
 */
public interface OobProtocolContract
{
    /** The errno the kit's failing hooks answer: unusual enough that nothing else produces it. */
    int INJECTED_ERRNO = Errno.ENOLINK;
    /** Stage cycles before the allocation measurement starts (JIT warm-up), at least. */
    long WARM_UP_CYCLES = 100_000;
    /** Messages sent before the allocation measurement starts, at least. */
    long WARM_UP_MESSAGES = 20_000;
    /** Stage cycles measured (or {@link #MEASURED_MESSAGES}, whichever comes first). */
    long MEASURED_CYCLES = 100_000;
    /** Messages measured (or {@link #MEASURED_CYCLES}, whichever comes first). */
    long MEASURED_MESSAGES = 100_000;


    /**
     * The author's factory, called once per test.
     *
     * @return a fresh subject.
     * @throws Exception when it cannot be made (e.g. a namespace could not be created).
     */
    ProtocolSubject subject() throws Exception;

    /**
     * How long the allocation test measures rounds until one allocates nothing (the JIT's warm-up on a loaded
     * machine). A real allocation per cycle or per message shows in every round, whatever the limit.
     *
     * @return nanoseconds; 30 s by default.
     */
    default long steadyStateLimitNs()
    {
        return 30_000_000_000L;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Order

    @Test
    default void shouldCallHooksInDocumentedOrderWhenSocketIsOpenedUsedAndClosed() throws Exception
    {
        try (ProtocolSubject subject = subject())
        {
            final RecordingProtocol recording = new RecordingProtocol(subject.newProtocol());
            try (ContractRuntime run = ContractRuntime.start(subject, recording, OobConfig.IdleStrategyKind.BACKOFF))
            {
                final int matchesBefore = recording.matches();
                final KSocket socket = run.openReady();
                final OobSocket context = OobSocket.of(socket);
                assertNotNull(context, "socket() with SOCK_OOB grafts an OobSocket context");
                assertTrue(recording.matches() > matchesBefore, "match() chose the protocol");
                run.awaitOnStage(socket);
                if (subject.supportsShutdown())
                {
                    subject.inHost(() ->
                    {
                        socket.shutdown(SocketConstants.SHUT_WR);
                        return null;
                    });
                }
                socket.close();

                final SocketTrace trace = recording.trace(context);
                assertNotNull(trace, "attach recorded");
                assertEquals(List.of(), trace.violations(), "contract violations");
                final List<Hook> expectedInBand = new java.util.ArrayList<>(List.of(Hook.ATTACH, Hook.BIND));
                if (subject.supportsConnect())
                {
                    expectedInBand.add(Hook.CONNECT);
                }
                if (subject.supportsShutdown())
                {
                    expectedInBand.add(Hook.SHUTDOWN);
                }
                expectedInBand.add(Hook.RELEASE);
                expectedInBand.add(Hook.DESTROY);
                final List<Hook> inBand = trace.hooks().stream().filter(h -> !h.isStage()).toList();
                assertEquals(expectedInBand, inBand, "in-band hooks in order: " + trace);
                assertEquals(1, trace.count(Hook.ON_STAGE_ATTACH), "onStageAttach once: " + trace);
                assertEquals(1, trace.count(Hook.ON_STAGE_DETACH), "onStageDetach once: " + trace);
                assertTrue(trace.indexOf(Hook.ATTACH) < trace.indexOf(Hook.ON_STAGE_ATTACH),
                    "attach before onStageAttach: " + trace);
                assertTrue(trace.indexOf(Hook.ON_STAGE_DETACH) < trace.indexOf(Hook.RELEASE),
                    "onStageDetach before release: " + trace);
                for (final SocketTrace.Call call : trace.calls())
                {
                    assertEquals(call.hook().isStage(), call.onStageThread(), "stage of " + call.hook());
                }
                if (recording.pollsEachSocket())
                {
                    assertTrue(trace.polls() > 0, "poll ran while the socket was on the stage");
                }
                else
                {
                    assertEquals(0, trace.polls(), "poll never runs for a socket served by shared devices");
                }
                assertTrue(context.isDestroyed(), "destroyed once closed and no reference left");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Failures

    @Test
    default void shouldFailSocketWithHookErrnoAndLeakNothingWhenAttachFails() throws Exception
    {
        attachFails(FailingProtocol.Mode.RETURN_ERRNO, INJECTED_ERRNO);
    }

    @Test
    default void shouldFailSocketWithEioAndLeakNothingWhenAttachThrows() throws Exception
    {
        attachFails(FailingProtocol.Mode.THROW, Errno.EIO);
    }

    private void attachFails(final FailingProtocol.Mode mode, final int expectedErrno) throws Exception
    {
        try (ProtocolSubject subject = subject())
        {
            final FailingProtocol failing = new FailingProtocol(subject.newProtocol(), Hook.ATTACH, mode, -INJECTED_ERRNO);
            final RecordingProtocol recording = new RecordingProtocol(failing);
            try (ContractRuntime run = ContractRuntime.start(subject, recording, OobConfig.IdleStrategyKind.BACKOFF))
            {
                final Baseline baseline = Baseline.take(run);
                failing.armed(true);
                final ErrnoException thrown = assertThrows(ErrnoException.class, run::open);
                failing.armed(false);
                assertEquals(expectedErrno, thrown.errno(), "socket() fails with the attach hook's errno: " + thrown);

                final List<SocketTrace> traces = recording.traces();
                final SocketTrace trace = traces.get(traces.size() - 1);
                assertEquals(List.of(Hook.ATTACH, Hook.DESTROY), trace.hooks(),
                    "a failed attach is followed by destroy, never by release or a stage hook: " + trace);
                assertEquals(List.of(), trace.violations());
                baseline.assertNothingLeaked(run, "after a failed attach");
            }
        }
    }

    @Test
    default void shouldFailBindWithHookErrnoAndCloseCleanlyWhenBindFails() throws Exception
    {
        try (ProtocolSubject subject = subject())
        {
            final FailingProtocol failing = new FailingProtocol(
                subject.newProtocol(), Hook.BIND, FailingProtocol.Mode.RETURN_ERRNO, -INJECTED_ERRNO);
            final RecordingProtocol recording = new RecordingProtocol(failing);
            try (ContractRuntime run = ContractRuntime.start(subject, recording, OobConfig.IdleStrategyKind.BACKOFF))
            {
                final Baseline baseline = Baseline.take(run);
                final KSocket socket = run.open();
                final OobSocket context = OobSocket.of(socket);
                failing.armed(true);
                final ErrnoException thrown = assertThrows(
                    ErrnoException.class, () -> subject.inHost(() ->
                    {
                        subject.bind(socket);
                        return null;
                    }));
                failing.armed(false);
                assertEquals(INJECTED_ERRNO, thrown.errno(), "bind() fails with the bind hook's errno: " + thrown);
                assertTrue(context.counters().hookErrors().get() > 0, "hook error counted");
                socket.close();
                assertClosedInOrder(recording.trace(context));
                baseline.assertNothingLeaked(run, "after a failed bind and close");
            }
        }
    }

    @Test
    default void shouldFailConnectWithHookErrnoAndCloseCleanlyWhenConnectFails() throws Exception
    {
        try (ProtocolSubject subject = subject())
        {
            assumeTrue(subject.supportsConnect(), "the protocol has no connect");
            final FailingProtocol failing = new FailingProtocol(
                subject.newProtocol(), Hook.CONNECT, FailingProtocol.Mode.RETURN_ERRNO, -INJECTED_ERRNO);
            final RecordingProtocol recording = new RecordingProtocol(failing);
            try (ContractRuntime run = ContractRuntime.start(subject, recording, OobConfig.IdleStrategyKind.BACKOFF))
            {
                final Baseline baseline = Baseline.take(run);
                final KSocket socket = run.open();
                final OobSocket context = OobSocket.of(socket);
                subject.inHost(() ->
                {
                    subject.bind(socket);
                    return null;
                });
                failing.armed(true);
                final ErrnoException thrown = assertThrows(
                    ErrnoException.class, () -> subject.inHost(() ->
                    {
                        subject.connect(socket);
                        return null;
                    }));
                failing.armed(false);
                assertEquals(INJECTED_ERRNO, thrown.errno(), "connect() fails with the hook's errno: " + thrown);
                socket.close();
                assertClosedInOrder(recording.trace(context));
                baseline.assertNothingLeaked(run, "after a failed connect and close");
            }
        }
    }

    @Test
    default void shouldFailShutdownWithHookErrnoAndCloseCleanlyWhenShutdownFails() throws Exception
    {
        try (ProtocolSubject subject = subject())
        {
            assumeTrue(subject.supportsShutdown(), "shutdown does not reach the protocol's hook for this family");
            final FailingProtocol failing = new FailingProtocol(
                subject.newProtocol(), Hook.SHUTDOWN, FailingProtocol.Mode.RETURN_ERRNO, -INJECTED_ERRNO);
            final RecordingProtocol recording = new RecordingProtocol(failing);
            try (ContractRuntime run = ContractRuntime.start(subject, recording, OobConfig.IdleStrategyKind.BACKOFF))
            {
                final Baseline baseline = Baseline.take(run);
                final KSocket socket = run.openReady();
                final OobSocket context = OobSocket.of(socket);
                failing.armed(true);
                final ErrnoException thrown = assertThrows(
                    ErrnoException.class, () -> subject.inHost(() ->
                    {
                        socket.shutdown(SocketConstants.SHUT_WR);
                        return null;
                    }));
                failing.armed(false);
                assertEquals(INJECTED_ERRNO, thrown.errno(), "shutdown() fails with the hook's errno: " + thrown);
                assertFalse(context.isShutdownForWrite(), "a failed shutdown hook leaves the socket able to send");
                socket.close();
                assertClosedInOrder(recording.trace(context));
                baseline.assertNothingLeaked(run, "after a failed shutdown and close");
            }
        }
    }

    @Test
    default void shouldStillDestroyAndLeakNothingWhenReleaseThrows() throws Exception
    {
        inBandTeardownThrows(Hook.RELEASE);
    }

    @Test
    default void shouldLeakNoContextWhenDestroyThrows() throws Exception
    {
        inBandTeardownThrows(Hook.DESTROY);
    }

    private void inBandTeardownThrows(final Hook hook) throws Exception
    {
        try (ProtocolSubject subject = subject())
        {
            final FailingProtocol failing = new FailingProtocol(
                subject.newProtocol(), hook, FailingProtocol.Mode.THROW, 0);
            final RecordingProtocol recording = new RecordingProtocol(failing);
            try (ContractRuntime run = ContractRuntime.start(subject, recording, OobConfig.IdleStrategyKind.BACKOFF))
            {
                final Baseline baseline = Baseline.take(run);
                final KSocket socket = run.openReady();
                final OobSocket context = OobSocket.of(socket);
                run.awaitOnStage(socket);
                failing.armed(true);
                socket.close();
                failing.armed(false);
                assertClosedInOrder(recording.trace(context));
                assertTrue(context.isDestroyed(), "context destroyed although " + hook + " threw");
                baseline.assertNothingLeaked(run, "after " + hook + " threw");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Release and destroy

    @Test
    default void shouldDrainInFlightSendsBeforeReleaseWhenClosedUnderTraffic() throws Exception
    {
        try (ProtocolSubject subject = subject())
        {
            final RecordingProtocol recording = new RecordingProtocol(subject.newProtocol());
            try (ContractRuntime run = ContractRuntime.start(subject, recording, OobConfig.IdleStrategyKind.BACKOFF))
            {
                final KSocket socket = run.openReady();
                final OobSocket context = OobSocket.of(socket);
                run.awaitOnStage(socket);
                final SocketTrace trace = recording.trace(context);
                // 20 µs per send: 200 messages take the stage at least 4 ms, so close overtakes the drain
                recording.sendDelayNs(20_000L);
                final UnsafeBuffer message = new UnsafeBuffer(new byte[context.maxMessageLength()]);
                int accepted = 0;
                for (long i = 0; i < 200; i++)
                {
                    final int length = subject.writeMessage(message, 0, i);
                    if (context.offer(message, 0, length) == 0)
                    {
                        accepted++;
                    }
                }
                final long queuedAtClose = context.sendQueuedBytes();
                socket.close();

                assertTrue(accepted > 0, "the send ring took messages");
                assertEquals(accepted, trace.sendsTaken() + context.counters().dropsClosed().get(),
                    "every message queued before close was sent (or counted dropped at the drain time-out): " + trace +
                    " queuedBytesAtClose=" + queuedAtClose);
                assertEquals(List.of(), trace.violations(), "no stage call after onStageDetach, release after it");
                assertClosedInOrder(trace);
            }
        }
    }

    @Test
    default void shouldDestroyOnlyAfterLastReleWhenHeldPastClose() throws Exception
    {
        try (ProtocolSubject subject = subject())
        {
            final RecordingProtocol recording = new RecordingProtocol(subject.newProtocol());
            try (ContractRuntime run = ContractRuntime.start(subject, recording, OobConfig.IdleStrategyKind.BACKOFF))
            {
                final Baseline baseline = Baseline.take(run);
                final KSocket socket = run.openReady();
                final OobSocket context = OobSocket.of(socket);
                assertTrue(context.hold(), "hold on an open socket");
                socket.close();
                final SocketTrace trace = recording.trace(context);
                assertEquals(1, trace.count(Hook.RELEASE), "release ran at close: " + trace);
                assertEquals(0, trace.count(Hook.DESTROY), "no destroy while a reference is held: " + trace);
                assertFalse(context.isDestroyed());
                assertEquals(-Errno.EBADF, context.offer(new UnsafeBuffer(new byte[8]), 0, 8),
                    "released: no new I/O although still held");
                context.rele();
                assertEquals(1, trace.count(Hook.DESTROY), "destroy at the last rele: " + trace);
                // one reference count per socket, the KSocket's (it also counts other threads' in-flight calls, so
                // compared only once it is final)
                assertEquals(0, socket.refCount(), "the context's rele was the socket's last reference");
                assertEquals(0, context.refCount());
                assertTrue(context.isDestroyed());
                assertEquals(List.of(), trace.violations());
                baseline.assertNothingLeaked(run, "after the last rele");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Steady state

    @Test
    default void shouldAllocateNothingOnStageWhenTrafficFlows() throws Exception
    {
        final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "per-thread allocation counters unavailable");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)mx;
        try (ProtocolSubject subject = subject())
        {
            // the protocol itself, undecorated: the decorators' bookkeeping is not the author's allocation
            try (ContractRuntime run = ContractRuntime.start(
                subject, subject.newProtocol(), OobConfig.IdleStrategyKind.YIELD))
            {
                final OobRuntime runtime = run.runtime();
                final KSocket socket = run.openReady();
                final OobSocket context = OobSocket.of(socket);
                run.awaitOnStage(socket);
                final AtomicBoolean running = new AtomicBoolean(true);
                final Thread producer = new Thread(() ->
                {
                    final UnsafeBuffer message = new UnsafeBuffer(new byte[context.maxMessageLength()]);
                    long sequence = 0;
                    while (running.get())
                    {
                        // paced, a few messages then a short park: the stage must run many cycles (JIT warm-up
                        // of its per-cycle code) rather than a few long ones full of frames
                        final int length = subject.writeMessage(message, 0, sequence);
                        if (context.offer(message, 0, length) == 0)
                        {
                            sequence++;
                        }
                        if ((sequence & 3) == 0 || context.sendQueuedBytes() > 0)
                        {
                            LockSupport.parkNanos(20_000L);
                        }
                    }
                }, "contract-producer");
                producer.setDaemon(true);
                producer.start();
                try
                {
                    final long stageThreadId = runtime.stageThread().threadId();
                    final long cycles0 = runtime.counters().cycles().get();
                    Await.until(() -> runtime.counters().cycles().get() - cycles0 > WARM_UP_CYCLES &&
                        context.counters().packetsOut().get() > WARM_UP_MESSAGES,
                        () -> "warm-up: " + WARM_UP_CYCLES + " cycles and " + WARM_UP_MESSAGES + " messages out, got " +
                            (runtime.counters().cycles().get() - cycles0) + " cycles and " +
                            context.counters().packetsOut().get() + " messages", 30_000_000_000L);

                    // rounds until one allocates nothing: until C2 has compiled the stage's paths (a downcall
                    // inlined, for one), C1 code allocates what escape analysis later removes; a real allocation per
                    // cycle or per message shows in every round and fails the test
                    final long limitNs = System.nanoTime() + steadyStateLimitNs();
                    long fewest = Long.MAX_VALUE;
                    long rounds = 0;
                    long lastOut = 0;
                    do
                    {
                        final long bytesBefore = threads.getThreadAllocatedBytes(stageThreadId);
                        final long outBefore = context.counters().packetsOut().get();
                        final long cyclesBefore = runtime.counters().cycles().get();
                        Await.until(() -> runtime.counters().cycles().get() - cyclesBefore > MEASURED_CYCLES ||
                            context.counters().packetsOut().get() - outBefore > MEASURED_MESSAGES,
                            () -> MEASURED_CYCLES + " measured cycles or " + MEASURED_MESSAGES + " messages",
                            30_000_000_000L);
                        final long allocated = threads.getThreadAllocatedBytes(stageThreadId) - bytesBefore;
                        lastOut = context.counters().packetsOut().get() - outBefore;
                        assertTrue(lastOut > 100, "traffic flowed while measuring: " + lastOut + " messages out");
                        fewest = Math.min(fewest, allocated);
                        rounds++;
                    }
                    while (fewest != 0 && System.nanoTime() - limitNs < 0);

                    assertEquals(0, runtime.counters().errors().get(),
                        "errors on the stage (a Throwable allocates): " + stageErrors(runtime));
                    assertEquals(0, fewest, "fewest bytes allocated by the stage thread in one round of " +
                        MEASURED_CYCLES + " cycles (or " + MEASURED_MESSAGES + " messages) over " + rounds +
                        " rounds, the last with " + lastOut + " messages sent");
                }
                finally
                {
                    running.set(false);
                    producer.join();
                }
                socket.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Closed socket

    @Test
    default void shouldAnswerEbadfInBandAndOnStageWhenSocketIsClosed() throws Exception
    {
        try (ProtocolSubject subject = subject())
        {
            try (ContractRuntime run = ContractRuntime.start(
                subject, subject.newProtocol(), OobConfig.IdleStrategyKind.BACKOFF))
            {
                final KSocket socket = run.openReady();
                final OobSocket context = OobSocket.of(socket);
                run.awaitOnStage(socket);
                socket.close();

                final UnsafeBuffer message = new UnsafeBuffer(new byte[context.maxMessageLength()]);
                final int length = subject.writeMessage(message, 0, 0);
                final OobReceiveHandler ignore = (s, b, o, l) -> fail("no message from a closed socket");
                assertEquals(-Errno.EBADF, context.offer(message, 0, length), "offer");
                assertEquals(-Errno.EBADF, context.tryClaim(length), "tryClaim");
                assertEquals(-Errno.EBADF, context.receive(ignore, 1, 0), "receive");
                final ErrnoException bind = assertThrows(ErrnoException.class, () -> subject.inHost(() ->
                {
                    subject.bind(socket);
                    return null;
                }));
                assertEquals(Errno.EBADF, bind.errno(), "bind on a closed socket: " + bind);
                final ErrnoException close = assertThrows(ErrnoException.class, socket::close);
                assertEquals(Errno.EBADF, close.errno(), "second close: " + close);
                final OobHooks hooks = KSocket.installedOobHooks();
                assertEquals(-Errno.EBADF, hooks.oobIoctl(socket, subject.unknownIoctlRequest(), 0), "oob ioctl");

                // the stage side of the API, from a task on the stage
                final AtomicInteger stageSend = new AtomicInteger(1);
                final AtomicInteger stageReceive = new AtomicInteger(1);
                final AtomicLong stageIoctl = new AtomicLong(1);
                final OobTask probe = new OobTask()
                {
                    @Override
                    public int doWork(final long nowNs)
                    {
                        if (stageSend.get() == 1)
                        {
                            stageReceive.set(context.oobReceive(ignore, 1));
                            stageIoctl.set(context.oobIoctl(subject.unknownIoctlRequest(), 0));
                            stageSend.set(context.oobSend(message, 0, length));
                        }
                        return 0;
                    }
                };
                run.runtime().addTask(probe, OobTask.Schedule.EVERY_CYCLE);
                Await.until(() -> stageSend.get() != 1, "the probe task ran on the stage");
                run.runtime().removeTask(probe);
                assertEquals(-Errno.EBADF, stageSend.get(), "oobSend on the stage");
                assertEquals(-Errno.EBADF, stageReceive.get(), "oobReceive on the stage");
                assertEquals(-Errno.EBADF, stageIoctl.get(), "oobIoctl on the stage");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // ioctls

    @Test
    default void shouldAnswerEnoioctlcmdInBandAndEnottyOnStageWhenIoctlIsUnknown() throws Exception
    {
        try (ProtocolSubject subject = subject())
        {
            try (ContractRuntime run = ContractRuntime.start(
                subject, subject.newProtocol(), OobConfig.IdleStrategyKind.BACKOFF))
            {
                final KSocket socket = run.openReady();
                run.awaitOnStage(socket);
                final OobHooks hooks = KSocket.installedOobHooks();
                final int request = subject.unknownIoctlRequest();
                try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared())
                {
                    final java.lang.foreign.MemorySegment arg = arena.allocate(64);
                    assertEquals(-OobHooks.ENOIOCTLCMD, hooks.inbandIoctlRedirect(socket, request, arg.address()),
                        "the in-band redirect leaves an unknown ioctl to the kernel");
                    final ErrnoException thrown = assertThrows(ErrnoException.class, () -> subject.inHost(() ->
                        socket.ioctl(request, arg)));
                    assertEquals(subject.unknownIoctlErrno(), thrown.errno(), "the kernel's answer: " + thrown);
                    assertEquals(-OobHooks.ENOIOCTLCMD, hooks.setoptRedirect(socket, 0x7EAD, 0x7EAD, arg),
                        "setsockopt of an unknown level falls back to the kernel");
                    final java.lang.foreign.MemorySegment length = arena.allocate(4);
                    length.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 64);
                    assertEquals(-OobHooks.ENOIOCTLCMD, hooks.getoptRedirect(socket, 0x7EAD, 0x7EAD, arg, length),
                        "getsockopt of an unknown level falls back to the kernel");
                }
                assertEquals(-Errno.ENOTTY, hooks.oobIoctl(socket, request, 0),
                    "an unknown OOB ioctl, served on the stage");
                socket.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * The distinct errors the stage recorded, for failure messages.
     *
     * @param runtime the runtime.
     * @return the error log's text.
     */
    static String stageErrors(final OobRuntime runtime)
    {
        final StringBuilder text = new StringBuilder();
        try (org.oobnet.core.counters.CountersFileReader reader =
            org.oobnet.core.counters.CountersFileReader.open(runtime.countersPath()))
        {
            reader.readErrors((count, first, last, error) -> text.append(count).append("x ").append(error).append('\n'));
        }
        return text.toString();
    }

    private static void assertClosedInOrder(final SocketTrace trace)
    {
        assertNotNull(trace, "attach recorded");
        assertEquals(1, trace.count(Hook.RELEASE), "release once: " + trace);
        assertEquals(1, trace.count(Hook.DESTROY), "destroy once: " + trace);
        assertTrue(trace.indexOf(Hook.RELEASE) < trace.indexOf(Hook.DESTROY), "release before destroy: " + trace);
        final int detach = trace.indexOf(Hook.ON_STAGE_DETACH);
        if (detach >= 0)
        {
            assertTrue(detach < trace.indexOf(Hook.RELEASE), "onStageDetach before release: " + trace);
        }
        final List<Hook> hooks = trace.hooks();
        assertEquals(Hook.DESTROY, hooks.get(hooks.size() - 1), "destroy last: " + trace);
    }

    /**
     * Live contexts and open descriptors before a test's sockets, to compare with after.
     *
     * @param liveSockets the runtime's live contexts.
     * @param descriptors the process's open descriptors.
     */
    record Baseline(int liveSockets, int descriptors)
    {
        static Baseline take(final ContractRuntime run) throws Exception
        {
            // one socket opened and closed first, so that lazily opened descriptors (class loading, the event
            // thread, an epoll set) are in the baseline rather than counted as a leak
            run.openReady().close();
            return new Baseline(run.runtime().liveSockets(), OpenDescriptors.count());
        }

        void assertNothingLeaked(final ContractRuntime run, final String when)
        {
            Await.until(() -> run.runtime().liveSockets() == liveSockets,
                "live OOB contexts back to " + liveSockets + " " + when + " (now " + run.runtime().liveSockets() + ")",
                5_000_000_000L);
            if (descriptors >= 0)
            {
                Await.until(() -> OpenDescriptors.count() <= descriptors,
                    "open descriptors back to " + descriptors + " " + when + " (now " + OpenDescriptors.count() + ")",
                    5_000_000_000L);
            }
        }
    }
}
