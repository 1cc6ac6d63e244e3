package org.oobnet.inband.sys;

/**
 * Layout of {@code struct msghdr}: message header of {@code sendmsg}/{@code recvmsg} (Linux x86_64).
 * <pre>
 *  offset size field
 *     0   8  msg_name
 *     8   4  msg_namelen
 *    16   8  msg_iov
 *    24   8  msg_iovlen
 *    32   8  msg_control
 *    40   8  msg_controllen
 *    48   4  msg_flags
 *    56       (sizeof)
 * </pre>
 * <b>Note:</b> constants only, thread safe; checked against the C compiler by {@code StructLayoutTest}.
 */
public final class MsghdrDescriptor
{
    /** {@code msg_name}: address of a {@code sockaddr}, or {@code NULL}. */
    public static final int NAME_OFFSET = 0;
    /** {@code msg_namelen}: length of the {@code sockaddr} (in/out). */
    public static final int NAMELEN_OFFSET = 8;
    /** {@code msg_iov}: address of the {@code iovec} array. */
    public static final int IOV_OFFSET = 16;
    /** {@code msg_iovlen}: number of {@code iovec}s. */
    public static final int IOVLEN_OFFSET = 24;
    /** {@code msg_control}: address of the ancillary data. */
    public static final int CONTROL_OFFSET = 32;
    /** {@code msg_controllen}: length of the ancillary data (in/out). */
    public static final int CONTROLLEN_OFFSET = 40;
    /** {@code msg_flags}: flags of the received message (out). */
    public static final int FLAGS_OFFSET = 48;
    /** {@code sizeof(struct msghdr)}. */
    public static final int LENGTH = 56;


    private MsghdrDescriptor()
    {
    }
}
