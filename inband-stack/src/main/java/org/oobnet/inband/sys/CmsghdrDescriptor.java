package org.oobnet.inband.sys;

/**
 * Layout of {@code struct cmsghdr}: header of one ancillary-data (control) message (Linux x86_64).
 * <pre>
 *  offset size field
 *     0   8  cmsg_len
 *     8   4  cmsg_level
 *    12   4  cmsg_type
 *    16       (sizeof)
 * </pre>
 * <b>Note:</b> constants only, thread safe; checked against the C compiler by {@code StructLayoutTest}.
 */
public final class CmsghdrDescriptor
{
    /** {@code cmsg_len}: length of header and data, {@code CMSG_LEN}. */
    public static final int LEN_OFFSET = 0;
    /** {@code cmsg_level}: originating protocol. */
    public static final int LEVEL_OFFSET = 8;
    /** {@code cmsg_type}: protocol-specific type. */
    public static final int TYPE_OFFSET = 12;
    /** {@code sizeof(struct cmsghdr)}. */
    public static final int LENGTH = 16;

    /** Offset of the data after the header, {@code CMSG_DATA(cmsg) - cmsg}. */
    public static final int DATA_OFFSET = 16;
    /** {@code CMSG_ALIGN} boundary. */
    public static final int ALIGNMENT = 8;

    /**
     * {@code CMSG_ALIGN(length)}.
     *
     * @param length bytes.
     * @return length rounded up to the alignment.
     */
    public static long align(final long length)
    {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /**
     * {@code CMSG_LEN(dataLength)}: the {@code cmsg_len} of a message with that much data.
     *
     * @param dataLength data bytes.
     * @return header plus data bytes.
     */
    public static long cmsgLen(final long dataLength)
    {
        return DATA_OFFSET + dataLength;
    }

    /**
     * {@code CMSG_SPACE(dataLength)}: the room a message with that much data takes in a control buffer.
     *
     * @param dataLength data bytes.
     * @return aligned header plus aligned data bytes.
     */
    public static long cmsgSpace(final long dataLength)
    {
        return DATA_OFFSET + align(dataLength);
    }

    private CmsghdrDescriptor()
    {
    }
}
