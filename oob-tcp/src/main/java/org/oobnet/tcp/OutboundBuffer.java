package org.oobnet.tcp;

import java.lang.foreign.MemorySegment;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The bytes of a stream the kernel has not taken yet: a native buffer allocated once, filled at its tail and
 * drained from its head; the rest moves to the front when the tail would run past the end, so a pending run is
 * always one contiguous {@code send}.
 * <p>
 * <b>Note:</b> not thread safe: stage only.
 */
final class OutboundBuffer
{
    private final UnsafeBuffer buffer;
    private final long address;
    private final int capacity;
    private int head;
    private int tail;

    OutboundBuffer(final MemorySegment memory)
    {
        this.capacity = (int)memory.byteSize();
        this.address = memory.address();
        this.buffer = new UnsafeBuffer(address, capacity);
    }

    int pending()
    {
        return tail - head;
    }

    int free()
    {
        return capacity - pending();
    }

    int capacity()
    {
        return capacity;
    }

    /** @return the native address of the first pending byte. */
    long headAddress()
    {
        return address + head;
    }

    /**
     * Appends a whole message; the caller checked {@link #free()}.
     */
    void append(final DirectBuffer source, final int offset, final int length)
    {
        if (tail + length > capacity)
        {
            compact();
        }
        buffer.putBytes(tail, source, offset, length);
        tail += length;
    }

    /** The kernel took {@code length} bytes from the head. */
    void consume(final int length)
    {
        head += length;
        if (head == tail)
        {
            head = 0;
            tail = 0;
        }
    }

    void clear()
    {
        head = 0;
        tail = 0;
    }

    // Unsafe.copyMemory moves overlapping ranges like memmove
    private void compact()
    {
        final int pending = tail - head;
        buffer.putBytes(0, buffer, head, pending);
        head = 0;
        tail = pending;
    }
}
