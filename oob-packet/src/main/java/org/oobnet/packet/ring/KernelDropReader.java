package org.oobnet.packet.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.TpacketStatsDescriptor;

/**
 * Reads a packet socket's {@code PACKET_STATISTICS} for the frames the kernel dropped because the RX ring was
 * full. The kernel resets the statistics on every read, so each read returns the drops since the previous one;
 * {@link RxRing#takeLosing()} says when a read is due ({@code TP_STATUS_LOSING}).
 * <p>
 * <b>Note:</b> allocation-free and without errno capture after construction, so it may run on the stage; one
 * thread at a time.
 */
public final class KernelDropReader
{
    private final int fd;
    private final MemorySegment stats;
    private final MemorySegment length;

    /**
     * A reader for one socket.
     *
     * @param fd    the packet socket.
     * @param arena where the native scratch lives (as long as the reader).
     */
    public KernelDropReader(final int fd, final Arena arena)
    {
        this.fd = fd;
        this.stats = arena.allocate(TpacketStatsDescriptor.LENGTH, 8);
        this.length = arena.allocate(ValueLayout.JAVA_INT);
    }

    /**
     * The kernel's RX drops since the previous read.
     *
     * @return frames dropped; 0 when none, or when the read failed (the socket is closing).
     */
    public long read()
    {
        length.set(ValueLayout.JAVA_INT, 0, TpacketStatsDescriptor.LENGTH);
        final int rc = LibC.getsockoptQuiet(fd, SocketConstants.SOL_PACKET, SocketConstants.PACKET_STATISTICS,
            stats, length);
        return 0 == rc ? stats.get(ValueLayout.JAVA_INT, TpacketStatsDescriptor.DROPS_OFFSET) & 0xffff_ffffL : 0;
    }
}
