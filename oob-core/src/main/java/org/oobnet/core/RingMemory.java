package org.oobnet.core;

import java.lang.ref.Cleaner;

import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.inband.Errno;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.SysConstants;

/**
 * Memory for a socket's send and receive rings: anonymous private mappings, so that an idle socket's rings cost
 * address space and no resident memory (the kernel commits a page when it is first written, and a ring touches
 * only the pages its messages pass through), and nothing of the JVM's direct-memory budget. A mapping is unmapped
 * by the collector's cleaner once its buffer is unreachable, never explicitly: as with heap-owned memory, a thread
 * racing close can never touch unmapped memory through a ring it still holds.
 * <p>
 * <b>Note:</b> in-band only; thread safe.
 */
final class RingMemory
{
    private static final Cleaner CLEANER = Cleaner.create();

    private RingMemory()
    {
    }

    /**
     * In-band: maps {@code length} bytes, page aligned and zero filled.
     *
     * @param length the bytes (a ring's capacity plus its trailer).
     * @return a buffer over the mapping, or null when the kernel refused ({@code ENOMEM}).
     */
    static UnsafeBuffer map(final int length)
    {
        final ErrnoCapture errno = ErrnoCapture.current();
        final long address = LibC.mmap(errno, 0L, length, SysConstants.PROT_READ | SysConstants.PROT_WRITE,
            SysConstants.MAP_PRIVATE | SysConstants.MAP_ANONYMOUS | SysConstants.MAP_NORESERVE, -1, 0L);
        if (address < 0)
        {
            if (-address != Errno.ENOMEM)
            {
                throw new IllegalStateException("mmap of a socket ring failed: length=" + length + " errno=" +
                    Errno.name((int)-address));
            }
            return null;
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(address, length);
        CLEANER.register(buffer, new Unmap(address, length));
        return buffer;
    }

    // holds the address only, never the buffer (which would keep it reachable)
    private record Unmap(long address, long length) implements Runnable
    {
        @Override
        public void run()
        {
            LibC.munmap(ErrnoCapture.current(), address, length);
        }
    }
}
