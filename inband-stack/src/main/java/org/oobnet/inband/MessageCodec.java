package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.oobnet.inband.sys.IovecDescriptor;
import org.oobnet.inband.sys.MsghdrDescriptor;

/**
 * Lays a {@link SocketMessage} out as a native {@code msghdr} (with its {@code iovec} array) and reads the
 * kernel's answer back into it. Heap buffers get native copies: filled before a send, copied back after a
 * receive.
 * <p>
 * <b>Note:</b> stateless, thread safe; in-band (allocates from the caller's arena).
 */
final class MessageCodec
{
    private MessageCodec()
    {
    }

    /**
     * A native copy of a heap segment, or the segment itself when it is native (or null).
     */
    static MemorySegment nativeCopy(final MemorySegment segment, final Arena arena)
    {
        if (null == segment || segment.isNative())
        {
            return segment;
        }
        final MemorySegment copy = arena.allocate(Math.max(1, segment.byteSize()), 8);
        MemorySegment.copy(segment, 0, copy, 0, segment.byteSize());
        return copy.asSlice(0, segment.byteSize());
    }

    /**
     * Fills a native {@code msghdr} for a message; heap buffers get native copies (filled for a send).
     */
    static MemorySegment[] fill(final MemorySegment msghdr, final SocketMessage message,
        final Arena arena, final boolean forSend)
    {
        final MemorySegment[] buffers = message.buffers();
        final MemorySegment[] natives = new MemorySegment[buffers.length];
        final MemorySegment iov = arena.allocate((long)Math.max(1, buffers.length) * IovecDescriptor.LENGTH, 8);
        for (int i = 0; i < buffers.length; i++)
        {
            natives[i] = buffers[i].isNative() ? buffers[i] :
                (forSend ? nativeCopy(buffers[i], arena) : arena.allocate(Math.max(1, buffers[i].byteSize()), 8));
            iov.set(ValueLayout.ADDRESS, (long)i * IovecDescriptor.LENGTH + IovecDescriptor.BASE_OFFSET, natives[i]);
            iov.set(ValueLayout.JAVA_LONG, (long)i * IovecDescriptor.LENGTH + IovecDescriptor.LEN_OFFSET,
                buffers[i].byteSize());
        }
        msghdr.fill((byte)0);
        final MemorySegment address = nativeCopy(message.address(), arena);
        if (null != address)
        {
            msghdr.set(ValueLayout.ADDRESS, MsghdrDescriptor.NAME_OFFSET, address);
            msghdr.set(ValueLayout.JAVA_INT, MsghdrDescriptor.NAMELEN_OFFSET,
                forSend ? message.addressLength() : (int)address.byteSize());
        }
        msghdr.set(ValueLayout.ADDRESS, MsghdrDescriptor.IOV_OFFSET, iov);
        msghdr.set(ValueLayout.JAVA_LONG, MsghdrDescriptor.IOVLEN_OFFSET, buffers.length);
        final MemorySegment control = nativeCopy(message.control(), arena);
        if (null != control)
        {
            msghdr.set(ValueLayout.ADDRESS, MsghdrDescriptor.CONTROL_OFFSET, control);
            msghdr.set(ValueLayout.JAVA_LONG, MsghdrDescriptor.CONTROLLEN_OFFSET,
                forSend ? message.controlLength() : Math.min(message.controlLength(), control.byteSize()));
        }
        return natives;
    }

    /**
     * After a receive: copies into heap buffers, and the lengths and flags the kernel wrote back into the message.
     */
    static void readBack(final MemorySegment msghdr, final SocketMessage message, final MemorySegment[] natives,
        final long received)
    {
        final MemorySegment[] buffers = message.buffers();
        long remaining = received;
        for (int i = 0; i < buffers.length && remaining > 0; i++)
        {
            final long n = Math.min(remaining, buffers[i].byteSize());
            if (natives[i] != buffers[i])
            {
                MemorySegment.copy(natives[i], 0, buffers[i], 0, n);
            }
            remaining -= n;
        }
        final MemorySegment address = message.address();
        if (null != address)
        {
            final int length = msghdr.get(ValueLayout.JAVA_INT, MsghdrDescriptor.NAMELEN_OFFSET);
            if (!address.isNative())
            {
                final MemorySegment written = msghdr.get(ValueLayout.ADDRESS, MsghdrDescriptor.NAME_OFFSET)
                    .reinterpret(address.byteSize());
                MemorySegment.copy(written, 0, address, 0, Math.min(length, address.byteSize()));
            }
            message.addressLength(length);
        }
        final MemorySegment control = message.control();
        if (null != control)
        {
            final long length = msghdr.get(ValueLayout.JAVA_LONG, MsghdrDescriptor.CONTROLLEN_OFFSET);
            if (!control.isNative())
            {
                final MemorySegment written = msghdr.get(ValueLayout.ADDRESS, MsghdrDescriptor.CONTROL_OFFSET)
                    .reinterpret(control.byteSize());
                MemorySegment.copy(written, 0, control, 0, Math.min(length, control.byteSize()));
            }
            message.controlLength(length);
        }
        message.flags(msghdr.get(ValueLayout.JAVA_INT, MsghdrDescriptor.FLAGS_OFFSET));
    }
}
