package org.oobnet.inband;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.oobnet.inband.sys.CmsghdrDescriptor;

/**
 * Builds and walks ancillary data ({@code cmsghdr} sequences) in native control buffers, as
 * {@code CMSG_FIRSTHDR}/{@code CMSG_NXTHDR}/{@code CMSG_DATA} do.
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
public final class ControlMessages
{
    /**
     * Receives each control message of a buffer.
     */
    @FunctionalInterface
    public interface Visitor
    {
        /**
         * One message.
         *
         * @param level the originating protocol ({@code cmsg_level}).
         * @param type  the type ({@code cmsg_type}).
         * @param data  the message's data, valid during the call only.
         */
        void onMessage(int level, int type, MemorySegment data);
    }

    private ControlMessages()
    {
    }

    /**
     * Writes one control message.
     *
     * @param control the control buffer.
     * @param offset  where the message starts (0, or what the previous put returned).
     * @param level   {@code cmsg_level}.
     * @param type    {@code cmsg_type}.
     * @param data    the data.
     * @return the offset after the message: the control length so far.
     */
    public static long put(final MemorySegment control, final long offset, final int level, final int type,
        final MemorySegment data)
    {
        final long space = CmsghdrDescriptor.cmsgSpace(data.byteSize());
        if (offset + space > control.byteSize())
        {
            throw new IllegalArgumentException("control buffer too small: capacity=" + control.byteSize() +
                " needed=" + (offset + space));
        }
        control.asSlice(offset, space).fill((byte)0);
        control.set(ValueLayout.JAVA_LONG, offset + CmsghdrDescriptor.LEN_OFFSET, CmsghdrDescriptor.cmsgLen(data.byteSize()));
        control.set(ValueLayout.JAVA_INT, offset + CmsghdrDescriptor.LEVEL_OFFSET, level);
        control.set(ValueLayout.JAVA_INT, offset + CmsghdrDescriptor.TYPE_OFFSET, type);
        MemorySegment.copy(data, 0, control, offset + CmsghdrDescriptor.DATA_OFFSET, data.byteSize());
        return offset + space;
    }

    /**
     * Writes one control message carrying an {@code int}.
     *
     * @param control the control buffer.
     * @param offset  where the message starts.
     * @param level   {@code cmsg_level}.
     * @param type    {@code cmsg_type}.
     * @param value   the value.
     * @return the offset after the message.
     */
    public static long putInt(final MemorySegment control, final long offset, final int level, final int type,
        final int value)
    {
        final MemorySegment data = MemorySegment.ofArray(new int[]{value});
        return put(control, offset, level, type, data);
    }

    /**
     * Walks the control messages of a received buffer.
     *
     * @param control the control buffer.
     * @param length  the valid length ({@code msg_controllen} after the call).
     * @param visitor called once per message.
     * @return the number of messages.
     */
    public static int forEach(final MemorySegment control, final long length, final Visitor visitor)
    {
        int count = 0;
        long offset = 0;
        while (offset + CmsghdrDescriptor.LENGTH <= length)
        {
            final long cmsgLen = control.get(ValueLayout.JAVA_LONG, offset + CmsghdrDescriptor.LEN_OFFSET);
            if (cmsgLen < CmsghdrDescriptor.LENGTH || offset + cmsgLen > length)
            {
                break;
            }
            visitor.onMessage(
                control.get(ValueLayout.JAVA_INT, offset + CmsghdrDescriptor.LEVEL_OFFSET),
                control.get(ValueLayout.JAVA_INT, offset + CmsghdrDescriptor.TYPE_OFFSET),
                control.asSlice(offset + CmsghdrDescriptor.DATA_OFFSET, cmsgLen - CmsghdrDescriptor.DATA_OFFSET));
            count++;
            offset += CmsghdrDescriptor.align(cmsgLen);
        }
        return count;
    }
}
