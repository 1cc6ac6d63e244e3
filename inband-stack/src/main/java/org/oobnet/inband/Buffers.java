package org.oobnet.inband;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import org.agrona.DirectBuffer;

/**
 * Views of the supported buffer kinds as {@link MemorySegment}s, without copying: a direct {@code ByteBuffer}
 * or an off-heap Agrona buffer becomes a native segment over the same memory; heap buffers become heap segments
 * (copied through native scratch later, only when a call needs native memory).
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
final class Buffers
{
    private Buffers()
    {
    }

    /**
     * The bytes between position and limit.
     */
    static MemorySegment of(final ByteBuffer buffer)
    {
        return MemorySegment.ofBuffer(buffer);
    }

    /**
     * The bytes {@code [offset, offset + length)} of an Agrona buffer.
     */
    static MemorySegment of(final DirectBuffer buffer, final int offset, final int length)
    {
        buffer.boundsCheck(offset, length);
        final byte[] array = buffer.byteArray();
        if (null != array)
        {
            return MemorySegment.ofArray(array).asSlice(buffer.wrapAdjustment() + offset, length);
        }
        final ByteBuffer byteBuffer = buffer.byteBuffer();
        if (null != byteBuffer && !byteBuffer.isDirect())
        {
            throw new IllegalArgumentException("buffer wraps a heap ByteBuffer without an accessible array");
        }
        return MemorySegment.ofAddress(buffer.addressOffset() + offset).reinterpret(length);
    }
}
