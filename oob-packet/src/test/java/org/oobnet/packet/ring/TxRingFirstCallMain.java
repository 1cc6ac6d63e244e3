package org.oobnet.packet.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.packet.stats.PacketCounters;

/**
 * Run in a fresh JVM by {@link TxRingFirstCallAllocationTest}: builds a {@link TxRing} over plain native memory (no
 * kick is made, so no socket is needed), then prints {@code ALLOCATED <bytes>}: what this thread allocated during
 * the ring's very first claims and commits, the calls a stage makes first in a measured phase.
 * <p>
 * <b>Note:</b> a JVM of its own, because a call site links once per JVM: in the test's JVM another test may already
 * have linked it.
 */
public final class TxRingFirstCallMain
{
    private TxRingFirstCallMain()
    {
    }

    /**
     * @param args unused.
     */
    public static void main(final String[] args)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final RingGeometry geometry = RingGeometry.of(2048, 4, 4096, 4096);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment ring = arena.allocate(geometry.ringBytes(), 4096);
            final TxRing tx = new TxRing(ring, geometry, -1, 1514, new PacketCounters());
            final UnsafeBuffer source = new UnsafeBuffer(new byte[64]);
            long allocated = 0;
            for (int i = 0; i < 2; i++)
            {
                // twice, so that the measuring call itself is warm for the second round
                final long before = threads.getCurrentThreadAllocatedBytes();
                first(tx, source);
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
                // frames back to the kernel's AVAILABLE as a kick on veth would leave them
                for (int f = 0; f < geometry.frameCount(); f++)
                {
                    ring.set(java.lang.foreign.ValueLayout.JAVA_INT, geometry.frameOffset(f), 0);
                }
                if (0 == i)
                {
                    System.out.println("FIRST " + allocated);
                }
            }
            System.out.println("ALLOCATED " + allocated);
        }
    }

    // the stage's calls on a fresh ring: claim, write, commit; send (claim, copy, commit); a claim on a full ring
    private static void first(final TxRing tx, final UnsafeBuffer source)
    {
        tx.claim(60);
        tx.buffer().putLong(0, 1L);
        tx.commit(60);
        tx.send(source, 0, 64);
        tx.claim(60);
        tx.abort();
    }
}
