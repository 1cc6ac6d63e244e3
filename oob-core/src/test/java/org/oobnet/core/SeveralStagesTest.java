package org.oobnet.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.core.bus.OobBusAddress;
import org.oobnet.core.counters.CountersFileReader;
import org.oobnet.core.counters.CountersPrinter;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.testing.SteadyStateAllocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_OOB;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_OOB;

/**
 * A runtime of two stages: each its own pinned thread, sockets placed by name ({@code SO_OOB_STAGE}), each socket
 * served by its stage's thread, named errors, no allocation on either stage, close under traffic.
 */
class SeveralStagesTest
{
    @TempDir
    Path dir;

    private OobRuntime runtime;
    private Arena arena;
    private final List<KSocket> sockets = new ArrayList<>();

    @BeforeEach
    void start()
    {
        final int last = Runtime.getRuntime().availableProcessors() - 1;
        runtime = OobRuntime.start(CoreTests.config(dir)
            .stages(List.of(
                new OobConfig.StageSpec("alpha", 0, OobConfig.IdleStrategyKind.BACKOFF, 100_000L, List.of()),
                new OobConfig.StageSpec("beta", last, OobConfig.IdleStrategyKind.BACKOFF, 100_000L, List.of())))
            .build());
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

    private KSocket bus(final String stage) throws ErrnoException
    {
        final KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
        sockets.add(socket);
        if (null != stage)
        {
            socket.setOption(OobSocket.SOL_OOB, OobSocket.SO_OOB_STAGE, name(stage));
        }
        return socket;
    }

    private MemorySegment name(final String stage)
    {
        return arena.allocateFrom(stage, StandardCharsets.US_ASCII);
    }

    @Test
    void shouldRunEachStageOnItsOwnThread()
    {
        final RuntimeStage alpha = runtime.stage("alpha");
        final RuntimeStage beta = runtime.stage("beta");
        assertNotNull(alpha);
        assertNotNull(beta);
        assertEquals(List.of(alpha, beta), runtime.stages());
        assertEquals(alpha, runtime.defaultStage());
        assertNotEquals(alpha.thread(), beta.thread());
        assertEquals("oob-stage", alpha.thread().getName());
        assertEquals("oob-stage-beta", beta.thread().getName());
        assertEquals(0, alpha.cpu());
        assertEquals(Runtime.getRuntime().availableProcessors() - 1, beta.cpu());
        final long a = alpha.counters().cycles().get();
        final long b = beta.counters().cycles().get();
        CoreTests.await(() -> alpha.counters().cycles().get() > a + 10 && beta.counters().cycles().get() > b + 10,
            "both stages cycle");
        assertEquals(beta.cpu(), beta.counters().cpu().get());
    }

    @Test
    void shouldServeEachSocketOnTheStageNamedForIt() throws Exception
    {
        final Set<Thread> alphaThreads = ConcurrentHashMap.newKeySet();
        final Set<Thread> betaThreads = ConcurrentHashMap.newKeySet();
        final OobSocket alphaIn = pair("alpha", "a-in", alphaThreads);
        final OobSocket betaIn = pair("beta", "b-in", betaThreads);

        CoreTests.await(() -> alphaIn.counters().packetsIn().get() >= 100 && betaIn.counters().packetsIn().get() >= 100,
            "traffic on both stages");
        assertEquals(Set.of(runtime.stage("alpha").thread()), alphaThreads);
        assertEquals(Set.of(runtime.stage("beta").thread()), betaThreads);
        assertEquals("alpha", alphaIn.runtimeStage().name());
        assertEquals("beta", betaIn.runtimeStage().name());

        final MemorySegment value = arena.allocate(32);
        final int length = betaIn.ksocket().getOption(OobSocket.SOL_OOB, OobSocket.SO_OOB_STAGE, value);
        assertEquals("beta", value.getString(0, StandardCharsets.US_ASCII));
        assertEquals(5, length);
    }

    // a receiver on the stage, zero-copy handler recording the thread, and a sender connected to it
    private OobSocket pair(final String stage, final String name, final Set<Thread> threads) throws Exception
    {
        final KSocket receiver = bus(stage);
        receiver.bind(OobBusAddress.encode(name, arena));
        final OobSocket in = OobSocket.of(receiver);
        in.stageReceiveHandler((s, b, o, l) -> threads.add(Thread.currentThread()));
        final KSocket sender = bus(stage);
        sender.connect(OobBusAddress.encode(name, arena));
        final OobSocket out = OobSocket.of(sender);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
        for (int i = 0; i < 100; i++)
        {
            while (out.offer(payload, 0, 16) < 0)
            {
                Thread.yield();
            }
        }
        return in;
    }

    @Test
    void shouldNameWhatIsWrongWithAPlacement() throws Exception
    {
        final KSocket socket = bus(null);
        final ErrnoException unknown = assertThrows(ErrnoException.class,
            () -> socket.setOption(OobSocket.SOL_OOB, OobSocket.SO_OOB_STAGE, name("gamma")));
        assertEquals("ENODEV", unknown.errnoName());

        final OobSocket context = OobSocket.of(socket);
        assertEquals("alpha", context.runtimeStage().name());
        final KSocket peer = bus(null);
        peer.bind(OobBusAddress.encode("late", arena));
        socket.connect(OobBusAddress.encode("late", arena));
        assertTrue(context.offer(new UnsafeBuffer(new byte[8]), 0, 8) >= 0);
        final ErrnoException late = assertThrows(ErrnoException.class,
            () -> socket.setOption(OobSocket.SOL_OOB, OobSocket.SO_OOB_STAGE, name("beta")));
        assertEquals("EBUSY", late.errnoName());
        assertEquals("alpha", context.runtimeStage().name());
    }

    @Test
    void shouldDropAMessageToAPeerOnAnotherStage() throws Exception
    {
        final KSocket receiver = bus("beta");
        receiver.bind(OobBusAddress.encode("far", arena));
        final KSocket sender = bus("alpha");
        sender.connect(OobBusAddress.encode("far", arena));
        final OobSocket out = OobSocket.of(sender);

        assertEquals(0, out.offer(new UnsafeBuffer(new byte[8]), 0, 8));

        CoreTests.await(() -> out.counters().dropsProtocol().get() == 1, "the cross-stage send dropped");
        assertEquals(0, OobSocket.of(receiver).counters().packetsIn().get());
    }

    @Test
    void shouldShowEachStageInStat() throws Exception
    {
        bus("beta");
        CoreTests.await(() -> runtime.stage("beta").counters().sockets().get() == 1, "socket on beta");
        CoreTests.await(() -> runtime.stage("beta").counters().cycles().get() > 0, "beta cycles");
        final java.io.StringWriter text = new java.io.StringWriter();
        try (CountersFileReader reader = CountersFileReader.open(runtime.countersPath()))
        {
            new CountersPrinter(new java.io.PrintWriter(text, true), new java.io.PrintWriter(System.err, true))
                .printCounters(reader);
        }
        final String out = text.toString();
        assertTrue(out.matches("(?s).*\\nstage alpha cpu=0 (isolated|noisol) cycles=\\d+ .*sockets=0 .*"), out);
        assertTrue(out.matches("(?s).*\\nstage beta cpu=\\d+ (isolated|noisol) cycles=\\d+ .*sockets=1 .*"), out);
    }

    @Test
    void shouldAllocateNothingOnEitherStageUnderTraffic() throws Exception
    {
        final OobSocket[] outs = new OobSocket[2];
        final OobSocket[] ins = new OobSocket[2];
        final String[] stages = {"alpha", "beta"};
        for (int i = 0; i < 2; i++)
        {
            final KSocket receiver = bus(stages[i]);
            receiver.bind(OobBusAddress.encode("alloc-" + i, arena));
            final AtomicLong seen = new AtomicLong();
            ins[i] = OobSocket.of(receiver);
            ins[i].stageReceiveHandler((s, b, o, l) -> seen.lazySet(seen.get() + 1));
            final KSocket sender = bus(stages[i]);
            sender.connect(OobBusAddress.encode("alloc-" + i, arena));
            outs[i] = OobSocket.of(sender);
        }
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread producer = new Thread(() ->
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[48]);
            while (running.get())
            {
                if (outs[0].offer(payload, 0, 48) < 0 | outs[1].offer(payload, 0, 48) < 0)
                {
                    Thread.yield();
                }
            }
        }, "stages-producer");
        producer.start();
        try
        {
            for (int i = 0; i < 2; i++)
            {
                final RuntimeStage stage = runtime.stages().get(i);
                final OobSocket in = ins[i];
                final long[] delivered = new long[1];
                final long allocated = SteadyStateAllocation.ofThread(stage.thread().threadId(), () ->
                {
                    final long before = in.counters().packetsIn().get();
                    final long cycles = stage.counters().cycles().get();
                    while (stage.counters().cycles().get() - cycles < 20_000)
                    {
                        LockSupport.parkNanos(5_000_000L);
                    }
                    delivered[0] = in.counters().packetsIn().get() - before;
                });
                assertTrue(delivered[0] > 100, stage.name() + " delivered " + delivered[0]);
                assertEquals(0, allocated, "bytes allocated by stage " + stage.name() + " in steady state");
            }
        }
        finally
        {
            running.set(false);
            producer.join();
        }
    }

    @Test
    void shouldCloseUnderTrafficOnBothStages() throws Exception
    {
        final OobSocket a = pair("alpha", "close-a", ConcurrentHashMap.newKeySet());
        final OobSocket b = pair("beta", "close-b", ConcurrentHashMap.newKeySet());
        final List<OobSocket> senders = new ArrayList<>();
        for (final KSocket socket : sockets)
        {
            if (OobSocket.of(socket) != a && OobSocket.of(socket) != b)
            {
                senders.add(OobSocket.of(socket));
            }
        }
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong refused = new AtomicLong();
        final Thread producer = new Thread(() ->
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
            while (running.get())
            {
                for (final OobSocket out : senders)
                {
                    if (out.offer(payload, 0, 32) < 0)
                    {
                        refused.incrementAndGet();
                        Thread.yield();
                    }
                }
            }
        }, "close-producer");
        producer.start();
        CoreTests.await(() -> a.counters().packetsIn().get() > 1_000 && b.counters().packetsIn().get() > 1_000,
            "traffic on both before the close");
        runtime.close();
        running.set(false);
        producer.join();
        assertEquals(0, runtime.liveSockets());
        assertTrue(refused.get() > 0, "sends refused once the runtime closed");
    }

    /**
     * A placement and a first send from another thread at the same moment, many times over: the send comes first
     * (the placement fails with {@code EBUSY}, the socket stays on alpha, whose bus drops the message for the peer on
     * beta) or the placement does (the socket is on beta and the message reaches the peer there). Any other outcome,
     * e.g. placed on beta but sent by alpha, or a message lost, fails.
     */
    @Test
    void shouldSerialisePlacementWithAConcurrentFirstSend() throws Exception
    {
        final int rounds = 200;
        int placed = 0;
        int refused = 0;
        for (int round = 0; round < rounds; round++)
        {
            final KSocket receiver = bus("beta");
            receiver.bind(OobBusAddress.encode("race-" + round, arena));
            final OobSocket in = OobSocket.of(receiver);
            final KSocket sender = bus(null);
            sender.connect(OobBusAddress.encode("race-" + round, arena));
            final OobSocket out = OobSocket.of(sender);
            final MemorySegment beta = name("beta");
            final CyclicBarrier start = new CyclicBarrier(2);
            final AtomicLong wouldBlock = new AtomicLong();
            final Thread sending = new Thread(() ->
            {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
                await(start);
                int rc;
                while ((rc = out.offer(payload, 0, 8)) == -org.oobnet.inband.Errno.EWOULDBLOCK)
                {
                    wouldBlock.incrementAndGet();
                    Thread.onSpinWait();
                }
                assertEquals(0, rc);
            }, "race-sender");
            sending.start();
            String placement = "0";
            await(start);
            try
            {
                sender.setOption(OobSocket.SOL_OOB, OobSocket.SO_OOB_STAGE, beta);
            }
            catch (final ErrnoException ex)
            {
                placement = ex.errnoName();
            }
            sending.join();
            final String where = "round " + round + " placement=" + placement + " wouldBlock=" + wouldBlock.get();
            if ("0".equals(placement))
            {
                placed++;
                assertEquals("beta", out.runtimeStage().name(), where);
                CoreTests.await(() -> in.counters().packetsIn().get() == 1, "delivered on beta: " + where);
                assertEquals(0, out.counters().dropsProtocol().get(), where);
            }
            else
            {
                refused++;
                assertEquals("EBUSY", placement, where);
                assertEquals("alpha", out.runtimeStage().name(), where);
                CoreTests.await(() -> out.counters().dropsProtocol().get() == 1, "dropped by alpha: " + where);
                assertEquals(0, in.counters().packetsIn().get(), where);
            }
            sender.close();
            receiver.close();
        }
        System.out.println("placement vs first send: placed=" + placed + " refused=" + refused + " of " + rounds);
        assertEquals(rounds, placed + refused);
    }

    private static void await(final CyclicBarrier barrier)
    {
        try
        {
            barrier.await();
        }
        catch (final InterruptedException | java.util.concurrent.BrokenBarrierException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
