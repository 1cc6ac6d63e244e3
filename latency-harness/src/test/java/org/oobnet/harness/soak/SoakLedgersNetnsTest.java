package org.oobnet.harness.soak;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.oobnet.harness.env.NamespaceThread;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SockAddr;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.testing.Privileges;
import org.oobnet.packet.port.InterfaceInfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soak's closing account of frames that reached B but no socket ({@link SoakLedgers#accountUntapped}) books
 * them to their own stream: raw frames sent from A on the soak's own pairs while B has no raw socket (as when B's
 * link comes up before the NETDEV_UP notifier hooked the socket back in) are the raw stream's, none the udp
 * stream's. Before, the raw stream shared pair one with oob-udp's port and its unhandled frames were read from
 * {@code rx_nohandler}, which veth does not count for them: they were booked to the udp stream.
 */
class SoakLedgersNetnsTest
{
    private static final int FRAMES = 20;
    private static final int FRAME_LENGTH = 60;

    @Test
    void shouldBookRawFramesNoSocketTookToTheRawStreamNotTheUdpStream() throws Exception
    {
        Privileges.requireNetworkPrivileges("the soak's network (namespaces, veth, AF_PACKET)");
        try (SoakNetwork network = SoakNetwork.create();
            NamespaceThread inA = new NamespaceThread(network.namespaceA))
        {
            inA.call(() ->
            {
                sendRawFrames(SoakNetwork.A5_INTERFACE, SoakNetwork.B5_MAC);
                return null;
            });
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (network.rawPairReceived("rx_packets") < FRAMES && System.nanoTime() - deadline < 0)
            {
                LockSupport.parkNanos(1_000_000L);
            }
            assertEquals(FRAMES, network.rawPairReceived("rx_packets"), "B's end of the raw pair got every frame");

            final SoakLedgers ledgers = new SoakLedgers();
            ledgers.accountUntapped(network, 0, 0);

            assertEquals(Map.of("receiver: arrived as B's link came up, before the socket was hooked in again " +
                "(rx_packets less frames the ring took)", (long)FRAMES), ledgers.packet.drops, "the raw stream's");
            assertTrue(ledgers.udpPacket.drops.isEmpty(), "none the udp stream's: " + ledgers.udpPacket.drops);
            assertEquals(List.of(), ledgers.problems);
        }
    }

    // FRAMES frames of the raw stream's EtherType from a plain packet socket on A's end of the pair
    private static void sendRawFrames(final String interfaceName, final String destinationMac) throws Exception
    {
        final KSocket socket = KSocket.socket(SocketConstants.AF_PACKET, SocketConstants.SOCK_RAW,
            SocketConstants.htons(SoakTraffic.ETHER_TYPE));
        try (socket; Arena arena = Arena.ofConfined())
        {
            final int ifIndex = InterfaceInfo.indexOf(interfaceName);
            final MemorySegment to = SockAddr.encodeLinkLayer(ifIndex, SoakTraffic.ETHER_TYPE, null, arena);
            final MemorySegment frame = arena.allocate(FRAME_LENGTH).fill((byte)0);
            final String[] octets = destinationMac.split(":");
            for (int i = 0; i < 6; i++)
            {
                frame.set(ValueLayout.JAVA_BYTE, i, (byte)Integer.parseInt(octets[i], 16));
            }
            frame.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 12,
                (short)SoakTraffic.ETHER_TYPE);
            for (int i = 0; i < FRAMES; i++)
            {
                assertEquals(FRAME_LENGTH, socket.sendTo(frame, 0, to));
            }
        }
    }
}
