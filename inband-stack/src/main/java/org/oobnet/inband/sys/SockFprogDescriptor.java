package org.oobnet.inband.sys;

/**
 * Layout of {@code struct sock_fprog}: a classic BPF program for {@code SO_ATTACH_FILTER} (Linux x86_64).
 * <pre>
 *  offset size field
 *     0   2  len
 *     8   8  filter
 *    16       (sizeof)
 * </pre>
 * <b>Note:</b> constants only, thread safe; checked against the C compiler by {@code StructLayoutTest}.
 */
public final class SockFprogDescriptor
{
    /** {@code len}: number of instructions. */
    public static final int LEN_OFFSET = 0;
    /** {@code filter}: address of the {@code sock_filter} array. */
    public static final int FILTER_OFFSET = 8;
    /** {@code sizeof(struct sock_fprog)}. */
    public static final int LENGTH = 16;


    private SockFprogDescriptor()
    {
    }
}
