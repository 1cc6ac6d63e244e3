package org.oobnet.inband.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.oobnet.inband.Errno;
import org.oobnet.inband.Privileged;
import org.oobnet.inband.SocketConstants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_PACKET;
import static org.oobnet.inband.SocketConstants.ETH_P_802_EX1;
import static org.oobnet.inband.SocketConstants.PACKET_RX_RING;
import static org.oobnet.inband.SocketConstants.PACKET_VERSION;
import static org.oobnet.inband.SocketConstants.SOCK_RAW;
import static org.oobnet.inband.SocketConstants.SOL_PACKET;
import static org.oobnet.inband.SocketConstants.TPACKET_V2;
import static org.oobnet.inband.SocketConstants.htons;

/**
 * The sys layer as oob-packet uses it: an AF_PACKET socket on loopback, a TPACKET_V2 RX ring mapped with
 * {@code mmap}, a frame sent with the non-allocating {@code sendto}, seen in the ring.
 */
class PacketRingSyscallTest
{
    private static final VarHandle STATUS = ValueLayout.JAVA_INT.varHandle();

    @Test
    void shouldReceiveFrameInMappedRxRingWhenSentOnLoopback() throws Exception
    {
        final ErrnoCapture errno = new ErrnoCapture();
        final int protocol = htons(ETH_P_802_EX1);
        final int rx = LibC.socket(errno, AF_PACKET, SOCK_RAW, protocol);
        Privileged.require(rx != -Errno.EPERM, "AF_PACKET needs CAP_NET_RAW");
        assertTrue(rx >= 0, "socket: " + Errno.name(rx));
        final int tx = LibC.socket(errno, AF_PACKET, SOCK_RAW, protocol);
        final int blockSize = 4096;
        final int frameSize = 2048;
        final int blockNr = 2;
        final int frameNr = blockNr * blockSize / frameSize;
        long ring = 0;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment version = arena.allocate(ValueLayout.JAVA_INT);
            version.set(ValueLayout.JAVA_INT, 0, TPACKET_V2);
            assertEquals(0, LibC.setsockopt(errno, rx, SOL_PACKET, PACKET_VERSION, version, 4));
            final MemorySegment req = arena.allocate(TpacketReqDescriptor.LENGTH, 4);
            req.set(ValueLayout.JAVA_INT, TpacketReqDescriptor.BLOCK_SIZE_OFFSET, blockSize);
            req.set(ValueLayout.JAVA_INT, TpacketReqDescriptor.BLOCK_NR_OFFSET, blockNr);
            req.set(ValueLayout.JAVA_INT, TpacketReqDescriptor.FRAME_SIZE_OFFSET, frameSize);
            req.set(ValueLayout.JAVA_INT, TpacketReqDescriptor.FRAME_NR_OFFSET, frameNr);
            assertEquals(0, LibC.setsockopt(errno, rx, SOL_PACKET, PACKET_RX_RING, req, TpacketReqDescriptor.LENGTH));
            ring = LibC.mmap(errno, 0, (long)blockSize * blockNr, SysConstants.PROT_READ | SysConstants.PROT_WRITE,
                SysConstants.MAP_SHARED, rx, 0);
            assertTrue(ring > 0, "mmap: " + Errno.name((int)ring));

            final MemorySegment name = arena.allocateFrom("lo");
            final int ifindex = LibC.ifNameToIndex(errno, name);
            assertTrue(ifindex > 0);
            final MemorySegment ll = arena.allocate(SockaddrLlDescriptor.LENGTH, 4).fill((byte)0);
            ll.set(ValueLayout.JAVA_SHORT, SockaddrLlDescriptor.FAMILY_OFFSET, (short)AF_PACKET);
            ll.set(ValueLayout.JAVA_SHORT, SockaddrLlDescriptor.PROTOCOL_OFFSET, (short)protocol);
            ll.set(ValueLayout.JAVA_INT, SockaddrLlDescriptor.IFINDEX_OFFSET, ifindex);
            assertEquals(0, LibC.bind(errno, rx, ll, SockaddrLlDescriptor.LENGTH));

            final MemorySegment frame = arena.allocate(64).fill((byte)0);
            frame.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 12, (short)ETH_P_802_EX1);
            frame.set(ValueLayout.JAVA_BYTE, 14, (byte)0x5a);
            assertEquals(64, LibC.sendto(errno, tx, frame, 64, SocketConstants.MSG_DONTWAIT, ll, SockaddrLlDescriptor.LENGTH));

            final MemorySegment mapped = MemorySegment.ofAddress(ring).reinterpret((long)blockSize * blockNr);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            // acquire: frame contents become visible; pairs with the kernel's status write after filling it.
            while (0 == ((int)STATUS.getAcquire(mapped, (long)Tpacket2HdrDescriptor.STATUS_OFFSET) &
                Tpacket2HdrDescriptor.TP_STATUS_USER))
            {
                assertTrue(System.nanoTime() - deadline < 0, "no frame in the RX ring within 5 s");
                LockSupport.parkNanos(100_000);
            }
            final int snaplen = mapped.get(ValueLayout.JAVA_INT, Tpacket2HdrDescriptor.SNAPLEN_OFFSET);
            final int mac = Short.toUnsignedInt(mapped.get(ValueLayout.JAVA_SHORT, Tpacket2HdrDescriptor.MAC_OFFSET));
            assertEquals(64, snaplen);
            assertEquals((byte)0x5a, mapped.get(ValueLayout.JAVA_BYTE, mac + 14));
            // release: the frame goes back to the kernel; pairs with the kernel's read of tp_status.
            STATUS.setRelease(mapped, (long)Tpacket2HdrDescriptor.STATUS_OFFSET, Tpacket2HdrDescriptor.TP_STATUS_KERNEL);
        }
        finally
        {
            if (ring > 0)
            {
                assertEquals(0, LibC.munmap(errno, ring, (long)blockSize * blockNr));
            }
            LibC.close(errno, rx);
            LibC.close(errno, tx);
        }
    }

    @Test
    void shouldReportNegativeErrnoWhenDescriptorIsBad()
    {
        final ErrnoCapture errno = new ErrnoCapture();
        assertEquals(-Errno.EBADF, LibC.sendCritical(errno, -1, MemorySegment.NULL, 0, SocketConstants.MSG_DONTWAIT));
        assertEquals(-Errno.EBADF, LibC.close(errno, -1));
        assertEquals(4096, LibC.getpagesize(errno));
        assertEquals(4096, LibC.getpagesizeCritical(errno));
        assertEquals(ProcessHandle.current().pid(), LibC.getpid(errno));
        assertEquals(-Errno.ENODEV, LibC.ifNameToIndex(errno, Arena.ofAuto().allocateFrom("oobt-none0")));
    }
}
