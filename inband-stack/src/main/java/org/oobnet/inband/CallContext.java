package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.oobnet.inband.sys.ErrnoCapture;

/**
 * Per-thread native scratch for in-band calls: the errno capture block, and a growable native buffer through
 * which heap data is copied (the linker passes only native memory to a blocking call).
 * <p>
 * <b>Note:</b> one per thread; a user of the scratch must not call anything that could use it again before it is
 * done with it.
 */
final class CallContext
{
    private static final ThreadLocal<CallContext> CURRENT = ThreadLocal.withInitial(CallContext::new);
    private static final long INITIAL_SCRATCH_BYTES = 64 * 1024;

    final ErrnoCapture errno = ErrnoCapture.current();
    private MemorySegment scratch = Arena.ofAuto().allocate(INITIAL_SCRATCH_BYTES, 64);

    static CallContext current()
    {
        return CURRENT.get();
    }

    /**
     * Native scratch of at least the given size; its contents are undefined.
     */
    MemorySegment scratch(final long bytes)
    {
        if (scratch.byteSize() < bytes)
        {
            scratch = Arena.ofAuto().allocate(Math.max(bytes, scratch.byteSize() * 2), 64);
        }
        return scratch.asSlice(0, bytes);
    }
}
