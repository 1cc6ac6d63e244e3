package org.oobnet.udp.route;

/**
 * Layouts and constants of the rtnetlink messages oob-udp uses ({@code linux/netlink.h},
 * {@code linux/rtnetlink.h}, {@code linux/neighbour.h}, {@code linux/if_link.h}). Headers are in host byte order;
 * IPv4 addresses inside attributes are in network order.
 * <pre>
 *  nlmsghdr (16)      len u32 | type u16 | flags u16 | seq u32 | pid u32
 *  rtmsg (12)         family u8 | dst_len u8 | src_len u8 | tos u8 | table u8 | protocol u8 | scope u8 | type u8 | flags u32
 *  ndmsg (12)         family u8 | pad u8 | pad u16 | ifindex s32 | state u16 | flags u8 | type u8
 *  ifinfomsg (16)     family u8 | pad u8 | type u16 | index s32 | flags u32 | change u32
 *  rtattr (4)         len u16 | type u16 | value, padded to 4
 * </pre>
 * <b>Note:</b> constants only, thread safe.
 */
public final class RtnetlinkDescriptor
{
    /** {@code nlmsg_len}. */
    public static final int NLMSG_LEN_OFFSET = 0;
    /** {@code nlmsg_type}. */
    public static final int NLMSG_TYPE_OFFSET = 4;
    /** {@code nlmsg_flags}. */
    public static final int NLMSG_FLAGS_OFFSET = 6;
    /** {@code nlmsg_seq}. */
    public static final int NLMSG_SEQ_OFFSET = 8;
    /** {@code nlmsg_pid}. */
    public static final int NLMSG_PID_OFFSET = 12;
    /** {@code sizeof(struct nlmsghdr)}. */
    public static final int NLMSG_HDR_LENGTH = 16;

    /** {@code rtm_family}. */
    public static final int RTM_FAMILY_OFFSET = 0;
    /** {@code rtm_dst_len}. */
    public static final int RTM_DST_LEN_OFFSET = 1;
    /** {@code rtm_type}. */
    public static final int RTM_TYPE_OFFSET = 7;
    /** {@code sizeof(struct rtmsg)}. */
    public static final int RTMSG_LENGTH = 12;

    /** {@code ndm_family}. */
    public static final int NDM_FAMILY_OFFSET = 0;
    /** {@code ndm_ifindex}. */
    public static final int NDM_IFINDEX_OFFSET = 4;
    /** {@code ndm_state}. */
    public static final int NDM_STATE_OFFSET = 8;
    /** {@code ndm_flags}. */
    public static final int NDM_FLAGS_OFFSET = 10;
    /** {@code sizeof(struct ndmsg)}. */
    public static final int NDMSG_LENGTH = 12;

    /** {@code ifi_family}. */
    public static final int IFI_FAMILY_OFFSET = 0;
    /** {@code ifi_index}. */
    public static final int IFI_INDEX_OFFSET = 4;
    /** {@code ifi_flags}. */
    public static final int IFI_FLAGS_OFFSET = 8;
    /** {@code sizeof(struct ifinfomsg)}. */
    public static final int IFINFOMSG_LENGTH = 16;

    /** {@code rta_len}. */
    public static final int RTA_LEN_OFFSET = 0;
    /** {@code rta_type}. */
    public static final int RTA_TYPE_OFFSET = 2;
    /** {@code sizeof(struct rtattr)}. */
    public static final int RTA_HDR_LENGTH = 4;

    /** {@code NLMSG_ERROR}: an error (or an ack, error 0); an {@code int} negative errno follows the header. */
    public static final int NLMSG_ERROR = 2;
    /** {@code NLMSG_DONE}: end of a dump. */
    public static final int NLMSG_DONE = 3;
    /** {@code RTM_NEWLINK}. */
    public static final int RTM_NEWLINK = 16;
    /** {@code RTM_GETLINK}. */
    public static final int RTM_GETLINK = 18;
    /** {@code RTM_NEWROUTE}. */
    public static final int RTM_NEWROUTE = 24;
    /** {@code RTM_DELROUTE}. */
    public static final int RTM_DELROUTE = 25;
    /** {@code RTM_GETROUTE}. */
    public static final int RTM_GETROUTE = 26;
    /** {@code RTM_NEWNEIGH}. */
    public static final int RTM_NEWNEIGH = 28;
    /** {@code RTM_DELNEIGH}. */
    public static final int RTM_DELNEIGH = 29;
    /** {@code RTM_GETNEIGH}. */
    public static final int RTM_GETNEIGH = 30;

    /** {@code NLM_F_REQUEST}. */
    public static final int NLM_F_REQUEST = 0x1;
    /** {@code NLM_F_MULTI}. */
    public static final int NLM_F_MULTI = 0x2;
    /** {@code NLM_F_ACK}. */
    public static final int NLM_F_ACK = 0x4;
    /** {@code NLM_F_DUMP} ({@code ROOT | MATCH}). */
    public static final int NLM_F_DUMP = 0x300;
    /** {@code NLM_F_REPLACE}. */
    public static final int NLM_F_REPLACE = 0x100;
    /** {@code NLM_F_CREATE}. */
    public static final int NLM_F_CREATE = 0x400;

    /** {@code RTA_DST}. */
    public static final int RTA_DST = 1;
    /** {@code RTA_OIF}. */
    public static final int RTA_OIF = 4;
    /** {@code RTA_GATEWAY}. */
    public static final int RTA_GATEWAY = 5;
    /** {@code RTA_PREFSRC}. */
    public static final int RTA_PREFSRC = 7;

    /** {@code NDA_DST}. */
    public static final int NDA_DST = 1;
    /** {@code NDA_LLADDR}. */
    public static final int NDA_LLADDR = 2;

    /** {@code IFLA_ADDRESS}. */
    public static final int IFLA_ADDRESS = 1;
    /** {@code IFLA_IFNAME}. */
    public static final int IFLA_IFNAME = 3;
    /** {@code IFLA_MTU}. */
    public static final int IFLA_MTU = 4;

    /** {@code RTN_UNICAST}. */
    public static final int RTN_UNICAST = 1;
    /** {@code RTN_LOCAL}. */
    public static final int RTN_LOCAL = 2;
    /** {@code RTN_BROADCAST}. */
    public static final int RTN_BROADCAST = 3;
    /** {@code RTN_MULTICAST}. */
    public static final int RTN_MULTICAST = 5;

    /** {@code NUD_INCOMPLETE}. */
    public static final int NUD_INCOMPLETE = 0x01;
    /** {@code NUD_REACHABLE}. */
    public static final int NUD_REACHABLE = 0x02;
    /** {@code NUD_STALE}. */
    public static final int NUD_STALE = 0x04;
    /** {@code NUD_DELAY}. */
    public static final int NUD_DELAY = 0x08;
    /** {@code NUD_PROBE}. */
    public static final int NUD_PROBE = 0x10;
    /** {@code NUD_FAILED}. */
    public static final int NUD_FAILED = 0x20;
    /** {@code NUD_NOARP}. */
    public static final int NUD_NOARP = 0x40;
    /** {@code NUD_PERMANENT}. */
    public static final int NUD_PERMANENT = 0x80;
    /** States whose link-layer address is usable ({@code NUD_VALID} in the kernel). */
    public static final int NUD_VALID =
        NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY;
    /** {@code NTF_USE}: on {@code RTM_NEWNEIGH}, "use" the entry, which starts resolution like a send would. */
    public static final int NTF_USE = 0x01;

    /** Multicast group bit of {@code RTNLGRP_LINK} for {@code nl_groups}. */
    public static final int RTMGRP_LINK = 0x1;
    /** Multicast group bit of {@code RTNLGRP_NEIGH}. */
    public static final int RTMGRP_NEIGH = 0x4;
    /** Multicast group bit of {@code RTNLGRP_IPV4_ROUTE}. */
    public static final int RTMGRP_IPV4_ROUTE = 0x40;

    private RtnetlinkDescriptor()
    {
    }

    /**
     * Rounds up to netlink's 4-byte alignment ({@code NLMSG_ALIGN}, {@code RTA_ALIGN}).
     *
     * @param length a length.
     * @return the aligned length.
     */
    public static int align(final int length)
    {
        return (length + 3) & ~3;
    }
}
