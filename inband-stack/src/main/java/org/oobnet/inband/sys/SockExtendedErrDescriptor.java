package org.oobnet.inband.sys;

/**
 * Layout of {@code struct sock_extended_err}: an error-queue record (zero-copy completions, ICMP errors) (Linux x86_64).
 * <pre>
 *  offset size field
 *     0   4  ee_errno
 *     4   1  ee_origin
 *     5   1  ee_type
 *     6   1  ee_code
 *     7   1  ee_pad
 *     8   4  ee_info
 *    12   4  ee_data
 *    16       (sizeof)
 * </pre>
 * <b>Note:</b> constants only, thread safe; checked against the C compiler by {@code StructLayoutTest}.
 */
public final class SockExtendedErrDescriptor
{
    /** {@code ee_errno}: errno, 0 for a zero-copy completion. */
    public static final int ERRNO_OFFSET = 0;
    /** {@code ee_origin}: {@code SO_EE_ORIGIN_*}. */
    public static final int ORIGIN_OFFSET = 4;
    /** {@code ee_type}: type. */
    public static final int TYPE_OFFSET = 5;
    /** {@code ee_code}: code; {@code SO_EE_CODE_ZEROCOPY_COPIED} when the kernel copied. */
    public static final int CODE_OFFSET = 6;
    /** {@code ee_pad}: padding. */
    public static final int PAD_OFFSET = 7;
    /** {@code ee_info}: zero-copy: first completed send id. */
    public static final int INFO_OFFSET = 8;
    /** {@code ee_data}: zero-copy: last completed send id (inclusive). */
    public static final int DATA_OFFSET = 12;
    /** {@code sizeof(struct sock_extended_err)}. */
    public static final int LENGTH = 16;


    private SockExtendedErrDescriptor()
    {
    }
}
