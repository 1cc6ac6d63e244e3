package org.oobnet.reliability.isolation;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SockAddr;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.packet.PacketConfig;
import org.oobnet.packet.PacketProtocol;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Foreign traffic in the same namespace: two OOB packet sockets on the same interface, bound to two
 * EtherTypes, while the peer sends frames of both, of a third EtherType, and of the first EtherType to a MAC
 * that is not the interface's. Each socket sees exactly the frames of its own EtherType addressed to its
 * interface, counted one by one; nothing else reaches its receive ring.
 */
class PacketIsolationTest
{
    private static final int MINE = 0x88b5;
    private static final int NEIGHBOUR = 0x88b6;
    private static final int NOBODYS = 0x88b7;
    private static final long FOREIGN_MAC = 0x02_0b_0f_0f_0f_0fL;

    @TempDir
    Path countersDir;

    @Test
    void shouldDeliverOnlyOwnEtherTypeToOwnMacWhenForeignTrafficSharesTheInterface() throws Exception
    {
        try (NetnsFixture fixture = NetnsFixture.create(2);
            OobRuntime runtime = OobRuntime.start(OobConfig.builder()
                .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
                .countersDir(countersDir)
                .build(), new ProtocolRegistry().register(SocketConstants.AF_PACKET, new PacketProtocol(
                    PacketConfig.fromProperties(Map.of(PacketConfig.IGNORE_OUTGOING_KEY, "true"))))))
        {
            final NetnsFixture.Host a = fixture.host(0);
            final NetnsFixture.Host b = fixture.host(1);
            final long macA = EthernetHeaderFlyweight.parseMac(a.mac());
            final long macB = EthernetHeaderFlyweight.parseMac(b.mac());
            final KSocket mine = fixture.call(b, () -> open(b.interfaceName(), MINE));
            final KSocket neighbour = fixture.call(b, () -> open(b.interfaceName(), NEIGHBOUR));
            final KSocket sender = fixture.call(a, () -> open(a.interfaceName(), NOBODYS));
            try
            {
                final OobSocket out = OobSocket.of(sender);
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
                final int each = 200;
                final List<Integer> seenByMine = new ArrayList<>();
                final List<Integer> seenByNeighbour = new ArrayList<>();
                for (int i = 0; i < each; i++)
                {
                    send(out, frame, macB, macA, MINE, i);
                    send(out, frame, macB, macA, NEIGHBOUR, 10_000 + i);
                    send(out, frame, macB, macA, NOBODYS, 20_000 + i);
                    send(out, frame, FOREIGN_MAC, macA, MINE, 30_000 + i);
                    if (i % 20 == 19)
                    {
                        // in small batches, so that no ring overflows and every frame is there to be seen
                        seenByMine.addAll(drain(OobSocket.of(mine), i + 1 - seenByMine.size()));
                        seenByNeighbour.addAll(drain(OobSocket.of(neighbour), i + 1 - seenByNeighbour.size()));
                    }
                }
                LockSupport.parkNanos(200_000_000L);
                seenByMine.addAll(drain(OobSocket.of(mine), 0));
                seenByNeighbour.addAll(drain(OobSocket.of(neighbour), 0));

                assertEquals(each, seenByMine.size(), "frames of its EtherType to its MAC, and nothing else: " +
                    summary(seenByMine));
                assertTrue(seenByMine.stream().allMatch(tag -> tag < 10_000), summary(seenByMine));
                assertEquals(each, seenByNeighbour.size(), summary(seenByNeighbour));
                assertTrue(seenByNeighbour.stream().allMatch(tag -> tag >= 10_000 && tag < 20_000),
                    summary(seenByNeighbour));
            }
            finally
            {
                sender.close();
                mine.close();
                neighbour.close();
            }
        }
    }

    private static String summary(final List<Integer> tags)
    {
        final long own = tags.stream().filter(t -> t < 10_000).count();
        final long neighbours = tags.stream().filter(t -> t >= 10_000 && t < 20_000).count();
        final long nobodys = tags.stream().filter(t -> t >= 20_000 && t < 30_000).count();
        final long foreignMac = tags.stream().filter(t -> t >= 30_000).count();
        return "own=" + own + " neighbour's=" + neighbours + " other EtherType=" + nobodys +
            " to a foreign MAC=" + foreignMac;
    }

    private static void send(final OobSocket out, final UnsafeBuffer frame, final long dst, final long src,
        final int etherType, final int tag)
    {
        frame.setMemory(0, 64, (byte)0);
        frame.putLong(0, dst << 16, ByteOrder.BIG_ENDIAN);
        frame.putLong(6, src << 16, ByteOrder.BIG_ENDIAN);
        frame.putShort(12, (short)etherType, ByteOrder.BIG_ENDIAN);
        frame.putInt(14, tag, ByteOrder.BIG_ENDIAN);
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (out.offer(frame, 0, 64) < 0)
        {
            assertTrue(System.nanoTime() - deadline < 0, "send ring stayed full");
            LockSupport.parkNanos(100_000L);
        }
    }

    private static List<Integer> drain(final OobSocket socket, final int expected)
    {
        final List<Integer> tags = new ArrayList<>();
        final long deadline = System.nanoTime() + 5_000_000_000L;
        do
        {
            socket.poll((s, buffer, offset, length) -> tags.add(buffer.getInt(offset + 14, ByteOrder.BIG_ENDIAN)), 64);
            LockSupport.parkNanos(1_000_000L);
        }
        while (tags.size() < expected && System.nanoTime() - deadline < 0);
        return tags;
    }

    private static KSocket open(final String interfaceName, final int etherType) throws Exception
    {
        final KSocket socket = KSocket.socket(SocketConstants.AF_PACKET,
            SocketConstants.SOCK_RAW | SocketConstants.SOCK_OOB, SocketConstants.htons(etherType));
        try (Arena arena = Arena.ofConfined())
        {
            final int ifIndex = LibC.ifNameToIndex(ErrnoCapture.current(), arena.allocateFrom(interfaceName));
            final MemorySegment ll = SockAddr.encodeLinkLayer(ifIndex, etherType, null, arena);
            socket.bind(ll);
        }
        return socket;
    }
}
