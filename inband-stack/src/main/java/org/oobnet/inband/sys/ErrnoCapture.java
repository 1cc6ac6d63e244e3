package org.oobnet.inband.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * The native block into which a downcall captures {@code errno} ({@code Linker.Option.captureCallState}),
 * owned by its caller so that a syscall on a hot path allocates nothing.
 * <p>
 * Every {@link LibC} call takes one and returns the result or {@code -errno} (kernel style); the errno is read
 * out of this block right after the call, on the same thread. In-band code may use {@link #current()}, one per
 * thread, made on first use. A stage uses the non-capturing {@code LibC.*Quiet} calls instead: capturing allocates
 * a slice of this block per call until C2 has compiled the call (see {@link LibC}).
 * <p>
 * <b>Note:</b> not thread safe: one owner thread at a time.
 */
public final class ErrnoCapture
{
    private static final StructLayout LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<ErrnoCapture> CURRENT = ThreadLocal.withInitial(ErrnoCapture::new);

    private final MemorySegment state;

    /**
     * A capture block in automatically managed memory (freed when this object is unreachable).
     */
    public ErrnoCapture()
    {
        this(Arena.ofAuto());
    }

    /**
     * A capture block in the given arena.
     *
     * @param arena where to allocate the block; it must outlive this object's use.
     */
    public ErrnoCapture(final Arena arena)
    {
        state = arena.allocate(LAYOUT);
    }

    /**
     * The calling thread's own capture block, made on first use; no allocation afterwards.
     *
     * @return this thread's capture block.
     */
    public static ErrnoCapture current()
    {
        return CURRENT.get();
    }

    /**
     * The native segment handed to downcalls as their first argument.
     *
     * @return the capture-state segment.
     */
    public MemorySegment segment()
    {
        return state;
    }

    /**
     * The errno captured by the last call that failed.
     *
     * @return a positive errno.
     */
    public int errno()
    {
        return (int)ERRNO.get(state, 0L);
    }

    /**
     * The size in bytes of the captured state, for diagnostics.
     *
     * @return bytes.
     */
    public static long byteSize()
    {
        return LAYOUT.byteSize();
    }
}
