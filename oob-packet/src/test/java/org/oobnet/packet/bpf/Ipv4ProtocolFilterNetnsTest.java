package org.oobnet.packet.bpf;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.packet.ring.PacketFrameHandler;
import org.oobnet.packet.ring.PacketRingOptions;
import org.oobnet.packet.ring.PacketRingSocket;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.packet.testing.RawPacketSockets;
import org.oobnet.packet.testing.TestFrames;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link BpfFilterBuilder#ipv4Protocols} on the real kernel, as oob-udp's port uses it: an {@code ETH_P_ALL} ring
 * in one namespace, frames of every kind sent across veth from a TX ring in the other. Only IPv4 UDP (later
 * fragments too) and ICMP reach the ring; TCP, other IPv4 protocols and other EtherTypes stay in the kernel.
 */
class Ipv4ProtocolFilterNetnsTest
{
    private static final int PAGE = 4096;
    // the frames this test sends carry this IPv4 identification, and their sequence number as the first payload int
    private static final int MARK_ID = 0x1234;

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
    void shouldKeepTcpAndOtherIpv4OffTheRingWhileUdpAndIcmpReachIt() throws Exception
    {
        final PacketRingSocket sender = open(a, new PacketRingOptions()
            .interfaceName(a.interfaceName())
            .etherType(SocketConstants.ETH_P_ALL)
            .filter(BpfFilterBuilder.acceptNothing())
            .rxRing(2048, 4, PAGE)
            .txRing(2048, 32, PAGE)
            .ignoreOutgoing(true));
        final PacketRingSocket receiver = open(b, new PacketRingOptions()
            .interfaceName(b.interfaceName())
            .etherType(SocketConstants.ETH_P_ALL)
            .filter(BpfFilterBuilder.filter()
                .ipv4Protocols(BpfFilterBuilder.IPPROTO_UDP, BpfFilterBuilder.IPPROTO_ICMP).build())
            .rxRing(2048, 64, PAGE)
            .ignoreOutgoing(true));
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

        final Collector collector = new Collector();
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

    private PacketRingSocket open(final NetnsFixture.Host host, final PacketRingOptions options) throws Exception
    {
        final PacketRingSocket socket = fixture.call(host, () -> PacketRingSocket.open(options));
        opened.add(socket);
        return socket;
    }

    // frames as the ring hands them over (a tag veth received is in the skb, not in the bytes)
    private static final class Collector implements PacketFrameHandler
    {
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
