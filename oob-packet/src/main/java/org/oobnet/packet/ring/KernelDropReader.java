package org.oobnet.packet.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.TpacketStatsDescriptor;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.packet.stats.PacketCounters;

/**
 * Reads a packet socket's {@code PACKET_STATISTICS} for the frames the kernel dropped because the RX ring was
 * full, into {@link PacketCounter#KERNEL_DROPS}. The kernel resets the statistics on every read, so each read adds
 * the drops since the previous one; {@link RxRing#takeDropsDue()} says when a read is due (a frame flagged
 * {@code TP_STATUS_LOSING}, or a ring seen full and then drained), and the socket's close reads what is left.
 * <p>
 * Other readers of the same socket's statistics may run at the same time (an application's
 * {@code getsockopt(PACKET_STATISTICS)} through the in-band redirect, which adds what it read to the same counter):
 * none double counts or loses a drop, because the kernel hands each drop to exactly one read (it swaps its drop
 * count for 0 in one atomic exchange, {@code atomic_xchg(&po->tp_drops, 0)}; older kernels copy and clear the
 * statistics under the receive queue's lock) and each reader adds what it got with one atomic add.
 * <p>
 * <b>Note:</b> allocation-free and without errno capture after construction, so it may run on the stage; one
 * thread at a time.
 */
public final class KernelDropReader
{
    private final int fd;
    private final PacketCounters counters;
    private final MemorySegment stats;
    private final MemorySegment length;

    /**
     * A reader for one socket.
     *
     * @param fd       the packet socket.
     * @param counters where the drops are added.
     * @param arena    where the native scratch lives (as long as the reader).
     */
    public KernelDropReader(final int fd, final PacketCounters counters, final Arena arena)
    {
        this.fd = fd;
        this.counters = counters;
        this.stats = arena.allocate(TpacketStatsDescriptor.LENGTH, 8);
        this.length = arena.allocate(ValueLayout.JAVA_INT);
    }

    /**
     * Adds the kernel's RX drops since the previous read to {@link PacketCounter#KERNEL_DROPS}; nothing when the
     * read fails (the socket is closing).
     */
    public void collect()
    {
        length.set(ValueLayout.JAVA_INT, 0, TpacketStatsDescriptor.LENGTH);
        final int rc = LibC.getsockoptQuiet(fd, SocketConstants.SOL_PACKET, SocketConstants.PACKET_STATISTICS,
            stats, length);
        if (0 == rc)
        {
            final long drops = stats.get(ValueLayout.JAVA_INT, TpacketStatsDescriptor.DROPS_OFFSET) & 0xffff_ffffL;
            if (drops > 0)
            {
                counters.addAtomic(PacketCounter.KERNEL_DROPS, drops);
            }
        }
    }
}
