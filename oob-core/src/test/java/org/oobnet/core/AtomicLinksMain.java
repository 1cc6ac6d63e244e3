package org.oobnet.core;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Run in a fresh JVM by {@link AtomicLinksTest}: with argument {@code link}, {@link AtomicLinks#link()} first; then
 * prints {@code ALLOCATED <bytes>}, what this thread allocated at its first {@code AtomicIntegerArray.compareAndSet},
 * {@code AtomicLongArray.getPlain} and {@code setRelease} (the calls the soak saw link on a stage).
 * <p>
 * <b>Note:</b> a JVM of its own, since a call site links once per JVM.
 */
public final class AtomicLinksMain
{
    private AtomicLinksMain()
    {
    }

    /**
     * @param args {@code link} to link first, anything else not to.
     */
    public static void main(final String[] args)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        if (args.length > 0 && "link".equals(args[0]))
        {
            AtomicLinks.link();
        }
        final AtomicIntegerArray ints = new AtomicIntegerArray(4);
        final AtomicLongArray longs = new AtomicLongArray(4);
        threads.getCurrentThreadAllocatedBytes(); // the measuring call's own first use, outside the measurement
        final long before = threads.getCurrentThreadAllocatedBytes();
        ints.compareAndSet(1, 0, 7);
        longs.setRelease(1, longs.getPlain(1) + 1);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.println("ALLOCATED " + allocated);
    }
}
