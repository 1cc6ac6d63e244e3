package org.oobnet.packet.ring;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.packet.bpf.BpfFilterBuilder;
import org.oobnet.packet.capture.CaptureSession;
import org.oobnet.packet.capture.CaptureTaps;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import org.oobnet.packet.frame.Tpacket2HeaderFlyweight;
import org.oobnet.packet.port.InterfaceInfo;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.packet.testing.RawPacketSockets;
import org.oobnet.packet.testing.TestFrames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PacketRingSocket}, the one opener of PACKET_MMAP sockets, on the real kernel in two namespaces joined by
 * veth: traffic through the rings it opened (and what their filters keep off them), its named errors, and its close
 * path (unmapped once, and only after both release and close).
 */
class PacketRingSocketNetnsTest
{
    private static final int ETHER_TYPE = 0x88b5;
    private static final int PAGE = 4096;
    // TestFrames' IPv4 identification
    private static final int MARK_ID = 0x1234;

    @TempDir
    Path captureDir;

    private final List<PacketRingSocket> opened = new ArrayList<>();
    private NetnsFixture fixture;
    private NetnsFixture.Host a;
    private NetnsFixture.Host b;

    @BeforeEach
    void setUp()
    {
        fixture = NetnsFixture.create(2);
        a = fixture.host(0);
        b = fixture.host(1);
    }

    @AfterEach
    void tearDown()
    {
        for (final PacketRingSocket socket : opened)
        {
            socket.release();
            socket.close();
        }
        if (null != fixture)
        {
            fixture.close();
        }
    }

    @Test
    void shouldCarryFramesOfItsEtherTypeOnlyWhenOpenedOnBothSides() throws Exception
    {
        final PacketRingSocket sender = open(a, options(a).txRing(2048, 16, PAGE));
        final PacketRingSocket receiver = open(b, options(b)
            .filter(BpfFilterBuilder.filter().etherType(ETHER_TYPE).build()));

        assertEquals(RawPacketSockets.mac(a.mac()), sender.link().mac());
        assertEquals(a.interfaceName(), sender.link().name());
        assertNull(receiver.tx(), "no TX ring asked for");
        final long macB = RawPacketSockets.mac(b.mac());
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
        final EthernetHeaderFlyweight ethernet = new EthernetHeaderFlyweight().wrap(frame, 0);
        for (int i = 0; i < 4; i++)
        {
            // odd frames carry another EtherType: the filter attached before the bind keeps them out
            ethernet.putHeader(macB, sender.link().mac(), i % 2 == 0 ? ETHER_TYPE : ETHER_TYPE + 1);
            frame.putInt(14, i, ByteOrder.BIG_ENDIAN);
            assertEquals(60, sender.tx().send(frame, 0, 60));
        }
        assertEquals(4, sender.tx().flush());

        final List<Integer> received = new ArrayList<>();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (received.size() < 2 && System.nanoTime() - deadline < 0)
        {
            if (0 == receiver.rx().poll((buffer, offset, length, wire, ts, vlan, ifIndex) ->
                received.add(buffer.getInt(offset + 14, ByteOrder.BIG_ENDIAN)), 16))
            {
                LockSupport.parkNanos(50_000);
            }
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        receiver.rx().poll((buffer, offset, length, wire, ts, vlan, ifIndex) ->
            received.add(buffer.getInt(offset + 14, ByteOrder.BIG_ENDIAN)), 16);
        assertEquals(List.of(0, 2), received);
        assertEquals(2, receiver.counters().get(PacketCounter.FRAMES_IN));
        assertEquals(4, sender.counters().get(PacketCounter.FRAMES_OUT));
    }

    @Test
    void shouldCaptureAFrameOnceWhenTwoRingsOfOneInterfaceReceiveIt() throws Exception
    {
        // two rings with one view on B's interface, as two stages' ports: both receive every frame
        final PacketRingSocket sender = open(a, options(a).txRing(2048, 16, PAGE));
        final PacketRingSocket first = open(b, options(b)
            .filter(BpfFilterBuilder.filter().etherType(ETHER_TYPE).build()));
        final PacketRingSocket second = open(b, options(b)
            .filter(BpfFilterBuilder.filter().etherType(ETHER_TYPE).build()));
        CaptureTaps.serve(captureDir);
        try (CaptureSession capture = CaptureSession.start(captureDir, b.interfaceName(), "", 256))
        {
            send(sender, 3);
            assertEquals(3, receive(first, 3));
            assertEquals(3, receive(second, 3));
            assertEquals(3, capturedInbound(capture, 3), "each frame captured once, not once per ring");

            // the ring that recorded closes: the other one records from now on
            first.release();
            first.close();
            opened.remove(first);
            send(sender, 2);
            assertEquals(2, receive(second, 2));
            assertEquals(2, capturedInbound(capture, 2), "captured after the recording ring closed");
        }
    }

    private void send(final PacketRingSocket sender, final int count)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
        new EthernetHeaderFlyweight().wrap(frame, 0)
            .putHeader(RawPacketSockets.mac(b.mac()), sender.link().mac(), ETHER_TYPE);
        for (int i = 0; i < count; i++)
        {
            assertEquals(60, sender.tx().send(frame, 0, 60));
        }
        assertEquals(count, sender.tx().flush());
    }

    private static int receive(final PacketRingSocket receiver, final int expected)
    {
        final int[] received = new int[1];
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (received[0] < expected && System.nanoTime() - deadline < 0)
        {
            if (0 == receiver.rx().poll((buffer, offset, length, wire, ts, vlan, ifIndex) -> received[0]++, 16))
            {
                LockSupport.parkNanos(50_000);
            }
        }
        return received[0];
    }

    // the inbound records the rings' polls copied (they are in the capture ring once the polls returned)
    private static int capturedInbound(final CaptureSession capture, final int expected) throws Exception
    {
        final int[] inbound = new int[1];
        final CaptureSession.FrameHandler handler = (ts, outbound, wire, frame, offset, length) ->
            inbound[0] += outbound ? 0 : 1;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (inbound[0] < expected && System.nanoTime() - deadline < 0)
        {
            if (0 == capture.poll(handler, 64))
            {
                LockSupport.parkNanos(50_000);
            }
        }
        // more than expected (a duplicate) is already there to read
        capture.poll(handler, 64);
        return inbound[0];
    }

    // BpfFilterBuilder.ipv4Protocols as oob-udp's port uses it: an ETH_P_ALL ring takes IPv4 UDP (later fragments
    // too) and ICMP only; TCP, other IPv4 protocols and other EtherTypes stay in the kernel
    @Test
    void shouldKeepTcpAndOtherIpv4OffTheRingWhileUdpAndIcmpReachIt() throws Exception
    {
        final PacketRingSocket sender = open(a, options(a).txRing(2048, 32, PAGE));
        final PacketRingSocket receiver = open(b, options(b)
            .etherType(SocketConstants.ETH_P_ALL)
            .filter(BpfFilterBuilder.filter()
                .ipv4Protocols(BpfFilterBuilder.IPPROTO_UDP, BpfFilterBuilder.IPPROTO_ICMP).build()));
        final long macA = RawPacketSockets.mac(a.mac());
        final long macB = RawPacketSockets.mac(b.mac());

        // sequence: { vlan, EtherType, IPv4 protocol, fragment field }; even sequences must arrive, odd ones not
        final int[][] frames = {
            { -1, 0x0800, 17, 0 },            // 0 UDP
            { -1, 0x0800, 6, 0 },             // 1 TCP
            { -1, 0x0800, 1, 0 },             // 2 ICMP
            { -1, 0x0800, 253, 0 },           // 3 experimental
            { -1, 0x0800, 17, 0x2000 | 185 }, // 4 UDP, a middle fragment: no UDP header, still protocol 17
            { -1, 0x0800, 6, 185 },           // 5 TCP, last fragment
            { 7, 0x0800, 17, 0 },             // 6 UDP tagged (veth moves the tag into the skb)
            { 7, 0x0800, 6, 0 },              // 7 TCP tagged
            { -1, 0x0800, 17, 0x4000 },       // 8 UDP, don't fragment
            { -1, 0x88b5, 17, 0 },            // 9 another EtherType with 17 where IPv4 has its protocol
        };
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[128]);
        for (int sequence = 0; sequence < frames.length; sequence++)
        {
            final int[] f = frames[sequence];
            frame.setMemory(0, frame.capacity(), (byte)0);
            int at = TestFrames.ethernet(frame, 0, macB, macA, f[0], f[1]);
            at += TestFrames.ipv4(frame, at, f[2], TestFrames.ipv4(a.address()), TestFrames.ipv4(b.address()), 16, 0,
                f[3]);
            frame.putInt(at, sequence, ByteOrder.BIG_ENDIAN);
            final int length = at + 16;
            assertEquals(length, sender.tx().send(frame, 0, length), "sequence " + sequence);
        }
        assertEquals(frames.length, sender.tx().flush());

        final ProtocolCollector collector = new ProtocolCollector();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (collector.sequences.size() < 5 && System.nanoTime() - deadline < 0)
        {
            if (0 == receiver.rx().poll(collector, 16))
            {
                LockSupport.parkNanos(50_000);
            }
        }
        // the rejected frames were sent between the accepted ones: whatever came, came by now
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        receiver.rx().poll(collector, 16);

        assertEquals(List.of(0, 2, 4, 6, 8), collector.sequences);
        assertEquals(List.of(), collector.foreign, "every frame on the ring is IPv4 UDP or ICMP");
        // unmarked: IPv4 UDP or ICMP of the kernels themselves, if any (none expected, none harmful)
        assertEquals(5 + collector.unmarked, receiver.counters().get(PacketCounter.FRAMES_IN));
    }

    @Test
    void shouldNameEnodevAndInterfaceWhenInterfaceMissing()
    {
        final ErrnoException e = assertThrows(ErrnoException.class, () -> fixture.call(a, () ->
            PacketRingSocket.open(new PacketRingOptions().interfaceName("nosuch0").rxRing(2048, 16, PAGE))));
        assertEquals(Errno.ENODEV, e.errno());
        assertEquals("if_nametoindex: ENODEV (No such device) interface=nosuch0", e.getMessage());
    }

    @Test
    void shouldNameEveryBrokenRuleWhenGeometryBad()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fixture.call(a, () ->
            PacketRingSocket.open(options(a).rxRing(100, 3, 4000).txRing(2048, 3, PAGE))));
        assertEquals("packet ring options for interface=veth0: " +
            "rx ring: blockSize=4000 must be a positive multiple of the page size 4096; " +
            "rx ring: frameSize=100 must be a multiple of TPACKET_ALIGNMENT 16; " +
            "tx ring: frameCount=3 must be a multiple of framesPerBlock=2 (blockSize=4096 / frameSize=2048): " +
            "frameCount = framesPerBlock x blockCount", e.getMessage());
    }

    @Test
    void shouldNameOptionAndErrnoWhenKernelRefusesRing() throws Exception
    {
        // a socket that has its rings already: the kernel refuses to change its version (EBUSY)
        final PacketRingSocket first = open(a, options(a));
        final ErrnoException e = assertThrows(ErrnoException.class, () ->
            PacketRingSocket.attach(first.fd(), first.link(), new PacketRingOptions().rxRing(2048, 16, PAGE)));
        assertEquals(Errno.EBUSY, e.errno());
        assertEquals("setsockopt PACKET_VERSION: EBUSY (" + Errno.message(Errno.EBUSY) + ") " +
            "interface=veth0 PACKET_VERSION=TPACKET_V2", e.getMessage());
        assertFalse(first.isUnmapped(), "the failed attach touched nothing of the first rings");
    }

    @Test
    void shouldUnmapOnceAndOnlyAfterReleaseWhenClosedWhileMapped() throws Exception
    {
        final PacketRingSocket sender = open(a, options(a).txRing(2048, 16, PAGE));
        final long address = sender.mapping().rxRing().address();
        final String socketLink = fdLink(sender.fd());
        assertTrue(isMapped(address));

        // the owner closes while the rings' user still holds them: nothing goes yet
        sender.close();
        assertFalse(sender.isUnmapped());
        assertTrue(isMapped(address), "still mapped after close, before release");
        assertEquals(socketLink, fdLink(sender.fd()), "the socket stays open: a kick must not hit a reused fd");
        assertEquals(60, sender.tx().send(new UnsafeBuffer(new byte[60]), 0, 60), "the rings are still usable");
        assertEquals(1, sender.tx().flush());

        sender.release();
        assertTrue(sender.isUnmapped());
        assertFalse(isMapped(address), "unmapped at release");
        assertNotEquals(socketLink, fdLink(sender.fd()), "the owned socket is closed with the rings");

        // a new ring socket may be mapped where the old one was: a second unmap would tear it away
        final PacketRingSocket next = open(a, options(a).txRing(2048, 16, PAGE));
        final long nextAddress = next.mapping().rxRing().address();
        sender.release();
        sender.close();
        assertTrue(isMapped(nextAddress), "release and close again unmap nothing");
        assertEquals(60, next.tx().send(new UnsafeBuffer(new byte[60]), 0, 60));
    }

    @Test
    void shouldCountFramesLeftUnreadInRxRingWhenClosed() throws Exception
    {
        final PacketRingSocket sender = open(a, options(a).txRing(2048, 16, PAGE));
        final PacketRingSocket receiver = open(b, options(b));
        send(sender, 10);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (filled(receiver) < 10 && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(50_000);
        }
        assertEquals(10, filled(receiver), "the frames in the RX ring");
        assertEquals(3, receiver.rx().poll((buffer, offset, length, wire, ts, vlan, ifIndex) -> { }, 3));

        // the owner stops polling with 7 frames waiting: they go with the ring, counted
        receiver.release();
        receiver.close();

        assertTrue(receiver.isUnmapped());
        assertEquals(3, receiver.counters().get(PacketCounter.FRAMES_IN));
        assertEquals(7, receiver.counters().get(PacketCounter.RX_UNREAD_AT_CLOSE), receiver.counters().toString());
        assertEquals(0, receiver.counters().get(PacketCounter.KERNEL_DROPS));
    }

    // the RX ring's slots the kernel filled and nobody gave back yet, read without taking them
    private static int filled(final PacketRingSocket socket)
    {
        final Tpacket2HeaderFlyweight header = new Tpacket2HeaderFlyweight();
        final RingGeometry geometry = socket.rx().geometry();
        int filled = 0;
        for (int i = 0; i < geometry.frameCount(); i++)
        {
            if ((header.wrap(socket.mapping().rxRing(), geometry.frameOffset(i)).lvStatus() &
                Tpacket2HeaderFlyweight.TP_STATUS_USER) != 0)
            {
                filled++;
            }
        }
        return filled;
    }

    @Test
    void shouldUnmapAtCloseWhenReleasedFirst() throws Exception
    {
        final PacketRingSocket socket = open(a, options(a));
        final long address = socket.mapping().rxRing().address();
        socket.release();
        assertFalse(socket.isUnmapped(), "released, not closed");
        assertTrue(isMapped(address));
        socket.close();
        assertTrue(socket.isUnmapped());
        assertFalse(isMapped(address));
    }

    @Test
    void shouldLeaveTheCallersSocketOpenWhenAttached() throws Exception
    {
        final int fd = fixture.call(a, () -> RawPacketSockets.open(ETHER_TYPE));
        try
        {
            final int ifIndex = fixture.call(a, () -> RawPacketSockets.ifIndex(a.interfaceName()));
            RawPacketSockets.bind(fd, ifIndex, ETHER_TYPE);
            final InterfaceInfo link = fixture.call(a, () -> InterfaceInfo.query(new ErrnoCapture(), fd, ifIndex));
            final PacketRingSocket rings = PacketRingSocket.attach(fd, link, new PacketRingOptions().rxRing(2048, 16, PAGE));
            final long address = rings.mapping().rxRing().address();
            final String socketLink = fdLink(fd);
            rings.release();
            rings.close();
            assertFalse(isMapped(address));
            assertEquals(socketLink, fdLink(fd), "the caller's socket is the caller's to close");
        }
        finally
        {
            RawPacketSockets.close(fd);
        }
    }

    private PacketRingOptions options(final NetnsFixture.Host host)
    {
        // qdisc bypass: the end of a veth set up first gets its qdisc from linkwatch, after the peer is up (until then
        // noop_qdisc drops every send); a loaded machine delayed that past a test's first frames (2 of 5 runs lost all)
        return new PacketRingOptions()
            .interfaceName(host.interfaceName())
            .etherType(ETHER_TYPE)
            .rxRing(2048, 16, PAGE)
            .qdiscBypass(true)
            .ignoreOutgoing(true);
    }

    private PacketRingSocket open(final NetnsFixture.Host host, final PacketRingOptions options) throws Exception
    {
        final PacketRingSocket socket = fixture.call(host, () -> PacketRingSocket.open(options));
        opened.add(socket);
        return socket;
    }

    private static String fdLink(final int fd)
    {
        try
        {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        }
        catch (final IOException ex)
        {
            return "closed";
        }
    }

    // whether a mapping of this process covers the address (/proc/self/maps: "start-end perms ...", hex)
    private static boolean isMapped(final long address) throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/self/maps")))
        {
            final int dash = line.indexOf('-');
            final int space = line.indexOf(' ');
            final long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
            final long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
            if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0)
            {
                return true;
            }
        }
        return false;
    }

    // frames as the ring hands them over (a tag veth received is in the skb, not in the bytes)
    private static final class ProtocolCollector implements PacketFrameHandler
    {
        // this test's frames carry IPv4 identification 0x1234 (TestFrames) and their sequence as the first payload int
        final List<Integer> sequences = new ArrayList<>();
        final List<String> foreign = new ArrayList<>();
        int unmarked;

        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length, final int wireLength,
            final long timestampNs, final int vlanTci, final int ifIndex)
        {
            final int etherType = buffer.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xffff;
            final int protocol = length > 23 ? buffer.getByte(offset + 23) & 0xff : -1;
            if (0x0800 != etherType || (17 != protocol && 1 != protocol))
            {
                foreign.add("etherType=0x" + Integer.toHexString(etherType) + " protocol=" + protocol);
            }
            else if (MARK_ID == (buffer.getShort(offset + 18, ByteOrder.BIG_ENDIAN) & 0xffff) && length >= 38)
            {
                sequences.add(buffer.getInt(offset + 34, ByteOrder.BIG_ENDIAN));
            }
            else
            {
                unmarked++;
            }
        }
    }
}
