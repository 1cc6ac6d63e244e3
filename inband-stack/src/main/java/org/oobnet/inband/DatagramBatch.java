package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.oobnet.inband.sys.IovecDescriptor;
import org.oobnet.inband.sys.MmsghdrDescriptor;
import org.oobnet.inband.sys.MsghdrDescriptor;

/**
 * A {@code sendmmsg(2)} vector built once and sent many times ({@link KSocket#sendMmsg(DatagramBatch, int, int, int)}):
 * each entry one datagram, its payload and destination native memory the caller keeps alive, so that a publisher's
 * loop sends any run of entries without building messages or allocating per call (what
 * {@link KSocket#sendMmsg(SocketMessage[], int)} does for one-off batches).
 * <p>
 * <b>Note:</b> not thread safe: fill it, then send from one thread at a time; entries may be rewritten between sends
 * (e.g. a payload's timestamp), not during one.
 */
public final class DatagramBatch implements AutoCloseable
{
    private final Arena arena = Arena.ofShared();
    private final int capacity;
    private final MemorySegment vector;
    private final MemorySegment iovecs;

    /**
     * An empty batch.
     *
     * @param capacity how many datagrams it holds, at least 1.
     */
    public DatagramBatch(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " must be at least 1");
        }
        this.capacity = capacity;
        this.vector = arena.allocate((long)MmsghdrDescriptor.LENGTH * capacity, 8).fill((byte)0);
        this.iovecs = arena.allocate((long)IovecDescriptor.LENGTH * capacity, 8);
    }

    /**
     * Sets entry {@code index}: one datagram of the whole {@code payload} to {@code destination}.
     *
     * @param index       0..capacity-1.
     * @param payload     native memory, kept alive (and unchanged during a send) while the batch is used.
     * @param destination an encoded socket address ({@link SockAddr#encode}), kept alive likewise.
     * @return this batch.
     */
    public DatagramBatch set(final int index, final MemorySegment payload, final MemorySegment destination)
    {
        if (index < 0 || index >= capacity)
        {
            throw new IndexOutOfBoundsException("index=" + index + " must be in 0.." + (capacity - 1));
        }
        final MemorySegment iov = iovecs.asSlice((long)index * IovecDescriptor.LENGTH, IovecDescriptor.LENGTH);
        iov.set(ValueLayout.ADDRESS, IovecDescriptor.BASE_OFFSET, payload);
        iov.set(ValueLayout.JAVA_LONG, IovecDescriptor.LEN_OFFSET, payload.byteSize());
        final MemorySegment header = vector.asSlice((long)index * MmsghdrDescriptor.LENGTH, MsghdrDescriptor.LENGTH);
        header.set(ValueLayout.ADDRESS, MsghdrDescriptor.NAME_OFFSET, destination);
        header.set(ValueLayout.JAVA_INT, MsghdrDescriptor.NAMELEN_OFFSET, (int)destination.byteSize());
        header.set(ValueLayout.ADDRESS, MsghdrDescriptor.IOV_OFFSET, iov);
        header.set(ValueLayout.JAVA_LONG, MsghdrDescriptor.IOVLEN_OFFSET, 1L);
        return this;
    }

    /** @return how many datagrams the batch holds. */
    public int capacity()
    {
        return capacity;
    }

    // the entries from `first` on, as the kernel reads them
    MemorySegment entriesFrom(final int first, final int count)
    {
        if (first < 0 || count < 0 || first + count > capacity)
        {
            throw new IndexOutOfBoundsException("first=" + first + " count=" + count + " must lie in 0.." + capacity);
        }
        return vector.asSlice((long)first * MmsghdrDescriptor.LENGTH);
    }

    /** Frees the vector; the batch must not be sent afterwards. */
    @Override
    public void close()
    {
        arena.close();
    }
}
