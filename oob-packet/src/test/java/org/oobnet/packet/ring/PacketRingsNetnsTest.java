package org.oobnet.packet.ring;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.packet.bpf.BpfFilterBuilder;
import org.oobnet.packet.frame.Tpacket2HeaderFlyweight;
import org.oobnet.packet.bpf.BpfProgram;
import org.oobnet.packet.bpf.SockFilters;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.packet.stats.PacketCounters;
import org.oobnet.packet.testing.ArrivalProbe;
import org.oobnet.packet.testing.RawPacketSockets;
import org.oobnet.packet.testing.TestFrames;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The TPACKET_V2 rings on the real kernel, below the protocol: two namespaces joined by veth, frames sent from a
 * TX ring in one, taken from an RX ring in the other.
 */
class PacketRingsNetnsTest
{
    private static final int ETHER_TYPE = 0x88b5;
    private static final int PAGE = 4096;

    private final ErrnoCapture errno = new ErrnoCapture();
    private final List<Integer> fds = new ArrayList<>();
    private final List<PacketRingMapping> mappings = new ArrayList<>();
    private final List<ArrivalProbe> probes = new ArrayList<>();
    private NetnsFixture fixture;
    private NetnsFixture.Host a;
    private NetnsFixture.Host b;
    private long macA;
    private long macB;

    @BeforeEach
    void setUp()
    {
        fixture = NetnsFixture.create(2);
        a = fixture.host(0);
        b = fixture.host(1);
        macA = RawPacketSockets.mac(a.mac());
        macB = RawPacketSockets.mac(b.mac());
    }

    @AfterEach
    void tearDown()
    {
        for (final PacketRingMapping mapping : mappings)
        {
            mapping.unmap(errno);
        }
        for (final int fd : fds)
        {
            RawPacketSockets.close(fd);
        }
        probes.forEach(ArrivalProbe::close);
        if (null != fixture)
        {
            fixture.close();
        }
    }

    @Test
    void shouldCarryTxBatchesToRxRingAcrossVeth() throws Exception
    {
        final Side sender = open(a, ETHER_TYPE, RingGeometry.of(2048, 64, PAGE, PAGE), RingGeometry.of(2048, 32, PAGE, PAGE));
        final Side receiver = open(b, ETHER_TYPE, RingGeometry.of(2048, 64, PAGE, PAGE), null);

        final int batches = 8;
        final int perBatch = 16;
        final Collector collector = new Collector();
        for (int batch = 0; batch < batches; batch++)
        {
            for (int i = 0; i < perBatch; i++)
            {
                assertEquals(60, sendSequence(sender.tx, batch * perBatch + i, 60));
            }
            assertEquals(perBatch, sender.tx.pending());
            assertEquals(perBatch, sender.tx.flush(), "one kick sends the whole batch");
            collector.awaitCount(receiver.rx, (batch + 1) * perBatch);
        }

        assertEquals(batches * perBatch, collector.sequences.size());
        for (int i = 0; i < collector.sequences.size(); i++)
        {
            assertEquals(i, collector.sequences.get(i));
        }
        assertEquals(batches, sender.counters.get(PacketCounter.TX_KICKS));
        assertEquals(batches * perBatch, sender.counters.get(PacketCounter.FRAMES_OUT));
        assertEquals(batches * perBatch, receiver.counters.get(PacketCounter.FRAMES_IN));
        assertEquals(batches * perBatch * 60L, receiver.counters.get(PacketCounter.BYTES_IN));
        assertEquals(fixture.call(b, () -> RawPacketSockets.ifIndex(b.interfaceName())), collector.lastIfIndex);
        assertTrue(collector.lastTimestampNs > 0, "kernel timestamp present");
    }

    @Test
    void shouldWrapRxRingMoreThanTenTimesWithoutLossWhenConsumerKeepsUp() throws Exception
    {
        final RingGeometry small = RingGeometry.of(1024, 16, PAGE, PAGE);
        final Side sender = open(a, ETHER_TYPE, RingGeometry.of(2048, 16, PAGE, PAGE), RingGeometry.of(2048, 16, PAGE, PAGE));
        final Side receiver = open(b, ETHER_TYPE, small, null);

        final int total = small.frameCount() * 12 + 5;
        final Collector collector = new Collector();
        int sent = 0;
        while (sent < total)
        {
            final int batch = Math.min(8, total - sent);
            for (int i = 0; i < batch; i++)
            {
                assertEquals(64, sendSequence(sender.tx, sent++, 64));
            }
            sender.tx.flush();
            collector.awaitCount(receiver.rx, sent);
        }

        assertEquals(total, collector.sequences.size());
        for (int i = 0; i < total; i++)
        {
            assertEquals(i, collector.sequences.get(i), "in order, none lost");
        }
        final long[] stats = RawPacketSockets.statistics(receiver.fd);
        assertEquals(0, stats[1], "kernel drops");
        assertEquals(total, stats[0]);
        assertFalse(receiver.rx.takeDropsDue(), "a ring never full, never flagged: no read due");
        assertEquals(5, receiver.rx.index(), "ring wrapped 12 times and 5 frames");
    }

    @Test
    void shouldCountKernelDropsWhenConsumerDoesNotKeepUp() throws Exception
    {
        final RingGeometry small = RingGeometry.of(1024, 16, PAGE, PAGE);
        final Side sender = open(a, ETHER_TYPE, RingGeometry.of(2048, 16, PAGE, PAGE), RingGeometry.of(2048, 64, PAGE, PAGE));
        final ArrivalProbe arrived = probe(b, ETHER_TYPE);
        final Side receiver = open(b, ETHER_TYPE, small, null);

        for (int i = 0; i < 64; i++)
        {
            sendSequence(sender.tx, i, 64);
        }
        sender.tx.flush();
        // the receiver's softirq takes the frames from veth's backlog when it runs: every one in the ring or dropped
        arrived.await(64);

        final Collector collector = new Collector();
        collector.awaitCount(receiver.rx, 16);
        assertEquals(0, receiver.rx.poll(collector, 100), "nothing beyond the ring's 16 frames");
        // none of the 16 is flagged TP_STATUS_LOSING (they came before any drop), but the ring was full and is
        // drained: the drops are due now, with no later frame
        assertTrue(receiver.rx.takeDropsDue(), "a full ring drained: drops are due");
        assertFalse(receiver.rx.takeDropsDue(), "once per overflow");
        for (int i = 0; i < 16; i++)
        {
            assertEquals(i, collector.sequences.get(i), "the first 16 kept, the rest dropped");
        }

        sendSequence(sender.tx, 64, 64);
        sender.tx.flush();
        collector.awaitCount(receiver.rx, 17);
        assertEquals(64, collector.sequences.get(16));
        assertTrue(receiver.rx.takeDropsDue(), "a frame received while drops are unread carries TP_STATUS_LOSING");
        awaitStatistics(receiver.fd, 65, 48);
    }

    @Test
    void shouldKeepForeignTrafficOutWhenFilterAttachedBeforeBind() throws Exception
    {
        final Side sender = open(a, ETHER_TYPE, RingGeometry.of(2048, 16, PAGE, PAGE), RingGeometry.of(2048, 16, PAGE, PAGE));
        final int port = 4242;
        final BpfProgram filter = BpfFilterBuilder.filter()
            .ipv4Destination(TestFrames.ipv4(b.address())).udpDestinationPort(port).build();
        // the one foreign frame goes last: counted after the ETH_P_ALL socket under test took the frames before it
        final ArrivalProbe arrived = probe(b, ETHER_TYPE);
        // Protocol 0 receives nothing until bound: attach the filter first, so no foreign frame ever lands.
        final int fd = fixture.call(b, () -> RawPacketSockets.open(0));
        fds.add(fd);
        assertEquals(0, SockFilters.attach(errno, fd, filter), "kernel accepts the built program");
        final PacketCounters counters = new PacketCounters();
        final PacketRingMapping mapping = PacketRingMapping.mapOrThrow(
            errno, fd, RingGeometry.of(2048, 16, PAGE, PAGE), null, false, true, null);
        mappings.add(mapping);
        RawPacketSockets.bind(fd, fixture.call(b, () -> RawPacketSockets.ifIndex(b.interfaceName())), 0x0003);
        final RxRing rx = new RxRing(mapping.rxRing(), mapping.rxGeometry(), counters);

        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int[] ports = { 4243, port, 53, port };
        for (final int dst : ports)
        {
            final int length = TestFrames.udpFrame(frame, macB, macA, TestFrames.ipv4(a.address()),
                TestFrames.ipv4(b.address()), 9000, dst, new byte[]{ (byte)dst });
            assertEquals(length, sender.tx.send(frame, 0, length));
        }
        final int foreign = TestFrames.ethernet(frame, 0, macB, macA, -1, ETHER_TYPE) + 50;
        assertEquals(foreign, sender.tx.send(frame, 0, foreign));
        sender.tx.flush();
        // all five went through the filter: what the ring holds now is all it will get
        arrived.await(1);

        final List<Integer> seenPorts = new ArrayList<>();
        rx.poll((buffer, offset, length, wire, ts, vlan, ifIndex) ->
            seenPorts.add(buffer.getShort(offset + 36, ByteOrder.BIG_ENDIAN) & 0xffff), 16);
        assertEquals(List.of(port, port), seenPorts);
        assertEquals(2, RawPacketSockets.statistics(fd)[0], "the kernel queued only the matching frames");
    }

    @Test
    void shouldCountFilterMissesWhenFramesQueuedBeforeFilterWereVerifiedOnStage() throws Exception
    {
        final Side sender = open(a, ETHER_TYPE, RingGeometry.of(2048, 16, PAGE, PAGE), RingGeometry.of(2048, 16, PAGE, PAGE));
        // frame 5, the last, is 0x88b6: counted after the ETH_P_ALL socket under test took the frames before it
        final ArrivalProbe arrived = probe(b, 0x88b6);
        final Side receiver = open(b, 0x0003, RingGeometry.of(2048, 16, PAGE, PAGE), null);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
        for (int i = 0; i < 6; i++)
        {
            final int length = TestFrames.ethernet(frame, 0, macB, macA, -1, i % 2 == 0 ? ETHER_TYPE : 0x88b6) + 46;
            frame.putInt(14, i, ByteOrder.BIG_ENDIAN);
            sender.tx.send(frame, 0, length);
        }
        sender.tx.flush();
        // all six in the ring before the filter is verified on it
        arrived.await(3);

        receiver.rx.verifyFilter(BpfFilterBuilder.filter().etherType(ETHER_TYPE).build());
        final Collector collector = new Collector();
        collector.awaitCount(receiver.rx, 3);
        assertEquals(List.of(0, 2, 4), collector.sequences);
        assertEquals(3, receiver.counters.get(PacketCounter.FILTER_MISSES));
        assertEquals(3, receiver.counters.get(PacketCounter.FRAMES_IN));
    }

    @Test
    void shouldAcceptEveryBuiltProgramInTheKernel() throws Exception
    {
        final int fd = fixture.call(b, () -> RawPacketSockets.open(0));
        fds.add(fd);
        final BpfProgram[] programs = {
            BpfFilterBuilder.acceptNothing(),
            BpfFilterBuilder.filter().build(),
            BpfFilterBuilder.filter().etherType(ETHER_TYPE).vlan(100).build(),
            BpfFilterBuilder.filter().multicastGroup(TestFrames.ipv4("239.1.2.3")).udpDestinationPort(5000).vlan(7).build(),
        };
        for (final BpfProgram program : programs)
        {
            assertEquals(0, SockFilters.attach(errno, fd, program), program.toString());
        }
    }

    @Test
    void shouldDeliverHandBuiltUdpFrameToKernelUdpSocket() throws Exception
    {
        final Side sender = open(a, ETHER_TYPE, RingGeometry.of(2048, 16, PAGE, PAGE), RingGeometry.of(2048, 16, PAGE, PAGE));
        final DatagramChannel udp = fixture.call(b, () ->
            DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(b.address(), 40555)));
        try (udp)
        {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
            final byte[] payload = "raw frame to kernel".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            final int length = TestFrames.udpFrame(frame, macB, macA, TestFrames.ipv4(a.address()),
                TestFrames.ipv4(b.address()), 40444, 40555, payload);
            assertEquals(length, sender.tx.send(frame, 0, length));
            assertEquals(1, sender.tx.flush());

            final ByteBuffer received = ByteBuffer.allocate(64);
            final InetSocketAddress from = (InetSocketAddress)udp.receive(received);
            received.flip();
            assertEquals("raw frame to kernel", java.nio.charset.StandardCharsets.US_ASCII.decode(received).toString());
            assertEquals(new InetSocketAddress(a.address(), 40444), from);
        }
    }

    @Test
    void shouldCountTruncatedFramesWhenLongerThanRxSlot() throws Exception
    {
        final Side sender = open(a, ETHER_TYPE, RingGeometry.of(2048, 16, PAGE, PAGE), RingGeometry.of(2048, 16, PAGE, PAGE));
        final Side receiver = open(b, ETHER_TYPE, RingGeometry.of(256, 16, PAGE, PAGE), null);

        sendSequence(sender.tx, 1, 1000);
        sendSequence(sender.tx, 2, 100);
        sender.tx.flush();

        final Collector collector = new Collector();
        collector.awaitCount(receiver.rx, 1);
        assertEquals(List.of(2), collector.sequences, "the long frame is not handed on");
        assertEquals(1, receiver.counters.get(PacketCounter.TRUNCATED));
        assertEquals(1, receiver.counters.get(PacketCounter.FRAMES_IN));
    }

    @Test
    void shouldRefuseFramesTheKernelWouldNotSendAndCountThem() throws Exception
    {
        final Side sender = open(a, ETHER_TYPE, RingGeometry.of(2048, 16, PAGE, PAGE), RingGeometry.of(2048, 2, PAGE, PAGE));
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);

        assertEquals(-org.oobnet.inband.Errno.EINVAL, sender.tx.send(frame, 0, 10));
        assertEquals(-org.oobnet.inband.Errno.EMSGSIZE, sender.tx.send(frame, 0, 1515));
        assertEquals(2, sender.counters.get(PacketCounter.WRONG_FORMAT));

        // Two frames fill a two-frame ring until the kick hands them to the kernel.
        assertEquals(60, sendSequence(sender.tx, 1, 60));
        assertEquals(60, sendSequence(sender.tx, 2, 60));
        assertEquals(-org.oobnet.inband.Errno.EWOULDBLOCK, sendSequence(sender.tx, 3, 60));
        assertEquals(1, sender.counters.get(PacketCounter.TX_RING_FULL));
        assertEquals(2, sender.tx.flush());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int rc;
        while ((rc = sendSequence(sender.tx, 3, 60)) < 0 && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(50_000);
        }
        assertEquals(60, rc, "a frame frees once the kernel sent it");
    }

    @Test
    void shouldTakeASentFrameWhoseStatusCarriesOnlyTimestampFlagsAsFree() throws Exception
    {
        final RingGeometry txGeometry = RingGeometry.of(2048, 2, PAGE, PAGE);
        final Side sender = open(a, ETHER_TYPE, RingGeometry.of(2048, 16, PAGE, PAGE), txGeometry);
        final PacketRingMapping mapping = mappings.get(mappings.size() - 1);
        assertEquals(60, sendSequence(sender.tx, 1, 60));
        assertEquals(60, sendSequence(sender.tx, 2, 60));
        assertEquals(2, sender.tx.flush());
        awaitNoneInFlight(sender.tx);
        // what the kernel leaves in a sent frame when the driver stamped it (tpacket_destruct_skb: AVAILABLE | the
        // TP_STATUS_TS_* flag of the time it wrote); veth stamps nothing, so the status is written as it would be
        final Tpacket2HeaderFlyweight header = new Tpacket2HeaderFlyweight();
        for (int i = 0; i < 2; i++)
        {
            header.wrap(mapping.txRing(), txGeometry.frameOffset(i))
                .soStatus(Tpacket2HeaderFlyweight.TP_STATUS_AVAILABLE | Tpacket2HeaderFlyweight.TP_STATUS_TS_SOFTWARE);
        }
        assertEquals(60, sendSequence(sender.tx, 3, 60), "a sent frame with a timestamp flag is free");
        assertEquals(60, sendSequence(sender.tx, 4, 60));
        assertEquals(0, sender.counters.get(PacketCounter.TX_RING_FULL));
    }

    @Test
    void shouldReportEveryCompletionOnceInRingOrderAndReuseOnlyReapedFrames() throws Exception
    {
        final Side sender = open(a, ETHER_TYPE, RingGeometry.of(2048, 16, PAGE, PAGE), RingGeometry.of(2048, 4, PAGE, PAGE));
        final Side receiver = open(b, ETHER_TYPE, RingGeometry.of(2048, 64, PAGE, PAGE), null);
        final List<Integer> completed = new ArrayList<>();
        final List<Integer> statuses = new ArrayList<>();
        sender.tx.completions((frame, status, timestampNs) ->
        {
            completed.add(frame);
            statuses.add(status);
        });
        final Collector collector = new Collector();
        final int frames = 10;
        for (int i = 0; i < frames; i++)
        {
            // the fifth claim finds four frames not yet reaped: it reaps what the kernel gave back, or waits
            int rc;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((rc = sendSequence(sender.tx, i, 60)) < 0 && System.nanoTime() - deadline < 0)
            {
                assertEquals(-org.oobnet.inband.Errno.EWOULDBLOCK, rc);
                sender.tx.flush();
                LockSupport.parkNanos(50_000);
            }
            assertEquals(60, rc, "frame " + i);
            assertEquals(i % 4, sender.tx.lastCommitted());
        }
        sender.tx.flush();
        collector.awaitCount(receiver.rx, frames);
        awaitNoneInFlight(sender.tx);
        sender.tx.reapCompletions();
        assertEquals(0, sender.tx.reapCompletions(), "nothing is reported twice");

        assertEquals(frames, completed.size(), "one completion per frame: " + completed);
        for (int i = 0; i < frames; i++)
        {
            assertEquals(i % 4, completed.get(i), "completion " + i + " in ring order");
            assertEquals(0, statuses.get(i) & (Tpacket2HeaderFlyweight.TP_STATUS_SEND_REQUEST |
                Tpacket2HeaderFlyweight.TP_STATUS_SENDING | Tpacket2HeaderFlyweight.TP_STATUS_WRONG_FORMAT));
        }
        for (int i = 0; i < frames; i++)
        {
            assertEquals(i, collector.sequences.get(i));
        }
    }

    private static void awaitNoneInFlight(final TxRing tx)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (tx.inFlight() > 0)
        {
            assertTrue(System.nanoTime() - deadline < 0, "the kernel gave the frames back within 5 s");
            LockSupport.parkNanos(50_000);
        }
    }

    private int sendSequence(final TxRing tx, final int sequence, final int length)
    {
        final int rc = tx.claim(length);
        if (rc < 0)
        {
            return rc;
        }
        final UnsafeBuffer buffer = tx.buffer();
        buffer.setMemory(0, length, (byte)0);
        TestFrames.ethernet(buffer, 0, macB, macA, -1, ETHER_TYPE);
        buffer.putInt(14, sequence, ByteOrder.BIG_ENDIAN);
        return tx.commit(length);
    }

    private void awaitStatistics(final int fd, final long packets, final long drops)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long seenPackets = 0;
        long seenDrops = 0;
        while (seenPackets < packets && System.nanoTime() - deadline < 0)
        {
            final long[] stats = RawPacketSockets.statistics(fd);
            seenPackets += stats[0];
            seenDrops += stats[1];
            LockSupport.parkNanos(1_000_000);
        }
        assertEquals(packets, seenPackets, "packets the kernel saw");
        assertEquals(drops, seenDrops, "packets the kernel dropped for a full ring");
    }

    // opened before the socket under test: it counts a frame after that socket took it (ArrivalProbe)
    private ArrivalProbe probe(final NetnsFixture.Host host, final int etherType) throws Exception
    {
        final ArrivalProbe probe = ArrivalProbe.open(fixture, host, etherType);
        probes.add(probe);
        return probe;
    }

    private Side open(final NetnsFixture.Host host, final int etherType, final RingGeometry rx, final RingGeometry tx)
        throws Exception
    {
        final int fd = fixture.call(host, () -> RawPacketSockets.open(etherType));
        fds.add(fd);
        final PacketCounters counters = new PacketCounters();
        final PacketRingMapping mapping = PacketRingMapping.mapOrThrow(errno, fd, rx, tx, true, true, null);
        mappings.add(mapping);
        final int ifIndex = fixture.call(host, () -> RawPacketSockets.ifIndex(host.interfaceName()));
        RawPacketSockets.bind(fd, ifIndex, etherType);
        return new Side(fd, counters, new RxRing(mapping.rxRing(), rx, counters),
            null == tx ? null : new TxRing(mapping.txRing(), tx, fd, 1514, counters));
    }

    private record Side(int fd, PacketCounters counters, RxRing rx, TxRing tx)
    {
    }

    private static final class Collector implements PacketFrameHandler
    {
        final List<Integer> sequences = new ArrayList<>();
        int lastIfIndex;
        long lastTimestampNs;

        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length, final int wireLength,
            final long timestampNs, final int vlanTci, final int ifIndex)
        {
            if ((buffer.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xffff) == ETHER_TYPE)
            {
                sequences.add(buffer.getInt(offset + 14, ByteOrder.BIG_ENDIAN));
            }
            lastIfIndex = ifIndex;
            lastTimestampNs = timestampNs;
        }

        void awaitCount(final RxRing rx, final int count)
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (sequences.size() < count)
            {
                assertTrue(System.nanoTime() - deadline < 0,
                    "received " + sequences.size() + " of " + count + " frames within 5 s");
                if (0 == rx.poll(this, 64))
                {
                    LockSupport.parkNanos(20_000);
                }
            }
        }
    }
}
