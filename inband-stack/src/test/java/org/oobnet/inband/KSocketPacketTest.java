package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;
import org.oobnet.inband.sys.SockaddrLlDescriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_PACKET;
import static org.oobnet.inband.SocketConstants.ETH_P_802_EX1;
import static org.oobnet.inband.SocketConstants.PACKET_HOST;
import static org.oobnet.inband.SocketConstants.PACKET_OUTGOING;
import static org.oobnet.inband.SocketConstants.SOCK_RAW;
import static org.oobnet.inband.SocketConstants.htons;

/**
 * An {@code AF_PACKET} raw socket through {@link KSocket}: a frame of a private EtherType sent and received on
 * loopback.
 */
class KSocketPacketTest
{
    @Test
    void shouldSendAndReceiveARawFrameOnLoopback() throws Exception
    {
        final KSocket rx;
        try
        {
            rx = KSocket.socket(AF_PACKET, SOCK_RAW, htons(ETH_P_802_EX1));
        }
        catch (final ErrnoException ex)
        {
            Privileged.require(Errno.EPERM != ex.errno(), "AF_PACKET needs CAP_NET_RAW");
            throw ex;
        }
        try (rx; KSocket tx = KSocket.socket(AF_PACKET, SOCK_RAW, 0); Arena arena = Arena.ofConfined())
        {
            final int lo = rx.interfaceIndex("lo");
            rx.bind(SockAddr.encodeLinkLayer(lo, ETH_P_802_EX1, null, arena));
            final MemorySegment frame = arena.allocate(60).fill((byte)0);
            frame.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 12, (short)ETH_P_802_EX1);
            frame.set(ValueLayout.JAVA_LONG_UNALIGNED, 14, 0x1122334455667788L);
            assertEquals(60, tx.sendTo(frame, 0, SockAddr.encodeLinkLayer(lo, ETH_P_802_EX1, new byte[6], arena)));

            final MemorySegment into = arena.allocate(128);
            final MemorySegment from = arena.allocate(SockaddrLlDescriptor.LENGTH, 4);
            final MemorySegment fromLength = arena.allocate(ValueLayout.JAVA_INT);
            fromLength.set(ValueLayout.JAVA_INT, 0, SockaddrLlDescriptor.LENGTH);
            long received;
            do
            {
                received = rx.recvFrom(into, 0, from, fromLength);
            }
            while (into.get(ValueLayout.JAVA_LONG_UNALIGNED, 14) != 0x1122334455667788L);
            assertEquals(60, received);
            assertEquals(lo, from.get(ValueLayout.JAVA_INT, SockaddrLlDescriptor.IFINDEX_OFFSET));
            assertEquals((short)htons(ETH_P_802_EX1), from.get(ValueLayout.JAVA_SHORT, SockaddrLlDescriptor.PROTOCOL_OFFSET));
            final int pktType = from.get(ValueLayout.JAVA_BYTE, SockaddrLlDescriptor.PKTTYPE_OFFSET);
            assertTrue(PACKET_HOST == pktType || PACKET_OUTGOING == pktType, "sll_pkttype=" + pktType);
        }
    }
}
