package org.oobnet.packet;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.core.OobConfig;
import org.oobnet.inband.KSocketEvent;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobTask;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.inband.testing.SteadyStateAllocation;
import org.oobnet.packet.port.PortState;
import org.oobnet.packet.ring.PacketRingMapping;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.packet.testing.ArrivalProbe;
import org.oobnet.packet.testing.RawPacketSockets;
import org.oobnet.packet.testing.TestFrames;

import java.lang.foreign.Arena;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;
import static org.oobnet.inband.SocketConstants.*;

/**
 * OOB packet sockets end to end: {@code KSocket.socket(AF_PACKET, SOCK_RAW | SOCK_OOB, ...)} in two namespaces
 * joined by veth, served by a running {@link OobRuntime} whose stage moves the frames.
 */
class PacketProtocolNetnsTest
{
    private static final int ETHER_TYPE = 0x88b5;

    @TempDir
    Path countersDir;

    private NetnsFixture fixture;
    private OobRuntime runtime;
    private final List<KSocket> sockets = new ArrayList<>();
    private long macA;
    private long macB;
    private PacketProtocol protocol;
    // host 1's frames of ETHER_TYPE, counted after each test's sockets there took them (opened before them)
    private ArrivalProbe arrivedAtB;

    @BeforeEach
    void setUp() throws Exception
    {
        fixture = NetnsFixture.create(2);
        arrivedAtB = ArrivalProbe.open(fixture, fixture.host(1), ETHER_TYPE);
        macA = RawPacketSockets.mac(fixture.host(0).mac());
        macB = RawPacketSockets.mac(fixture.host(1).mac());
        final PacketConfig config = PacketConfig.fromProperties(Map.of(
            PacketConfig.RX_FRAMES_KEY, "64", PacketConfig.TX_FRAMES_KEY, "64",
            PacketConfig.HEALTH_CHECK_INTERVAL_KEY, "1000000"));
        protocol = new PacketProtocol(config);
        final ProtocolRegistry registry = new ProtocolRegistry().register(AF_PACKET, protocol);
        runtime = OobRuntime.start(OobConfig.builder()
            .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
            .countersDir(countersDir)
            .build(), registry);
    }

    @AfterEach
    void tearDown() throws Exception
    {
        try
        {
            for (final KSocket socket : sockets)
            {
                if (!socket.isClosed())
                {
                    socket.close();
                }
            }
            if (null != runtime)
            {
                runtime.close();
            }
            if (null != arrivedAtB)
            {
                arrivedAtB.close();
            }
        }
        finally
        {
            fixture.close();
        }
    }

    @Test
    void shouldCarryFramesFromOobSocketInOneNamespaceToOobSocketInTheOther() throws Exception
    {
        final KSocket a = open(fixture.host(0));
        final KSocket b = open(fixture.host(1));
        final OobSocket sender = OobSocket.of(a);
        final OobSocket receiver = OobSocket.of(b);

        final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
        final int count = 200;
        final List<Integer> sequences = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            writeFrame(frame, i, 64);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (sender.offer(frame, 0, 64) < 0)
            {
                assertTrue(System.nanoTime() - deadline < 0, "send ring stayed full");
                LockSupport.parkNanos(50_000);
            }
            if (i % 32 == 31)
            {
                drain(receiver, sequences, i + 1);
            }
        }
        drain(receiver, sequences, count);

        for (int i = 0; i < count; i++)
        {
            assertEquals(i, sequences.get(i));
        }
        final PacketSocketState sent = PacketSocketState.of(sender);
        final PacketSocketState received = PacketSocketState.of(receiver);
        assertEquals(count, sent.counters().get(PacketCounter.FRAMES_OUT));
        assertEquals(count, received.counters().get(PacketCounter.FRAMES_IN));
        assertTrue(sent.counters().get(PacketCounter.TX_KICKS) <= count);
        assertEquals(PortState.UP, received.portState());
        assertEquals("veth0", received.interfaceName());
        assertTrue(protocol.ports().snapshot("veth0").contains(received));
    }

    @Test
    void shouldSendZeroCopyFromStageTaskAndReceiveZeroCopyWithMetadata() throws Exception
    {
        final KSocket a = open(fixture.host(0));
        final KSocket b = open(fixture.host(1));
        final OobSocket sender = OobSocket.of(a);
        final Queue<long[]> frames = new ConcurrentLinkedQueue<>();
        PacketSocketState.of(OobSocket.of(b)).frameHandler(
            (buffer, offset, length, wireLength, timestampNs, vlanTci, ifIndex) -> frames.add(new long[]{
                buffer.getInt(offset + 14, ByteOrder.BIG_ENDIAN), length, wireLength, timestampNs, vlanTci, ifIndex }));

        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger claimErrors = new AtomicInteger();
        final OobTask task = new OobTask()
        {
            @Override
            public int doWork(final long nowNs)
            {
                final int sequence = next.get();
                if (sequence >= 50)
                {
                    return 0;
                }
                final int rc = sender.oobClaim(80);
                if (rc < 0)
                {
                    claimErrors.incrementAndGet();
                    return 0;
                }
                final MutableDirectBuffer buffer = sender.claim().buffer();
                final int offset = sender.claim().offset();
                TestFrames.ethernet(buffer, offset, macB, macA, -1, ETHER_TYPE);
                buffer.putInt(offset + 14, sequence, ByteOrder.BIG_ENDIAN);
                assertEquals(80, sender.oobCommit());
                next.incrementAndGet();
                return 1;
            }
        };
        runtime.addTask(task, OobTask.Schedule.EVERY_CYCLE);
        await(() -> frames.size() == 50, "50 frames received");
        runtime.removeTask(task);

        final int ifIndexB = fixture.call(fixture.host(1), () -> RawPacketSockets.ifIndex("veth0"));
        int expected = 0;
        for (final long[] f : frames)
        {
            assertEquals(expected++, f[0]);
            assertEquals(80, f[1]);
            assertEquals(80, f[2]);
            assertTrue(Math.abs(f[3] - System.currentTimeMillis() * 1_000_000L) < TimeUnit.SECONDS.toNanos(60),
                "kernel timestamp near now: " + f[3]);
            assertEquals(-1, f[4], "no VLAN");
            assertEquals(ifIndexB, f[5]);
        }
        assertEquals(0, claimErrors.get());
    }

    @Test
    void shouldReportDisconnectedAndKeepStageRunningWhenInterfaceDeletedMidTraffic() throws Exception
    {
        final KSocket a = open(fixture.host(0));
        final KSocket b = open(fixture.host(1));
        final OobSocket sender = OobSocket.of(a);
        final OobSocket receiver = OobSocket.of(b);
        final Queue<String> events = new ConcurrentLinkedQueue<>();
        sender.eventHandler((socket, event, arg, cookie) -> record(events, cookie, event, arg), "a");
        receiver.eventHandler((socket, event, arg, cookie) -> record(events, cookie, event, arg), "b");
        final AtomicLong cycles = new AtomicLong();
        final AtomicLong sendErrors = new AtomicLong();
        final OobTask traffic = new OobTask()
        {
            @Override
            public int doWork(final long nowNs)
            {
                cycles.incrementAndGet();
                if (sender.oobClaim(60) < 0)
                {
                    sendErrors.incrementAndGet();
                    return 0;
                }
                TestFrames.ethernet(sender.claim().buffer(), sender.claim().offset(), macB, macA, -1, ETHER_TYPE);
                sender.oobCommit();
                return 1;
            }
        };
        runtime.addTask(traffic, OobTask.Schedule.EVERY_CYCLE);
        final PacketSocketState stateB = PacketSocketState.of(receiver);
        final PacketSocketState stateA = PacketSocketState.of(sender);
        await(() -> stateB.counters().get(PacketCounter.FRAMES_IN) > 100, "traffic flows");

        org.oobnet.netns.IpCommand.run("-n", fixture.host(1).namespace(), "link", "del", "veth0");

        await(() -> stateB.portState() == PortState.DISCONNECTED, "receiver DISCONNECTED, was " + stateB.portState());
        await(() -> stateA.portState() == PortState.DISCONNECTED, "sender DISCONNECTED (its peer end went too)");
        await(() -> events.contains("b DISCONNECTED") && events.contains("a DISCONNECTED"), "events " + events);
        final long before = cycles.get();
        await(() -> cycles.get() > before + 100, "the stage keeps cycling");
        runtime.removeTask(traffic);

        b.close();
        a.close();
        assertEquals(PortState.CLOSED, stateA.portState());
        assertEquals(0, runtime.liveSockets());
    }

    @Test
    void shouldUnmapOnlyAfterStageLetGoWhenClosedUnderTraffic() throws Exception
    {
        for (int round = 0; round < 5; round++)
        {
            final KSocket a = open(fixture.host(0));
            final KSocket b = open(fixture.host(1));
            final OobSocket sender = OobSocket.of(a);
            final OobSocket receiver = OobSocket.of(b);
            final OobTask traffic = new OobTask()
            {
                @Override
                public int doWork(final long nowNs)
                {
                    for (int i = 0; i < 8 && sender.oobClaim(60) == 0; i++)
                    {
                        TestFrames.ethernet(sender.claim().buffer(), sender.claim().offset(), macB, macA, -1, ETHER_TYPE);
                        sender.oobCommit();
                    }
                    return 1;
                }
            };
            runtime.addTask(traffic, OobTask.Schedule.EVERY_CYCLE);
            final PacketSocketState stateA = PacketSocketState.of(sender);
            final PacketSocketState stateB = PacketSocketState.of(receiver);
            final PacketRingMapping mappingA = stateA.mapping();
            final PacketRingMapping mappingB = stateB.mapping();
            await(() -> stateB.counters().get(PacketCounter.FRAMES_IN) > 50, "traffic flows");

            // Receiver first: the kernel keeps filling its ring while it closes.
            b.close();
            assertTrue(mappingB.isUnmapped());
            assertEquals(-Errno.EBADF, receiver.oobReceive((s, buf, off, len) -> { }, 1));
            a.close();
            assertTrue(mappingA.isUnmapped());
            runtime.removeTask(traffic);
            assertEquals(0, runtime.liveSockets());
        }
    }

    @Test
    void shouldRefuseBindWhenInterfaceNotEnabledAndRingOptionsWhileOob() throws Exception
    {
        runtime.close();
        final ProtocolRegistry registry = new ProtocolRegistry().register(AF_PACKET,
            new PacketProtocol(PacketConfig.fromProperties(Map.of(PacketConfig.INTERFACES_KEY, "eth9"))));
        runtime = OobRuntime.start(OobConfig.builder()
            .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF).countersDir(countersDir).build(), registry);

        final NetnsFixture.Host host = fixture.host(0);
        final org.oobnet.inband.ErrnoException e = assertThrows(org.oobnet.inband.ErrnoException.class,
            () -> open(host));
        assertEquals(Errno.ENODEV, e.errno());
    }

    @Test
    void shouldRefuseRingOptionsWhileRuntimeOwnsRingsAndPassFilterToKernel() throws Exception
    {
        final KSocket b = open(fixture.host(1));

        final org.oobnet.inband.ErrnoException e = assertThrows(org.oobnet.inband.ErrnoException.class,
            () -> b.setOption(SOL_PACKET, PACKET_VERSION, TPACKET_V3));
        assertEquals(Errno.EBUSY, e.errno());
        try (Arena arena = Arena.ofConfined())
        {
            b.setOption(SOL_SOCKET, SO_ATTACH_FILTER, org.oobnet.packet.bpf.SockFilters.toSockFprog(
                arena, org.oobnet.packet.bpf.BpfFilterBuilder.acceptNothing()));
        }
        final KSocket a = open(fixture.host(0));
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
        writeFrame(frame, 7, 64);
        final long before = arrivedAtB.arrived();
        assertEquals(0, OobSocket.of(a).offer(frame, 0, 64));
        // the stage sends it when it runs, host 1's softirq hands it to b's filter when it runs (a loaded machine
        // can take longer than any fixed wait for either); then the stage has a while to (wrongly) take it
        await(() -> 1 == PacketSocketState.of(OobSocket.of(a)).counters().get(PacketCounter.FRAMES_OUT), "frame sent");
        arrivedAtB.await(before + 1);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        assertEquals(0, PacketSocketState.of(OobSocket.of(b)).counters().get(PacketCounter.FRAMES_IN),
            "the kernel applied the accept-nothing filter");
    }

    @Test
    void shouldNotAllocateOnStageWhenFramesFlowInSteadyState() throws Exception
    {
        final KSocket a = open(fixture.host(0));
        final KSocket b = open(fixture.host(1));
        final OobSocket sender = OobSocket.of(a);
        final OobSocket receiver = OobSocket.of(b);
        final long[] received = new long[1];
        PacketSocketState.of(receiver).frameHandler(
            (buffer, offset, length, wireLength, timestampNs, vlanTci, ifIndex) -> received[0]++);
        final OobTask traffic = new OobTask()
        {
            @Override
            public int doWork(final long nowNs)
            {
                if (sender.oobClaim(64) == 0)
                {
                    final MutableDirectBuffer buffer = sender.claim().buffer();
                    TestFrames.ethernet(buffer, sender.claim().offset(), macB, macA, -1, ETHER_TYPE);
                    sender.oobCommit();
                }
                return 1;
            }
        };
        runtime.addTask(traffic, OobTask.Schedule.EVERY_CYCLE);
        final PacketSocketState stateB = PacketSocketState.of(receiver);
        await(() -> stateB.counters().get(PacketCounter.FRAMES_IN) > 20_000, "warm-up traffic");

        // rounds of 20,000 frames each way until the JIT reached steady state; a real per-frame or per-cycle
        // allocation shows in every round
        final long allocated = SteadyStateAllocation.ofThread(runtime.stageThread().threadId(), () ->
        {
            final long target = stateB.counters().get(PacketCounter.FRAMES_IN) + 20_000;
            await(() -> stateB.counters().get(PacketCounter.FRAMES_IN) >= target, "a round of traffic");
        });
        runtime.removeTask(traffic);

        assertTrue(PacketSocketState.of(sender).counters().get(PacketCounter.TX_KICKS) > 1000);
        assertEquals(0, allocated, "bytes allocated on the stage over 20,000 frames each way, health checks included");
    }

    @Test
    void shouldJoinPromiscuousAndMulticastMembershipsOnBoundInterface() throws Exception
    {
        runtime.close();
        final ProtocolRegistry registry = new ProtocolRegistry().register(AF_PACKET,
            new PacketProtocol(PacketConfig.fromProperties(Map.of(
                PacketConfig.PROMISCUOUS_KEY, "true", PacketConfig.MULTICAST_GROUPS_KEY, "239.1.2.3"))));
        runtime = OobRuntime.start(OobConfig.builder()
            .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF).countersDir(countersDir).build(), registry);
        final NetnsFixture.Host host = fixture.host(0);
        final String ns = host.namespace();
        // a packet socket's promiscuous membership raises the device's promiscuity count (not the PROMISC flag)
        assertTrue(org.oobnet.netns.IpCommand.run("-n", ns, "-d", "link", "show", "veth0")
            .contains("promiscuity 0 "));

        final KSocket socket = open(host);

        assertTrue(org.oobnet.netns.IpCommand.run("-n", ns, "-d", "link", "show", "veth0")
            .contains("promiscuity 1 "));
        assertTrue(org.oobnet.netns.IpCommand.run("-n", ns, "maddress", "show", "dev", "veth0")
            .contains("01:00:5e:01:02:03"));
        socket.close();
        assertTrue(org.oobnet.netns.IpCommand.run("-n", ns, "-d", "link", "show", "veth0")
            .contains("promiscuity 0 "), "the kernel drops the memberships with the socket");
    }

    @Test
    void shouldReportErrorWhileInterfaceDownAndRecoverWhenUpAgain() throws Exception
    {
        final KSocket a = open(fixture.host(0));
        final KSocket b = open(fixture.host(1));
        final OobSocket sender = OobSocket.of(a);
        final OobSocket receiver = OobSocket.of(b);
        final Queue<String> events = new ConcurrentLinkedQueue<>();
        receiver.eventHandler((socket, event, arg, cookie) -> record(events, cookie, event, arg), "b");
        final PacketSocketState stateB = PacketSocketState.of(receiver);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);

        org.oobnet.netns.IpCommand.run("-n", fixture.host(1).namespace(), "link", "set", "veth0", "down");
        await(() -> stateB.portState() == PortState.ERROR, "receiver ERROR, was " + stateB.portState());
        assertEquals(Errno.ENETDOWN, stateB.lastSocketErrno());
        await(() -> events.contains("b ERROR"), "ERROR event, got " + events);

        org.oobnet.netns.IpCommand.run("-n", fixture.host(1).namespace(), "link", "set", "veth0", "up");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stateB.counters().get(PacketCounter.FRAMES_IN) == 0)
        {
            assertTrue(System.nanoTime() - deadline < 0, "frames flow again after the interface came up");
            writeFrame(frame, 1, 64);
            sender.offer(frame, 0, 64);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        await(() -> stateB.portState() == PortState.UP, "receiver UP again");
    }

    @Test
    void shouldHoldFramesWhileCarrierDownAndSendEveryOneOnceWhenLinkIsBack() throws Exception
    {
        final KSocket a = open(fixture.host(0));
        final KSocket b = open(fixture.host(1));
        final OobSocket sender = OobSocket.of(a);
        final OobSocket receiver = OobSocket.of(b);
        final PacketSocketState stateA = PacketSocketState.of(sender);
        final java.util.BitSet seen = new java.util.BitSet();
        final AtomicInteger duplicates = new AtomicInteger();
        final org.oobnet.core.OobReceiveHandler onFrame = (socket, buffer, offset, length) ->
        {
            final int sequence = buffer.getInt(offset + 14, ByteOrder.BIG_ENDIAN);
            if (seen.get(sequence))
            {
                duplicates.incrementAndGet();
            }
            seen.set(sequence);
        };
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
        int sent = 0;
        // before, during (more frames than the 64-frame TX ring holds: the rest wait in the send ring) and after
        for (final String phase : List.of("up", "down", "up"))
        {
            if (!"up".equals(phase) || sent > 0)
            {
                org.oobnet.netns.IpCommand.run("-n", fixture.host(1).namespace(), "link", "set", "veth0", phase);
            }
            final int until = sent + 100;
            while (sent < until)
            {
                writeFrame(frame, sent, 64);
                if (sender.offer(frame, 0, 64) >= 0)
                {
                    sent++;
                }
                else
                {
                    break; // send ring full while the link is down: a real sender backs off here
                }
                receiver.poll(onFrame, 256);
                LockSupport.parkNanos(200_000);
            }
            if ("down".equals(phase))
            {
                final int whileDown = sent;
                await(() -> stateA.counters().get(PacketCounter.SOCKET_ERRORS) > 0,
                    "the kernel refused the kicks while the carrier was down");
                assertEquals(Errno.ENOBUFS, stateA.lastSocketErrno());
                assertTrue(seen.cardinality() < whileDown, "frames were held, not sent: " + seen.cardinality());
            }
        }
        final int total = sent;
        await(() ->
        {
            receiver.poll(onFrame, 256);
            return seen.cardinality() == total;
        }, "every frame arrives once the link is back; missing " + missing(seen, total) + ", " + stateA.counters());
        assertEquals(0, duplicates.get());
        assertEquals(0, stateA.counters().get(PacketCounter.TX_UNSENT_AT_CLOSE));
    }

    @Test
    void shouldCountFramesStillUnsentWhenClosedWhileCarrierDown() throws Exception
    {
        final KSocket a = open(fixture.host(0));
        final OobSocket sender = OobSocket.of(a);
        final PacketSocketState stateA = PacketSocketState.of(sender);
        org.oobnet.netns.IpCommand.run("-n", fixture.host(1).namespace(), "link", "set", "veth0", "down");
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
        for (int i = 0; i < 10; i++)
        {
            writeFrame(frame, i, 64);
            assertTrue(sender.offer(frame, 0, 64) >= 0);
        }
        await(() -> stateA.counters().get(PacketCounter.FRAMES_OUT) == 10, "frames in the TX ring");
        await(() -> stateA.counters().get(PacketCounter.SOCKET_ERRORS) > 0, "kick refused");

        a.close();

        assertEquals(10, stateA.counters().get(PacketCounter.TX_UNSENT_AT_CLOSE), stateA.counters().toString());
        assertEquals(0, sender.counters().dropsClosed().get(), "none left in the send ring");
    }

    private static String missing(final java.util.BitSet seen, final int total)
    {
        final java.util.BitSet missing = new java.util.BitSet();
        missing.set(0, total);
        missing.andNot(seen);
        return missing.isEmpty() ? "none" : missing.cardinality() + " (first " + missing.nextSetBit(0) + ", last " +
            missing.previousSetBit(total) + ")";
    }

    @Test
    void shouldCountKernelDropsWhenStageStalledBehindTraffic() throws Exception
    {
        final KSocket b = open(fixture.host(1));
        final PacketSocketState stateB = PacketSocketState.of(OobSocket.of(b));
        stateB.frameHandler((buffer, offset, length, wireLength, timestampNs, vlanTci, ifIndex) -> { });

        sendWhileStageStalled(200);

        await(() -> stateB.counters().get(PacketCounter.FRAMES_IN) + stateB.counters().get(PacketCounter.KERNEL_DROPS) == 200,
            "every frame either taken or counted as dropped (health check): " + stateB.counters());
        assertEquals(64, stateB.counters().get(PacketCounter.FRAMES_IN), "the ring's 64 frames");
        assertEquals(136, stateB.counters().get(PacketCounter.KERNEL_DROPS));
    }

    @Test
    void shouldShowKernelDropsOnceRingDrainedWithoutLaterFrameOrHealthCheck() throws Exception
    {
        final KSocket b = openWithoutHealthChecks();
        final PacketSocketState stateB = PacketSocketState.of(OobSocket.of(b));

        // nothing comes after the burst (no frame flagged TP_STATUS_LOSING), no health check runs, the socket stays
        // open: the stage reads the drops once it drained the ring it saw full
        sendWhileStageStalled(200, () -> { });

        await(() -> stateB.counters().get(PacketCounter.FRAMES_IN) + stateB.counters().get(PacketCounter.KERNEL_DROPS) == 200,
            "every frame taken or counted as dropped, within the wait: " + stateB.counters());
        assertEquals(64, stateB.counters().get(PacketCounter.FRAMES_IN), "the ring's 64 frames");
        assertEquals(136, stateB.counters().get(PacketCounter.KERNEL_DROPS), "the burst beyond the ring");
        b.close();
        assertEquals(136, stateB.counters().get(PacketCounter.KERNEL_DROPS), "none more at close");
    }

    @Test
    void shouldCountEachKernelDropOnceWhenApplicationAndStageBothReadStatistics() throws Exception
    {
        final KSocket b = openWithoutHealthChecks();
        final PacketSocketState stateB = PacketSocketState.of(OobSocket.of(b));
        final int[] readByApplication = new int[2];

        // the application reads PACKET_STATISTICS while the stage is held with the ring full (the in-band redirect
        // adds what it read to the counter); the stage reads again once it drained the ring: the kernel reset the
        // drops at the first read, so the second gets none of them
        sendWhileStageStalled(200, () ->
        {
            try (Arena arena = Arena.ofConfined())
            {
                final java.lang.foreign.MemorySegment stats = arena.allocate(8, 4);
                assertEquals(8, b.getOption(SOL_PACKET, PACKET_STATISTICS, stats));
                readByApplication[0] = stats.get(java.lang.foreign.ValueLayout.JAVA_INT, 0);
                readByApplication[1] = stats.get(java.lang.foreign.ValueLayout.JAVA_INT, 4);
            }
        });
        assertEquals(200, readByApplication[0], "tp_packets as the kernel says");
        assertEquals(136, readByApplication[1], "tp_drops as the kernel says");
        assertEquals(136, stateB.counters().get(PacketCounter.KERNEL_DROPS), "the redirect fed the counter");

        await(() -> stateB.counters().get(PacketCounter.FRAMES_IN) == 64, "the ring's 64 frames taken");
        // the stage's read after the drain (RxRing.takeDropsDue) got 0: nothing counted twice
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        assertEquals(136, stateB.counters().get(PacketCounter.KERNEL_DROPS), "each drop counted once");
        b.close();
        assertEquals(136, stateB.counters().get(PacketCounter.KERNEL_DROPS), "each drop counted once, after close");
    }

    @Test
    void shouldCountFramesLeftInRxRingWhenSocketLeavesStageWithABurstWaiting() throws Exception
    {
        // the stage takes at most 8 frames a cycle; the close reaches it while 40 wait, so it detaches the socket
        // after the first 8 and the rest stay in the ring
        final KSocket b = openWithoutHealthChecks(8);
        final OobSocket receiver = OobSocket.of(b);
        final PacketSocketState stateB = PacketSocketState.of(receiver);
        final java.util.concurrent.atomic.AtomicReference<Throwable> closeFailure =
            new java.util.concurrent.atomic.AtomicReference<>();
        final Thread closer = new Thread(() ->
        {
            try
            {
                b.close();
            }
            catch (final Throwable t)
            {
                closeFailure.set(t);
            }
        });
        final int sent = 40;

        sendWhileStageStalled(sent, () ->
        {
            closer.start();
            // RELEASING: the detach is queued right after; the stage, held, runs it first thing once let go
            await(() -> !receiver.isOpen(), "close begun");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        });
        closer.join(TimeUnit.SECONDS.toMillis(10));

        assertNull(closeFailure.get());
        assertFalse(closer.isAlive(), "close returned");
        final long taken = stateB.counters().get(PacketCounter.FRAMES_IN);
        final long unread = stateB.counters().get(PacketCounter.RX_UNREAD_AT_CLOSE);
        assertEquals(sent, taken + unread, "every frame taken or counted unread: " + stateB.counters());
        assertTrue(unread > 0, "frames were left in the ring: " + stateB.counters());
        assertEquals(0, stateB.counters().get(PacketCounter.KERNEL_DROPS), "the ring held the burst");
    }

    private KSocket openWithoutHealthChecks() throws Exception
    {
        return openWithoutHealthChecks(PacketConfig.DEFAULT_RX_BATCH_LIMIT);
    }

    // host B's packet socket on a runtime whose health checks (which read the drops too) never come
    private KSocket openWithoutHealthChecks(final int rxBatchLimit) throws Exception
    {
        runtime.close();
        final ProtocolRegistry registry = new ProtocolRegistry().register(AF_PACKET,
            new PacketProtocol(PacketConfig.fromProperties(Map.of(PacketConfig.RX_FRAMES_KEY, "64",
                PacketConfig.RX_BATCH_LIMIT_KEY, Integer.toString(rxBatchLimit),
                PacketConfig.HEALTH_CHECK_INTERVAL_KEY, Long.toString(TimeUnit.HOURS.toNanos(1))))));
        runtime = OobRuntime.start(OobConfig.builder()
            .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF).countersDir(countersDir).build(), registry);
        final KSocket b = open(fixture.host(1));
        final PacketSocketState stateB = PacketSocketState.of(OobSocket.of(b));
        stateB.frameHandler((buffer, offset, length, wireLength, timestampNs, vlanTci, ifIndex) -> { });
        await(() -> stateB.counters().get(PacketCounter.FRAMES_IN) == 0 && stateB.portState() == PortState.UP, "bound");
        return b;
    }

    @Test
    void shouldKickTheFirstReplyOfAnRxPollAtOnceAndTheRestOfABurstTogether() throws Exception
    {
        final KSocket b = open(fixture.host(1));
        final OobSocket replier = OobSocket.of(b);
        final PacketSocketState stateB = PacketSocketState.of(replier);
        final AtomicInteger claimErrors = new AtomicInteger();
        stateB.frameHandler((buffer, offset, length, wireLength, timestampNs, vlanTci, ifIndex) ->
        {
            if (replier.oobClaim(64) != 0)
            {
                claimErrors.incrementAndGet();
                return;
            }
            TestFrames.ethernet(replier.claim().buffer(), replier.claim().offset(), macA, macB, -1, ETHER_TYPE);
            replier.oobCommit();
        });
        final long kicksBefore = stateB.counters().get(PacketCounter.TX_KICKS);

        // a burst waiting in the RX ring: the first reply leaves at once, the other 7 together at the cycle's flush
        sendWhileStageStalled(8);
        await(() -> stateB.counters().get(PacketCounter.FRAMES_OUT) == 8, "8 replies sent");
        assertEquals(2, stateB.counters().get(PacketCounter.TX_KICKS) - kicksBefore, "two kicks for the burst");

        // a lone frame: its reply leaves from its delivery, in a kick of its own
        sendWhileStageStalled(1);
        await(() -> stateB.counters().get(PacketCounter.FRAMES_OUT) == 9, "the lone frame's reply sent");
        assertEquals(3, stateB.counters().get(PacketCounter.TX_KICKS) - kicksBefore);
        assertEquals(0, claimErrors.get());
    }

    // 200 frames from a plain AF_PACKET socket in host 0 while a task blocks the stage: host 1's RX ring fills
    private void sendWhileStageStalled(final int frames) throws Exception
    {
        sendWhileStageStalled(frames, () -> { });
    }

    // the frames sent while a task holds the stage; whileHeld runs once they reached host 1's sockets (in the ring
    // or dropped at it full), before the stage is let go
    private void sendWhileStageStalled(final int frames, final StalledAction whileHeld) throws Exception
    {
        final int fd = fixture.call(fixture.host(0), () -> RawPacketSockets.open(ETHER_TYPE));
        try (Arena arena = Arena.ofConfined())
        {
            final int ifIndex = fixture.call(fixture.host(0), () -> RawPacketSockets.ifIndex("veth0"));
            final java.lang.foreign.MemorySegment to = RawPacketSockets.sockaddrLl(arena, ifIndex, ETHER_TYPE);
            final java.lang.foreign.MemorySegment frame = arena.allocate(64).fill((byte)0);
            TestFrames.ethernet(new UnsafeBuffer(frame.address(), 64), 0, macB, macA, -1, ETHER_TYPE);

            final java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
            final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            final OobTask staller = new OobTask()
            {
                @Override
                public int doWork(final long nowNs)
                {
                    stalled.countDown();
                    try
                    {
                        release.await(10, TimeUnit.SECONDS);
                    }
                    catch (final InterruptedException e)
                    {
                        Thread.currentThread().interrupt();
                    }
                    return 0;
                }
            };
            // addTask waits for the end of the cycle the task first runs in: add it from another thread
            final Thread adder = new Thread(() -> runtime.addTask(staller, OobTask.Schedule.EVERY_CYCLE));
            adder.start();
            assertTrue(stalled.await(10, TimeUnit.SECONDS));
            final org.oobnet.inband.sys.ErrnoCapture errno = new org.oobnet.inband.sys.ErrnoCapture();
            final long before = arrivedAtB.arrived();
            for (int i = 0; i < frames; i++)
            {
                assertEquals(64, org.oobnet.inband.sys.LibC.sendto(errno, fd, frame, 64, 0, to, 20));
            }
            // sendto returns once the veth took the frame; host 1's softirq may take it much later under load
            arrivedAtB.await(before + frames);
            try
            {
                whileHeld.run();
            }
            finally
            {
                release.countDown();
                adder.join();
            }
            runtime.removeTask(staller);
        }
        finally
        {
            RawPacketSockets.close(fd);
        }
    }

    @Test
    void shouldHideOwnSendsFromRxRingOnlyWhenIgnoreOutgoingSet() throws Exception
    {
        for (final boolean ignoreOutgoing : new boolean[]{ true, false })
        {
            runtime.close();
            final ProtocolRegistry registry = new ProtocolRegistry().register(AF_PACKET,
                new PacketProtocol(PacketConfig.fromProperties(Map.of(
                    PacketConfig.IGNORE_OUTGOING_KEY, Boolean.toString(ignoreOutgoing)))));
            runtime = OobRuntime.start(OobConfig.builder()
                .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF).countersDir(countersDir).build(), registry);
            // ETH_P_ALL: the kernel also hands a socket the frames its own host sends (PACKET_OUTGOING)
            final NetnsFixture.Host host = fixture.host(0);
            final KSocket socket = fixture.call(host, () ->
            {
                final KSocket s = KSocket.socket(AF_PACKET, SOCK_RAW | SOCK_OOB, SocketConstants.htons(0x0003));
                sockets.add(s);
                try (Arena arena = Arena.ofConfined())
                {
                    s.bind(RawPacketSockets.sockaddrLl(arena, RawPacketSockets.ifIndex("veth0"), 0x0003));
                }
                return s;
            });
            final OobSocket oob = OobSocket.of(socket);
            final AtomicInteger own = new AtomicInteger();
            PacketSocketState.of(oob).frameHandler((buffer, offset, length, wireLength, timestampNs, vlanTci, ifIndex) ->
            {
                if (length >= 18 && (buffer.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xffff) == ETHER_TYPE &&
                    buffer.getInt(offset + 14, ByteOrder.BIG_ENDIAN) == 4242)
                {
                    own.incrementAndGet();
                }
            });
            // sent by another socket of the same host: the kernel never loops a socket's own sends back to it
            final int fd = fixture.call(host, () -> RawPacketSockets.open(ETHER_TYPE));
            try (Arena arena = Arena.ofConfined())
            {
                final int ifIndex = fixture.call(host, () -> RawPacketSockets.ifIndex("veth0"));
                final java.lang.foreign.MemorySegment to = RawPacketSockets.sockaddrLl(arena, ifIndex, ETHER_TYPE);
                final java.lang.foreign.MemorySegment frame = arena.allocate(64).fill((byte)0);
                final UnsafeBuffer view = new UnsafeBuffer(frame.address(), 64);
                TestFrames.ethernet(view, 0, macB, macA, -1, ETHER_TYPE);
                view.putInt(14, 4242, ByteOrder.BIG_ENDIAN);
                final org.oobnet.inband.sys.ErrnoCapture errno = new org.oobnet.inband.sys.ErrnoCapture();
                for (int i = 0; i < 10; i++)
                {
                    assertEquals(64, org.oobnet.inband.sys.LibC.sendto(errno, fd, frame, 64, 0, to, 20));
                }
            }
            finally
            {
                RawPacketSockets.close(fd);
            }
            if (ignoreOutgoing)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                assertEquals(0, own.get(), "own sends hidden with PACKET_IGNORE_OUTGOING");
            }
            else
            {
                await(() -> own.get() == 10, "own sends seen without PACKET_IGNORE_OUTGOING, got " + own.get());
            }
            socket.close();
        }
    }

    @Test
    void shouldFailWithEfaultNotCrashWhenFilterPointerIsBadAndKeepTheAttachedProgram() throws Exception
    {
        final KSocket b = open(fixture.host(1));
        final org.oobnet.packet.bpf.BpfProgram program = org.oobnet.packet.bpf.BpfFilterBuilder.filter()
            .etherType(ETHER_TYPE).vlan(5).build();
        try (Arena arena = Arena.ofConfined())
        {
            b.setOption(SOL_SOCKET, SO_ATTACH_FILTER, org.oobnet.packet.bpf.SockFilters.toSockFprog(arena, program));
            assertEquals(program, PacketSocketState.of(OobSocket.of(b)).filter(), "read back from the kernel");

            final java.lang.foreign.MemorySegment bad = arena.allocate(16, 8).fill((byte)0);
            bad.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short)4);
            bad.set(java.lang.foreign.ValueLayout.JAVA_LONG, 8, 8L); // a pointer into page zero
            final org.oobnet.inband.ErrnoException e = assertThrows(org.oobnet.inband.ErrnoException.class,
                () -> b.setOption(SOL_SOCKET, SO_ATTACH_FILTER, bad));
            assertEquals(Errno.EFAULT, e.errno());
            assertEquals(program, PacketSocketState.of(OobSocket.of(b)).filter(), "the previous program stays");

            b.setOption(SOL_SOCKET, SO_DETACH_FILTER, 0);
            assertNull(PacketSocketState.of(OobSocket.of(b)).filter());
        }
    }

    @Test
    void shouldShowPacketCountersToAnotherJvmWhenFramesFlow() throws Exception
    {
        final KSocket a = open(fixture.host(0));
        final KSocket b = open(fixture.host(1));
        final OobSocket sender = OobSocket.of(a);
        final OobSocket receiver = OobSocket.of(b);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
        for (int i = 0; i < 20; i++)
        {
            writeFrame(frame, i, 64);
            assertEquals(0, sender.offer(frame, 0, 64));
        }
        drain(receiver, new ArrayList<>(), 20);

        final List<String> lines = statInAnotherJvm();
        assertEquals(20, value(lines, "frames out: packet fd=" + a.fd() + " id=" + sender.id()));
        assertEquals(20 * 64, value(lines, "bytes out: packet fd=" + a.fd() + " id=" + sender.id()));
        assertEquals(20, value(lines, "frames in: packet fd=" + b.fd() + " id=" + receiver.id()));
        assertEquals(0, value(lines, "kernel drops: packet fd=" + b.fd() + " id=" + receiver.id()));
        assertEquals(PacketSocketState.of(sender).counters().get(PacketCounter.TX_KICKS),
            value(lines, "tx kicks: packet fd=" + a.fd() + " id=" + sender.id()));
    }

    private List<String> statInAnotherJvm() throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(org.oobnet.core.counters.CountersPrinter.class.getName());
        command.addAll(List.of("--once", "--dir", countersDir.toString()));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output.lines().toList();
    }

    private static long value(final List<String> lines, final String label)
    {
        final java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(
            "^\\s*\\d+:\\s+([\\d,]+) - " + java.util.regex.Pattern.quote(label) + "$");
        for (final String line : lines)
        {
            final java.util.regex.Matcher m = pattern.matcher(line);
            if (m.matches())
            {
                return Long.parseLong(m.group(1).replace(",", ""));
            }
        }
        throw new AssertionError("no counter label=" + label + " in:\n" + String.join("\n", lines));
    }

    private KSocket open(final NetnsFixture.Host host) throws Exception
    {
        final KSocket socket = fixture.call(host, () ->
        {
            final KSocket s = KSocket.socket(AF_PACKET, SOCK_RAW | SOCK_OOB, SocketConstants.htons(ETHER_TYPE));
            sockets.add(s);
            try (Arena arena = Arena.ofConfined())
            {
                s.bind(RawPacketSockets.sockaddrLl(arena, RawPacketSockets.ifIndex(host.interfaceName()), ETHER_TYPE));
            }
            return s;
        });
        assertNotNull(OobSocket.of(socket));
        return socket;
    }

    private void writeFrame(final UnsafeBuffer frame, final int sequence, final int length)
    {
        frame.setMemory(0, length, (byte)0);
        TestFrames.ethernet(frame, 0, macB, macA, -1, ETHER_TYPE);
        frame.putInt(14, sequence, ByteOrder.BIG_ENDIAN);
    }

    private static void drain(final OobSocket receiver, final List<Integer> sequences, final int count)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sequences.size() < count)
        {
            final int rc = receiver.receive((socket, buffer, offset, length) ->
                sequences.add(buffer.getInt(offset + 14, ByteOrder.BIG_ENDIAN)), 64, deadline);
            assertTrue(rc > 0, "receive: " + rc + " after " + sequences.size() + " of " + count);
        }
    }

    private static void record(final Queue<String> events, final Object cookie, final KSocketEvent event, final long arg)
    {
        if (event == KSocketEvent.ERROR || event == KSocketEvent.DISCONNECTED)
        {
            events.add(cookie + " " + event);
        }
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadline < 0, "timed out waiting: " + what);
            LockSupport.parkNanos(1_000_000);
        }
    }

    @SuppressWarnings("unused")
    private static int etherType(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    @FunctionalInterface
    private interface StalledAction
    {
        void run() throws Exception;
    }
}
