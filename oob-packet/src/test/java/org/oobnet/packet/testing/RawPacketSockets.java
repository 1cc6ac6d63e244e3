package org.oobnet.packet.testing;

import org.oobnet.inband.Errno;
import org.oobnet.inband.SockAddr;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.SockaddrLlDescriptor;
import org.oobnet.inband.sys.TpacketStatsDescriptor;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.oobnet.inband.SocketConstants.*;

/**
 * Plain AF_PACKET sockets through the sys layer, for tests of the rings below the protocol: open, bind to an
 * interface, read {@code PACKET_STATISTICS}. Call {@link #open} on a namespace host's thread.
 */
public final class RawPacketSockets
{
    private static final ErrnoCapture ERRNO = new ErrnoCapture();

    private RawPacketSockets()
    {
    }

    public static synchronized int open(final int etherType)
    {
        final int fd = LibC.socket(ERRNO, AF_PACKET, SOCK_RAW, SocketConstants.htons(etherType));
        check(fd, "socket(AF_PACKET)");
        return fd;
    }

    public static synchronized int ifIndex(final String name)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final int index = LibC.ifNameToIndex(ERRNO, arena.allocateFrom(name));
            check(index, "if_nametoindex(" + name + ")");
            return index;
        }
    }

    public static synchronized void bind(final int fd, final int ifIndex, final int etherType)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment ll = sockaddrLl(arena, ifIndex, etherType);
            check(LibC.bind(ERRNO, fd, ll, SockaddrLlDescriptor.LENGTH), "bind(AF_PACKET)");
        }
    }

    public static MemorySegment sockaddrLl(final Arena arena, final int ifIndex, final int etherType)
    {
        return SockAddr.encodeLinkLayer(ifIndex, etherType, null, arena);
    }

    /** {@code PACKET_STATISTICS}: {packets, drops} since the last read (the kernel resets them). */
    public static synchronized long[] statistics(final int fd)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment stats = arena.allocate(TpacketStatsDescriptor.LENGTH, 4);
            final MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, TpacketStatsDescriptor.LENGTH);
            check(LibC.getsockopt(ERRNO, fd, SOL_PACKET, PACKET_STATISTICS, stats, length), "PACKET_STATISTICS");
            return new long[]{
                stats.get(ValueLayout.JAVA_INT, TpacketStatsDescriptor.PACKETS_OFFSET) & 0xffff_ffffL,
                stats.get(ValueLayout.JAVA_INT, TpacketStatsDescriptor.DROPS_OFFSET) & 0xffff_ffffL };
        }
    }

    public static synchronized void close(final int fd)
    {
        if (fd >= 0)
        {
            LibC.close(ERRNO, fd);
        }
    }

    public static long mac(final String text)
    {
        return EthernetHeaderFlyweight.parseMac(text);
    }

    private static void check(final long rc, final String what)
    {
        if (rc < 0)
        {
            throw new IllegalStateException(what + " failed: " + Errno.name((int)rc));
        }
    }
}
