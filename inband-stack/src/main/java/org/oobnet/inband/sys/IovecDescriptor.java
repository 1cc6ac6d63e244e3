package org.oobnet.inband.sys;

/**
 * Layout of {@code struct iovec}: one scatter/gather element (Linux x86_64).
 * <pre>
 *  offset size field
 *     0   8  iov_base
 *     8   8  iov_len
 *    16       (sizeof)
 * </pre>
 * <b>Note:</b> constants only, thread safe; checked against the C compiler by {@code StructLayoutTest}.
 */
public final class IovecDescriptor
{
    /** {@code iov_base}: start address. */
    public static final int BASE_OFFSET = 0;
    /** {@code iov_len}: length in bytes. */
    public static final int LEN_OFFSET = 8;
    /** {@code sizeof(struct iovec)}. */
    public static final int LENGTH = 16;


    private IovecDescriptor()
    {
    }
}
