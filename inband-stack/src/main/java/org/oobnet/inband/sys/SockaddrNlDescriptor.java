package org.oobnet.inband.sys;

/**
 * Layout of {@code struct sockaddr_nl} (netlink socket address), used to bind a netlink socket to multicast
 * groups (e.g. rtnetlink's neighbour and route notifications).
 * <pre>
 *  offset size field
 *     0   2  nl_family (AF_NETLINK)
 *     2   2  nl_pad
 *     4   4  nl_pid    (port id; 0 lets the kernel choose, or names the kernel as destination)
 *     8   4  nl_groups (multicast group bit mask)
 *    12       (sizeof)
 * </pre>
 * <b>Note:</b> constants only, thread safe.
 */
public final class SockaddrNlDescriptor
{
    /** {@code sa_family_t nl_family}. */
    public static final int FAMILY_OFFSET = 0;
    /** {@code __u32 nl_pid}. */
    public static final int PID_OFFSET = 4;
    /** {@code __u32 nl_groups}. */
    public static final int GROUPS_OFFSET = 8;
    /** {@code sizeof(struct sockaddr_nl)}. */
    public static final int LENGTH = 12;
    /** {@code NETLINK_ROUTE}: the rtnetlink protocol of an {@code AF_NETLINK} socket. */
    public static final int NETLINK_ROUTE = 0;

    private SockaddrNlDescriptor()
    {
    }
}
