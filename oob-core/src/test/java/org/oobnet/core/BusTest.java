package org.oobnet.core;

import org.oobnet.inband.KSocketEvent;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.core.bus.OobBusAddress;
import org.oobnet.core.bus.OobBusProtocol;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.OobHooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_OOB;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_NONBLOCK;
import static org.oobnet.inband.SocketConstants.SOCK_OOB;
import static org.oobnet.inband.SocketConstants.SOCK_RAW;

/**
 * The AF_OOB bus end to end: named endpoints, both rings, stage I/O, events, drops by reason.
 */
class BusTest
{
    @TempDir
    Path dir;

    private OobRuntime runtime;
    private Arena arena;
    private final List<KSocket> sockets = new ArrayList<>();

    @BeforeEach
    void start()
    {
        runtime = OobRuntime.start(CoreTests.config(dir).build());
        arena = Arena.ofShared();
    }

    @AfterEach
    void stop() throws Exception
    {
        for (final KSocket socket : sockets)
        {
            if (!socket.isClosed())
            {
                socket.close();
            }
        }
        runtime.close();
        arena.close();
    }

    private KSocket bus(final int flags) throws ErrnoException
    {
        final KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB | flags, 0);
        sockets.add(socket);
        return socket;
    }

    private KSocket bound(final String name) throws ErrnoException
    {
        final KSocket socket = bus(0);
        socket.bind(OobBusAddress.encode(name, arena));
        return socket;
    }

    private static UnsafeBuffer message(final String text)
    {
        return new UnsafeBuffer(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void shouldDeliverThroughRingsWhenConnectedToName() throws Exception
    {
        final KSocket receiver = bound("rx");
        final KSocket sender = bus(0);
        sender.connect(OobBusAddress.encode("rx", arena));
        final OobSocket out = OobSocket.of(sender);
        final OobSocket in = OobSocket.of(receiver);

        for (int i = 0; i < 10; i++)
        {
            assertEquals(0, out.offer(message("m" + i), 0, 2));
        }
        final int index = out.tryClaim(5);
        assertTrue(index >= 0);
        out.sendBuffer().putStringWithoutLengthAscii(index, "claim");
        out.commit(index);

        final List<String> received = new ArrayList<>();
        while (received.size() < 11)
        {
            final int n = in.receive((s, b, o, l) -> received.add(b.getStringWithoutLengthAscii(o, l)), 16,
                System.nanoTime() + 5_000_000_000L);
            assertTrue(n > 0, "receive returned " + n);
        }
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "claim"), received);
        assertEquals(11, out.counters().packetsOut().get());
        assertEquals(25, out.counters().bytesOut().get());
        assertEquals(11, in.counters().packetsIn().get());
        assertEquals(25, in.counters().bytesIn().get());
    }

    @Test
    void shouldHandMessagesZeroCopyToStageHandler() throws Exception
    {
        final KSocket receiver = bound("zc");
        final KSocket sender = bus(0);
        sender.connect(OobBusAddress.encode("zc", arena));
        final OobSocket in = OobSocket.of(receiver);
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<KSocketEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        in.stageReceiveHandler((s, b, o, l) ->
            seen.add(b.getStringWithoutLengthAscii(o, l) + " stage=" + runtime.stageAgent().isStageThread()));
        in.eventHandler((s, e, arg, cookie) -> events.add(e), null);
        assertEquals(0, OobSocket.of(sender).offer(message("hello"), 0, 5));
        // The stage raises OOBDATA right after the handler returns: wait for both before looking.
        CoreTests.await(() -> seen.size() == 1 && !events.isEmpty(), "stage handler and OOBDATA");
        assertEquals("hello stage=true", seen.getFirst());
        assertEquals(List.of(KSocketEvent.OOBDATA), events);
        assertEquals(0, in.receiveQueuedBytes());
    }

    @Test
    void shouldSendAndReceiveOnStageFromTask() throws Exception
    {
        final KSocket a = bound("a");
        final KSocket b = bound("b");
        a.connect(OobBusAddress.encode("b", arena));
        b.connect(OobBusAddress.encode("a", arena));
        final OobSocket sa = OobSocket.of(a);
        final OobSocket sb = OobSocket.of(b);
        final UnsafeBuffer ping = message("ping");
        final int[] results = new int[4];
        final List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        // set after the results are written: publishes them to this thread (got fills before oobReceive returns)
        final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        final OobTask task = new OobTask()
        {
            int step;

            @Override
            public int doWork(final long nowNs)
            {
                if (step == 0)
                {
                    results[0] = sb.oobReceive((s, buf, o, l) -> got.add("early"), 1);
                    results[1] = sa.oobSend(ping, 0, 4);
                    step = 1;
                    return 1;
                }
                if (step == 1)
                {
                    results[2] = sb.oobReceive((s, buf, o, l) -> got.add(buf.getStringWithoutLengthAscii(o, l)), 8);
                    results[3] = sa.oobClaim(8);
                    step = 2;
                    done.set(true);
                    return 1;
                }
                return 0;
            }
        };
        runtime.addTask(task, OobTask.Schedule.EVERY_CYCLE);
        CoreTests.await(done::get, "oobReceive");
        assertEquals(-Errno.EWOULDBLOCK, results[0]);
        assertEquals(4, results[1]);
        assertEquals(1, results[2]);
        assertEquals(List.of("ping"), got);
        assertEquals(0, results[3], "zero-copy claim in the peer's receive ring");
        assertTrue(runtime.removeTask(task));
    }

    @Test
    void shouldReportEmptyAndFullRings() throws Exception
    {
        final KSocket receiver = bound("full");
        final KSocket sender = bus(SOCK_NONBLOCK);
        sender.connect(OobBusAddress.encode("full", arena));
        final OobSocket in = OobSocket.of(receiver);
        final OobSocket out = OobSocket.of(sender);

        assertEquals(0, in.poll((s, b, o, l) -> { }, 10));
        final long deadline = System.nanoTime() + 20_000_000L;
        assertEquals(-Errno.ETIMEDOUT, in.receive((s, b, o, l) -> { }, 10, deadline));
        assertTrue(System.nanoTime() - deadline >= 0);

        // receive ring (16 KiB) takes 15 records of 1 KiB (+ header); the rest is dropped at the receiver
        final UnsafeBuffer kib = new UnsafeBuffer(new byte[1000]);
        for (int i = 0; i < 40; i++)
        {
            while (out.offer(kib, 0, 1000) == -Errno.EWOULDBLOCK)
            {
                Thread.yield();
            }
        }
        CoreTests.await(() -> out.counters().packetsOut().get() == 40, "all sent");
        final long queued = in.counters().packetsIn().get();
        assertEquals(40, queued + in.counters().dropsRingFull().get());
        assertTrue(in.counters().dropsRingFull().get() > 0);
        assertEquals(queued, in.poll((s, b, o, l) -> { }, 100));

        // send ring full: back-pressure, counted, never a drop
        final UnsafeBuffer big = new UnsafeBuffer(new byte[out.maxMessageLength()]);
        int refused = 0;
        for (int i = 0; i < 200 && refused == 0; i++)
        {
            if (out.offer(big, 0, big.capacity()) == -Errno.EWOULDBLOCK)
            {
                refused++;
            }
        }
        assertTrue(refused > 0 || out.counters().sendRingFull().get() > 0);
        assertEquals(-Errno.EMSGSIZE, out.tryClaim(out.maxMessageLength() + 1));
    }

    @Test
    void shouldCountDropWithNoPeerWhenNotConnected() throws Exception
    {
        final OobSocket lone = OobSocket.of(bus(0));
        assertEquals(0, lone.offer(message("x"), 0, 1));
        CoreTests.await(() -> lone.counters().dropsNoPeer().get() == 1, "drop counted");
        assertEquals(0, lone.counters().packetsOut().get());
    }

    @Test
    void shouldRefuseWhenPeerClosed() throws Exception
    {
        final KSocket receiver = bound("gone");
        final KSocket sender = bus(0);
        sender.connect(OobBusAddress.encode("gone", arena));
        receiver.close();
        final OobSocket out = OobSocket.of(sender);
        assertEquals(0, out.offer(message("x"), 0, 1));
        CoreTests.await(() -> out.counters().dropsNoPeer().get() == 1, "drop counted");
        assertEquals(Errno.ECONNREFUSED, assertThrows(ErrnoException.class,
            () -> sender.connect(OobBusAddress.encode("gone", arena))).errno());
    }

    @Test
    void shouldRejectBadAddressesAndTakenNames() throws Exception
    {
        bound("taken");
        final KSocket other = bus(0);
        assertEquals(Errno.EADDRINUSE, assertThrows(ErrnoException.class,
            () -> other.bind(OobBusAddress.encode("taken", arena))).errno());
        final MemorySegment wrongFamily = OobBusAddress.encode("x", arena);
        wrongFamily.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short)2);
        assertEquals(Errno.EAFNOSUPPORT, assertThrows(ErrnoException.class, () -> other.bind(wrongFamily)).errno());
        final MemorySegment tooLong = arena.allocate(8);
        tooLong.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short)AF_OOB);
        tooLong.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2, (short)10);
        assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> other.bind(tooLong)).errno());
        assertEquals(Errno.ECONNREFUSED, assertThrows(ErrnoException.class,
            () -> other.connect(OobBusAddress.encode("nobody", arena))).errno());
        assertEquals(Errno.ESOCKTNOSUPPORT, assertThrows(ErrnoException.class,
            () -> KSocket.socket(AF_OOB, SOCK_RAW | SOCK_OOB, 0)).errno());
        assertEquals(Errno.EPROTONOSUPPORT, assertThrows(ErrnoException.class,
            () -> KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 7)).errno());
        assertThrows(IllegalArgumentException.class, () -> OobBusAddress.encode("x".repeat(65), arena));
    }

    @Test
    void shouldServeIoctlsAndOptions() throws Exception
    {
        final KSocket receiver = bound("io");
        final KSocket sender = bus(0);
        sender.connect(OobBusAddress.encode("io", arena));
        final OobSocket out = OobSocket.of(sender);
        final OobSocket in = OobSocket.of(receiver);
        assertEquals(0, out.offer(message("12345"), 0, 5));
        CoreTests.await(() -> in.counters().packetsIn().get() == 1, "delivered");
        final OobHooks hooks = KSocket.installedOobHooks();
        final MemorySegment count = arena.allocate(4);
        assertEquals(0, hooks.inbandIoctlRedirect(receiver, OobBusProtocol.FIONREAD, count.address()));
        assertEquals(in.receiveQueuedBytes(), count.get(ValueLayout.JAVA_INT, 0));
        assertTrue(count.get(ValueLayout.JAVA_INT, 0) >= 5);
        assertEquals(-OobHooks.ENOIOCTLCMD, hooks.inbandIoctlRedirect(receiver, 0x1234, 0));
        assertEquals(in.id(), hooks.oobIoctl(sender, OobBusProtocol.OOB_IOC_PEER_ID, 0));
        assertEquals(-Errno.ENOTCONN, hooks.oobIoctl(receiver, OobBusProtocol.OOB_IOC_PEER_ID, 0));
        assertEquals(-Errno.ENOTTY, hooks.oobIoctl(receiver, 0x99, 0));
        final MemorySegment value = arena.allocate(4);
        final MemorySegment length = arena.allocate(4);
        length.set(ValueLayout.JAVA_INT, 0, 4);
        assertEquals(0, hooks.getoptRedirect(receiver, OobBusProtocol.SOL_SOCKET, OobBusProtocol.SO_RCVBUF, value, length));
        assertEquals(16 * 1024, value.get(ValueLayout.JAVA_INT, 0));
        assertEquals(-OobHooks.ENOIOCTLCMD, hooks.setoptRedirect(receiver, OobBusProtocol.SOL_SOCKET, 7, value));
    }

    @Test
    void shouldRaiseEventsOnStage() throws Exception
    {
        final KSocket receiver = bound("ev");
        final KSocket sender = bus(0);
        final OobSocket out = OobSocket.of(sender);
        final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        out.eventHandler((s, e, arg, cookie) ->
            events.add(e + " " + cookie + " stage=" + runtime.stageAgent().isStageThread()), "c");
        final OobTask watcher = new OobTask()
        {
            @Override
            public void onEvent(final OobSocket socket, final KSocketEvent event, final long arg)
            {
                if (socket == out)
                {
                    events.add("task " + event);
                }
            }
        };
        runtime.addTask(watcher, OobTask.Schedule.ON_EVENTS);
        sender.connect(OobBusAddress.encode("ev", arena));
        KSocket.installedOobHooks().shutdown(sender, OobSocket.SHUT_WR);
        CoreTests.await(() -> events.size() == 4, "events");
        assertEquals(List.of("CONNECTED c stage=true", "task CONNECTED", "CANTSENDMORE c stage=true",
            "task CANTSENDMORE"), events);
        sender.close();
        assertEquals(List.of("CONNECTED c stage=true", "task CONNECTED", "CANTSENDMORE c stage=true",
            "task CANTSENDMORE", "DISCONNECTED c stage=true", "task DISCONNECTED"), events);
        receiver.close();
    }

    @Test
    void shouldDeliverEventsToKSocketCallbacksOnStage() throws Exception
    {
        bound("cb");
        final KSocket sender = bus(0);
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        OobSocket.of(sender).callbacks(new org.oobnet.inband.KSocketCallbacks()
        {
            @Override
            public void onConnected(final KSocket socket, final Object cookie, final long argument)
            {
                seen.add("connected " + (socket == sender) + " " + cookie + " " + Thread.currentThread().getName());
            }

            @Override
            public void onCantSendMore(final KSocket socket, final Object cookie, final long argument)
            {
                seen.add("cantsendmore " + cookie);
            }
        }, "k");
        sender.connect(OobBusAddress.encode("cb", arena));
        sender.shutdown(OobSocket.SHUT_WR);
        CoreTests.await(() -> seen.size() == 2, "callbacks");
        assertEquals(List.of("connected true k oob-stage", "cantsendmore k"), seen);
    }

    @Test
    void shouldSendZeroCopyIntoPeerRingWhenClaimedOnStage() throws Exception
    {
        final KSocket receiver = bound("zc-rx");
        final KSocket sender = bus(0);
        sender.connect(OobBusAddress.encode("zc-rx", arena));
        final OobSocket out = OobSocket.of(sender);
        final OobSocket in = OobSocket.of(receiver);
        final int[] rc = {1, 1, 1, 1};
        runtime.addTask(new OobTask()
        {
            boolean done;

            @Override
            public int doWork(final long nowNs)
            {
                if (!done)
                {
                    done = true;
                    rc[0] = out.oobClaim(5);
                    final OobClaim claim = out.claim();
                    claim.buffer().putStringWithoutLengthAscii(claim.offset(), "claim");
                    rc[1] = out.oobCommit();
                    rc[2] = out.oobClaim(3);
                    out.oobAbort();
                    rc[3] = out.oobCommit();
                }
                return 0;
            }
        }, OobTask.Schedule.EVERY_CYCLE);
        final List<String> got = new ArrayList<>();
        assertEquals(1, in.receive((s, b, o, l) -> got.add(b.getStringWithoutLengthAscii(o, l)), 10,
            System.nanoTime() + 5_000_000_000L));
        assertEquals(List.of("claim"), got);
        assertEquals(0, rc[0]);
        assertEquals(5, rc[1]);
        assertEquals(0, rc[2]);
        assertEquals(-Errno.EINVAL, rc[3], "nothing claimed after the abort");
        assertEquals(1, out.counters().packetsOut().get());
        assertEquals(1, in.counters().packetsIn().get());
        assertEquals(0, in.poll((s, b, o, l) -> got.add("aborted slot seen"), 10));
    }

    @Test
    void shouldKeepMessageQueuedWhenPeerNotOnStageYet() throws Exception
    {
        runtime.close();
        runtime = OobRuntime.start(CoreTests.config(dir).commandLimit(1).build());
        final java.util.concurrent.atomic.AtomicBoolean hold = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.atomic.AtomicBoolean holding = new java.util.concurrent.atomic.AtomicBoolean();
        runtime.addTask(new OobTask()
        {
            @Override
            public int doWork(final long nowNs)
            {
                // keep the stage in this cycle while the test queues commands behind it
                final long deadline = System.nanoTime() + 5_000_000_000L;
                while (hold.get() && System.nanoTime() - deadline < 0)
                {
                    holding.set(true);
                    Thread.yield();
                }
                return 0;
            }
        }, OobTask.Schedule.EVERY_CYCLE);
        hold.set(true);
        CoreTests.await(holding::get, "stage held");
        final KSocket sender = bus(0);
        final KSocket receiver = bus(0);
        receiver.bind(OobBusAddress.encode("late", arena));
        sender.connect(OobBusAddress.encode("late", arena));
        final OobSocket out = OobSocket.of(sender);
        final OobSocket in = OobSocket.of(receiver);
        assertEquals(0, out.offer(message("early"), 0, 5));
        // one command per cycle: the sender is on the stage (and its ring drained) a cycle before the receiver
        hold.set(false);
        final List<String> got = new ArrayList<>();
        assertEquals(1, in.receive((s, b, o, l) -> got.add(b.getStringWithoutLengthAscii(o, l)), 10,
            System.nanoTime() + 5_000_000_000L));
        assertEquals(List.of("early"), got);
        assertEquals(0, out.counters().dropsNoPeer().get());
        assertEquals(1, out.counters().packetsOut().get());
    }
}
