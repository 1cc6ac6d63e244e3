package org.oobnet.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.core.bus.OobBusAddress;
import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_OOB;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_OOB;

/**
 * Closing sockets while traffic flows: in-flight work drained before release, native memory never touched after
 * the stage let go, a thousand sockets opened and closed under traffic with nothing leaked.
 */
class ReleaseUnderTrafficTest
{
    @TempDir
    Path dir;

    /**
     * A protocol that owns native memory the stage writes on every send (as oob-packet's TX ring), freed in
     * release: a send after release would touch a closed arena and throw on the stage, which the runtime counts.
     * The TX path accepts one message per 100 µs and is full otherwise, so sends stay in flight in the ring.
     */
    static class NativeTxProtocol implements OobProtocol
    {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final AtomicLong sent = new AtomicLong();
        volatile Arena arena;
        volatile MemorySegment tx;
        long lastCycleNs;

        @Override
        public int family()
        {
            return AF_OOB;
        }

        @Override
        public String name()
        {
            return "native-tx";
        }

        @Override
        public int match(final int type, final int protocol)
        {
            return 0;
        }

        @Override
        public int attach(final OobSocket socket)
        {
            arena = Arena.ofShared();
            tx = arena.allocate(4096);
            return 0;
        }

        @Override
        public void onStageDetach(final OobSocket socket)
        {
            calls.add("onStageDetach sent=" + sent.get());
        }

        @Override
        public void release(final OobSocket socket)
        {
            calls.add("release sent=" + sent.get());
            arena.close();
        }

        @Override
        public int send(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
        {
            final long now = socket.runtime().stageAgent().nowNs();
            if (now - lastCycleNs < 100_000L)
            {
                return -Errno.EWOULDBLOCK;
            }
            lastCycleNs = now;
            tx.set(ValueLayout.JAVA_LONG, 0, sent.incrementAndGet());
            return length;
        }
    }

    @Test
    void shouldDrainInFlightSendsBeforeReleaseWhenClosedWhileStageSends() throws Exception
    {
        final NativeTxProtocol protocol = new NativeTxProtocol();
        try (OobRuntime runtime = OobRuntime.start(
            // a drain timeout far above the ~25 ms the sends take: on a loaded machine yielding cycles can be slow
            CoreTests.config(dir).idleStrategy(OobConfig.IdleStrategyKind.YIELD)
                .releaseDrainTimeoutNs(30_000_000_000L).build(),
            new ProtocolRegistry().register(AF_OOB, protocol)))
        {
            final KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
            final OobSocket context = OobSocket.of(socket);
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
            int committed = 0;
            while (context.offer(payload, 0, 64) == 0)
            {
                committed++;
            }
            assertTrue(committed > 100, "ring holds " + committed);
            assertTrue(context.sendQueuedBytes() > 0, "sends are in flight");

            socket.close();

            assertEquals(List.of("onStageDetach sent=" + committed, "release sent=" + committed), protocol.calls);
            assertEquals(committed, context.counters().packetsOut().get());
            assertEquals(0, runtime.counters().errors().get(), "the stage never touched the freed TX memory");
            assertEquals(-Errno.EBADF, context.offer(payload, 0, 64));
        }
    }

    @Test
    void shouldDropAndCountWhatIsLeftWhenDrainTimesOut() throws Exception
    {
        final NativeTxProtocol protocol = new NativeTxProtocol()
        {
            @Override
            public int send(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
            {
                return -Errno.EWOULDBLOCK; // a TX path that never frees up
            }
        };
        try (OobRuntime runtime = OobRuntime.start(
            CoreTests.config(dir).releaseDrainTimeoutNs(50_000_000L).build(),
            new ProtocolRegistry().register(AF_OOB, protocol)))
        {
            final KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
            final OobSocket context = OobSocket.of(socket);
            for (int i = 0; i < 10; i++)
            {
                assertEquals(0, context.offer(new UnsafeBuffer(new byte[8]), 0, 8));
            }
            socket.hold();
            socket.close();
            assertEquals(10, context.counters().dropsClosed().get());
            assertEquals(List.of("onStageDetach sent=0", "release sent=0"), protocol.calls);
            assertEquals(0, runtime.counters().errors().get());
            socket.rele();
        }
    }

    @Test
    void shouldOpenAndCloseThousandSocketsUnderTraffic() throws Exception
    {
        try (OobRuntime runtime = OobRuntime.start(CoreTests.config(dir).build());
             Arena arena = Arena.ofShared())
        {
            final KSocket sink = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
            sink.bind(OobBusAddress.encode("sink", arena));
            final OobSocket in = OobSocket.of(sink);
            final KSocket source = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
            source.connect(OobBusAddress.encode("sink", arena));
            final OobSocket out = OobSocket.of(source);

            final AtomicBoolean running = new AtomicBoolean(true);
            final AtomicBoolean consuming = new AtomicBoolean(true);
            final AtomicLong offered = new AtomicLong();
            final AtomicLong consumed = new AtomicLong();
            final Thread producer = new Thread(() ->
            {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
                while (running.get())
                {
                    if (out.offer(payload, 0, 32) == 0)
                    {
                        offered.incrementAndGet();
                    }
                    else
                    {
                        Thread.yield();
                    }
                }
            });
            final Thread consumer = new Thread(() ->
            {
                while (consuming.get() || in.receiveQueuedBytes() > 0)
                {
                    final int n = in.poll((s, b, o, l) -> consumed.incrementAndGet(), 64);
                    if (n == 0)
                    {
                        Thread.yield();
                    }
                }
            });
            producer.start();
            consumer.start();

            final int before = runtime.liveSockets();
            final UnsafeBuffer note = new UnsafeBuffer(new byte[16]);
            for (int i = 0; i < 1000; i++)
            {
                final KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
                socket.bind(OobBusAddress.encode("s" + i, arena));
                socket.connect(OobBusAddress.encode("sink", arena));
                final OobSocket context = OobSocket.of(socket);
                context.offer(note, 0, 16);
                if ((i & 1) == 0)
                {
                    socket.close();
                }
                else
                {
                    // half of them closed from another thread, racing the stage's sends
                    final Thread closer = new Thread(() ->
                    {
                        try
                        {
                            socket.close();
                        }
                        catch (final Exception ex)
                        {
                            throw new IllegalStateException(ex);
                        }
                    });
                    closer.start();
                    closer.join();
                }
                assertTrue(context.isDestroyed());
            }
            running.set(false);
            producer.join();

            CoreTests.await(() -> out.sendQueuedBytes() == 0, "source drained");
            final long cycles = runtime.counters().cycles().get();
            CoreTests.await(() -> runtime.counters().cycles().get() > cycles + 2, "a full cycle after the drain");
            consuming.set(false);
            consumer.join();
            assertEquals(before, runtime.liveSockets());
            assertEquals(0, runtime.counters().errors().get());
            final long delivered = in.counters().packetsIn().get();
            final long dropped = in.counters().dropsRingFull().get();
            assertEquals(offered.get() + 1000, delivered + dropped,
                "offered=" + offered.get() + " sourceOut=" + out.counters().packetsOut().get() + " delivered=" +
                delivered + " dropped=" + dropped + " noPeer=" + out.counters().dropsNoPeer().get());
            assertTrue(offered.get() > 0);
            assertEquals(delivered, consumed.get());
            sink.close();
            source.close();
            assertEquals(0, runtime.liveSockets());
        }
    }
}
