package org.oobnet.inband.sys;

/**
 * Layout of {@code struct mmsghdr}: one message of {@code sendmmsg}/{@code recvmmsg} (Linux x86_64).
 * <pre>
 *  offset size field
 *     0  56  msg_hdr
 *    56   4  msg_len
 *    64       (sizeof)
 * </pre>
 * <b>Note:</b> constants only, thread safe; checked against the C compiler by {@code StructLayoutTest}.
 */
public final class MmsghdrDescriptor
{
    /** {@code msg_hdr}: the {@code msghdr}, see {@link MsghdrDescriptor}. */
    public static final int HDR_OFFSET = 0;
    /** {@code msg_len}: bytes sent or received (out). */
    public static final int LEN_OFFSET = 56;
    /** {@code sizeof(struct mmsghdr)}. */
    public static final int LENGTH = 64;


    private MmsghdrDescriptor()
    {
    }
}
