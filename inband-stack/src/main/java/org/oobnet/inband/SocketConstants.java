package org.oobnet.inband;

/**
 * The socket API's numbers, in one place: address families, socket types and flags, message flags, option
 * levels and names, {@code shutdown} modes, socket ioctls, EtherTypes and the {@code AF_PACKET} options. Values
 * are Linux x86_64's.
 * <p>
 * {@link #SOCK_OOB} and {@link #AF_OOB} are oobnet's (Dovetail/EVL's): the kernel never sees them.
 * <p>
 * <b>Note:</b> constants only, thread safe.
 */
public final class SocketConstants
{
    // Address families.
    /** Unspecified family. */
    public static final int AF_UNSPEC = 0;
    /** Local (Unix) sockets. */
    public static final int AF_UNIX = 1;
    /** IPv4. */
    public static final int AF_INET = 2;
    /** IPv6. */
    public static final int AF_INET6 = 10;
    /** Netlink. */
    public static final int AF_NETLINK = 16;
    /** Raw link-layer access. */
    public static final int AF_PACKET = 17;
    /**
     * EVL's out-of-band family: a socket of it has no kernel socket at all (the kernel refuses family 46); in
     * oobnet it is backed by an {@code eventfd} so that it still owns a real descriptor, and only the installed
     * {@link OobHooks} give it behaviour.
     */
    public static final int AF_OOB = 46;

    // Socket types and type flags.
    /** Connection-oriented byte stream (TCP). */
    public static final int SOCK_STREAM = 1;
    /** Datagrams (UDP). */
    public static final int SOCK_DGRAM = 2;
    /** Raw protocol access. */
    public static final int SOCK_RAW = 3;
    /** Reliable datagrams. */
    public static final int SOCK_SEQPACKET = 5;
    /** The bits of {@code type} that are the type; the others are flags. */
    public static final int SOCK_TYPE_MASK = 0xf;
    /** Type flag: non-blocking from birth ({@code O_NONBLOCK}). */
    public static final int SOCK_NONBLOCK = 0x800;
    /** Type flag: close on exec ({@code O_CLOEXEC}). */
    public static final int SOCK_CLOEXEC = 0x80000;
    /**
     * Type flag: out-of-band capabilities. The value is Dovetail's {@code O_OOB} ({@code 010000000000}, bit 30),
     * as EVL's {@code SOCK_OOB} is {@code O_OOB}; Linux uses no such type flag and oobnet strips it before it
     * calls {@code socket()}, so the kernel never sees it.
     */
    public static final int SOCK_OOB = 0x40000000;
    /** Every flag {@code KSocket.socket()} accepts in {@code type}; any other is {@code EINVAL}. */
    public static final int SOCK_FLAGS_ALLOWED = SOCK_NONBLOCK | SOCK_CLOEXEC | SOCK_OOB;

    // Protocols and option levels.
    /** Default protocol / IP option level. */
    public static final int IPPROTO_IP = 0;
    /** ICMP. */
    public static final int IPPROTO_ICMP = 1;
    /** TCP. */
    public static final int IPPROTO_TCP = 6;
    /** UDP. */
    public static final int IPPROTO_UDP = 17;
    /** IPv6 option level. */
    public static final int IPPROTO_IPV6 = 41;
    /** Raw IP. */
    public static final int IPPROTO_RAW = 255;
    /** Socket-level options. */
    public static final int SOL_SOCKET = 1;
    /** IPv4 options (same as {@link #IPPROTO_IP}). */
    public static final int SOL_IP = 0;
    /** TCP options. */
    public static final int SOL_TCP = 6;
    /** UDP options. */
    public static final int SOL_UDP = 17;
    /** IPv6 options. */
    public static final int SOL_IPV6 = 41;
    /** {@code AF_PACKET} options. */
    public static final int SOL_PACKET = 263;

    // SOL_SOCKET options.
    /** Allow reuse of local addresses. */
    public static final int SO_REUSEADDR = 2;
    /** The socket's type (read only). */
    public static final int SO_TYPE = 3;
    /** Pending error, cleared on read. */
    public static final int SO_ERROR = 4;
    /** Bypass routing. */
    public static final int SO_DONTROUTE = 5;
    /** Allow broadcast. */
    public static final int SO_BROADCAST = 6;
    /** Send buffer size (the kernel doubles it). */
    public static final int SO_SNDBUF = 7;
    /** Receive buffer size (the kernel doubles it). */
    public static final int SO_RCVBUF = 8;
    /** TCP keep-alive. */
    public static final int SO_KEEPALIVE = 9;
    /** The socket's memory counters (read only): {@code u32[SK_MEMINFO_VARS]}, drops at {@code SK_MEMINFO_DROPS}. */
    public static final int SO_MEMINFO = 55;
    /** Entries of {@link #SO_MEMINFO}'s array. */
    public static final int SK_MEMINFO_VARS = 9;
    /** Index in {@link #SO_MEMINFO}'s array of the datagrams the kernel dropped on the socket (buffer full). */
    public static final int SK_MEMINFO_DROPS = 8;
    /** Urgent data inline. */
    public static final int SO_OOBINLINE = 10;
    /** Queueing priority. */
    public static final int SO_PRIORITY = 12;
    /** Linger on close. */
    public static final int SO_LINGER = 13;
    /** Allow several sockets on one port. */
    public static final int SO_REUSEPORT = 15;
    /** Receive low-water mark. */
    public static final int SO_RCVLOWAT = 18;
    /** Send low-water mark (Linux: read only, always 1). */
    public static final int SO_SNDLOWAT = 19;
    /**
     * Receive timeout, a {@code struct timeval} ({@code long tv_sec, long tv_usec}: e.g.
     * {@code MemorySegment.ofArray(new long[]{0, 100_000})} for 100 ms); a blocking receive then fails with
     * {@code EAGAIN} after it. 0 waits forever.
     */
    public static final int SO_RCVTIMEO = 20;
    /** Send timeout, a {@code struct timeval} as {@link #SO_RCVTIMEO}; a blocking send then fails with {@code EAGAIN}. */
    public static final int SO_SNDTIMEO = 21;
    /** Bind to a device by name. */
    public static final int SO_BINDTODEVICE = 25;
    /** Receive timestamps as {@code SCM_TIMESTAMP} control messages. */
    public static final int SO_TIMESTAMP = 29;
    /** Receive timestamps in ns as {@code SCM_TIMESTAMPNS} control messages. */
    public static final int SO_TIMESTAMPNS = 35;
    /**
     * Timestamping flags ({@code SOF_TIMESTAMPING_*}); received datagrams carry an {@code SCM_TIMESTAMPING}
     * control message ({@code struct scm_timestamping}: software, deprecated, raw hardware {@code timespec}s).
     */
    public static final int SO_TIMESTAMPING = 37;
    /** {@code SOF_TIMESTAMPING_TX_HARDWARE}: hardware transmit timestamps, on the error queue. */
    public static final int SOF_TIMESTAMPING_TX_HARDWARE = 1;
    /** {@code SOF_TIMESTAMPING_TX_SOFTWARE}: software transmit timestamps (the driver's), on the error queue. */
    public static final int SOF_TIMESTAMPING_TX_SOFTWARE = 1 << 1;
    /** {@code SOF_TIMESTAMPING_OPT_ID}: each transmit timestamp carries the send's id in {@code ee_data}. */
    public static final int SOF_TIMESTAMPING_OPT_ID = 1 << 7;
    /** {@code SOF_TIMESTAMPING_OPT_TSONLY}: a transmit timestamp's error-queue record carries no payload. */
    public static final int SOF_TIMESTAMPING_OPT_TSONLY = 1 << 11;
    /** {@code SOF_TIMESTAMPING_RX_HARDWARE}: hardware receive timestamps. */
    public static final int SOF_TIMESTAMPING_RX_HARDWARE = 1 << 2;
    /** {@code SOF_TIMESTAMPING_RX_SOFTWARE}: software receive timestamps. */
    public static final int SOF_TIMESTAMPING_RX_SOFTWARE = 1 << 3;
    /** {@code SOF_TIMESTAMPING_SOFTWARE}: report software timestamps. */
    public static final int SOF_TIMESTAMPING_SOFTWARE = 1 << 4;
    /** {@code SOF_TIMESTAMPING_RAW_HARDWARE}: report raw hardware timestamps. */
    public static final int SOF_TIMESTAMPING_RAW_HARDWARE = 1 << 6;
    /** Attach a classic BPF filter ({@code sock_fprog}). */
    public static final int SO_ATTACH_FILTER = 26;
    /** Detach the BPF filter. */
    public static final int SO_DETACH_FILTER = 27;
    /** Whether the socket listens (read only). */
    public static final int SO_ACCEPTCONN = 30;
    /** Send buffer size past {@code wmem_max} (needs {@code CAP_NET_ADMIN}). */
    public static final int SO_SNDBUFFORCE = 32;
    /** Receive buffer size past {@code rmem_max} (needs {@code CAP_NET_ADMIN}). */
    public static final int SO_RCVBUFFORCE = 33;
    /** Firewall mark (needs {@code CAP_NET_ADMIN}). */
    public static final int SO_MARK = 36;
    /** The socket's protocol (read only). */
    public static final int SO_PROTOCOL = 38;
    /** The socket's family (read only). */
    public static final int SO_DOMAIN = 39;
    /** Lock the attached filter. */
    public static final int SO_LOCK_FILTER = 44;
    /** Busy-poll budget in microseconds for blocking receives. */
    public static final int SO_BUSY_POLL = 46;
    /** Enable {@code MSG_ZEROCOPY} sends. */
    public static final int SO_ZEROCOPY = 60;
    /** Prefer busy polling over interrupts. */
    public static final int SO_PREFER_BUSY_POLL = 69;
    /** Busy-poll budget in packets. */
    public static final int SO_BUSY_POLL_BUDGET = 70;

    // IP / IPv6 / TCP options.
    /** IPv4 type of service. */
    public static final int IP_TOS = 1;
    /** IPv4 time to live. */
    public static final int IP_TTL = 2;
    /** IPv4 packet info control messages. */
    public static final int IP_PKTINFO = 8;
    /** IPv4 path MTU discovery mode. */
    public static final int IP_MTU_DISCOVER = 10;
    /** IPv4 extended errors on the error queue; also the cmsg type of error-queue messages. */
    public static final int IP_RECVERR = 11;
    /** IPv4 multicast: the output interface ({@code in_addr}, {@code ip_mreq} or {@code ip_mreqn}). */
    public static final int IP_MULTICAST_IF = 32;
    /** IPv4 multicast: the TTL of sent datagrams (default 1). */
    public static final int IP_MULTICAST_TTL = 33;
    /** IPv4 multicast: whether sent datagrams loop back to local members (default 1). */
    public static final int IP_MULTICAST_LOOP = 34;
    /** Join a group, any source ({@code ip_mreq} or {@code ip_mreqn}). */
    public static final int IP_ADD_MEMBERSHIP = 35;
    /** Leave a group ({@code ip_mreq} or {@code ip_mreqn}). */
    public static final int IP_DROP_MEMBERSHIP = 36;
    /** Stop blocking a source of an any-source membership ({@code ip_mreq_source}). */
    public static final int IP_UNBLOCK_SOURCE = 37;
    /** Block a source of an any-source membership ({@code ip_mreq_source}). */
    public static final int IP_BLOCK_SOURCE = 38;
    /** Join a group for one source ({@code ip_mreq_source}). */
    public static final int IP_ADD_SOURCE_MEMBERSHIP = 39;
    /** Leave a group for one source ({@code ip_mreq_source}). */
    public static final int IP_DROP_SOURCE_MEMBERSHIP = 40;
    /** Whether a wildcard-bound socket receives groups joined by other sockets (Linux default 1). */
    public static final int IP_MULTICAST_ALL = 49;
    /** IPv6 extended errors; also the cmsg type of IPv6 error-queue messages. */
    public static final int IPV6_RECVERR = 25;
    /** IPv6 only, no mapped IPv4. */
    public static final int IPV6_V6ONLY = 26;
    /** Disable Nagle. */
    public static final int TCP_NODELAY = 1;
    /** Largest segment size. */
    public static final int TCP_MAXSEG = 2;
    /** Hold back partial segments until uncorked. */
    public static final int TCP_CORK = 3;
    /** Keep-alive: idle seconds before the first probe. */
    public static final int TCP_KEEPIDLE = 4;
    /** Keep-alive: seconds between probes. */
    public static final int TCP_KEEPINTVL = 5;
    /** Keep-alive: probes before the connection is dropped. */
    public static final int TCP_KEEPCNT = 6;
    /** The connection's {@code struct tcp_info} (read only); its first byte is the TCP state. */
    public static final int TCP_INFO = 11;
    /** Quick ACKs. */
    public static final int TCP_QUICKACK = 12;
    /** Milliseconds sent data may stay unacknowledged before the connection is dropped ({@code ETIMEDOUT}). */
    public static final int TCP_USER_TIMEOUT = 18;

    // Message flags.
    /** Urgent (out-of-band, TCP sense) data. */
    public static final int MSG_OOB = 0x1;
    /** Peek without consuming. */
    public static final int MSG_PEEK = 0x2;
    /** Bypass routing. */
    public static final int MSG_DONTROUTE = 0x4;
    /** Control data was truncated (output). */
    public static final int MSG_CTRUNC = 0x8;
    /** Datagram was truncated (output) / return the real length (input). */
    public static final int MSG_TRUNC = 0x20;
    /** Non-blocking for this call. */
    public static final int MSG_DONTWAIT = 0x40;
    /** End of record. */
    public static final int MSG_EOR = 0x80;
    /** Wait for the full request. */
    public static final int MSG_WAITALL = 0x100;
    /** Read the error queue. */
    public static final int MSG_ERRQUEUE = 0x2000;
    /** No {@code SIGPIPE} on a broken stream. */
    public static final int MSG_NOSIGNAL = 0x4000;
    /** More data follows. */
    public static final int MSG_MORE = 0x8000;
    /** {@code recvmmsg}: block for the first message only. */
    public static final int MSG_WAITFORONE = 0x10000;
    /** Zero-copy send (needs {@link #SO_ZEROCOPY}). */
    public static final int MSG_ZEROCOPY = 0x4000000;

    // shutdown() modes.
    /** Shut the receive side. */
    public static final int SHUT_RD = 0;
    /** Shut the send side. */
    public static final int SHUT_WR = 1;
    /** Shut both sides. */
    public static final int SHUT_RDWR = 2;

    // Socket ioctls.
    /** Set (non-zero int) or clear non-blocking mode. */
    public static final int FIONBIO = 0x5421;
    /** Bytes readable now (int). */
    public static final int FIONREAD = 0x541B;
    /** Bytes not yet sent (int). */
    public static final int SIOCOUTQ = 0x5411;
    /** Interface name to index ({@code ifreq}). */
    public static final int SIOCGIFINDEX = 0x8933;
    /** Interface index to name ({@code ifreq}). */
    public static final int SIOCGIFNAME = 0x8910;
    /** Interface flags ({@code ifreq}). */
    public static final int SIOCGIFFLAGS = 0x8913;
    /** Interface MTU ({@code ifreq}). */
    public static final int SIOCGIFMTU = 0x8921;
    /** Interface hardware address ({@code ifreq}). */
    public static final int SIOCGIFHWADDR = 0x8927;
    /** ethtool requests ({@code ifreq} whose data points to the request, see {@link InterfaceTimestamping}). */
    public static final int SIOCETHTOOL = 0x8946;

    // EtherTypes (host order; sockaddr_ll and socket() want them in network order).
    /** Every protocol. */
    public static final int ETH_P_ALL = 0x0003;
    /** IPv4. */
    public static final int ETH_P_IP = 0x0800;
    /** ARP. */
    public static final int ETH_P_ARP = 0x0806;
    /** IPv6. */
    public static final int ETH_P_IPV6 = 0x86DD;
    /** Local experimental EtherType 1 (IEEE 802): private protocols on test links. */
    public static final int ETH_P_802_EX1 = 0x88B5;

    // AF_PACKET options (SOL_PACKET).
    /** Join a membership ({@code packet_mreq}). */
    public static final int PACKET_ADD_MEMBERSHIP = 1;
    /** Leave a membership ({@code packet_mreq}). */
    public static final int PACKET_DROP_MEMBERSHIP = 2;
    /** Set up the RX ring ({@code tpacket_req}). */
    public static final int PACKET_RX_RING = 5;
    /** Read and reset the statistics ({@code tpacket_stats}). */
    public static final int PACKET_STATISTICS = 6;
    /** Auxiliary data in control messages. */
    public static final int PACKET_AUXDATA = 8;
    /** Ring frame format ({@code TPACKET_V1..V3}). */
    public static final int PACKET_VERSION = 10;
    /** Frame header length of a version. */
    public static final int PACKET_HDRLEN = 11;
    /** Headroom reserved in each RX frame. */
    public static final int PACKET_RESERVE = 12;
    /** Set up the TX ring ({@code tpacket_req}). */
    public static final int PACKET_TX_RING = 13;
    /** Ring TX: skip malformed frames instead of stopping. */
    public static final int PACKET_LOSS = 14;
    /** Timestamp source. */
    public static final int PACKET_TIMESTAMP = 17;
    /** Fan-out group. */
    public static final int PACKET_FANOUT = 18;
    /** Send straight to the driver, skipping the qdisc. */
    public static final int PACKET_QDISC_BYPASS = 20;
    /** Do not loop our own transmissions back to this socket. */
    public static final int PACKET_IGNORE_OUTGOING = 23;
    /** {@code packet_mreq} type: multicast address. */
    public static final int PACKET_MR_MULTICAST = 0;
    /** {@code packet_mreq} type: promiscuous mode. */
    public static final int PACKET_MR_PROMISC = 1;
    /** {@code packet_mreq} type: all multicast. */
    public static final int PACKET_MR_ALLMULTI = 2;
    /** {@code sockaddr_ll.sll_pkttype}: to us. */
    public static final int PACKET_HOST = 0;
    /** {@code sockaddr_ll.sll_pkttype}: broadcast. */
    public static final int PACKET_BROADCAST = 1;
    /** {@code sockaddr_ll.sll_pkttype}: multicast. */
    public static final int PACKET_MULTICAST = 2;
    /** {@code sockaddr_ll.sll_pkttype}: to someone else. */
    public static final int PACKET_OTHERHOST = 3;
    /** {@code sockaddr_ll.sll_pkttype}: sent by us. */
    public static final int PACKET_OUTGOING = 4;
    /** Ring format version 1. */
    public static final int TPACKET_V1 = 0;
    /** Ring format version 2: frame by frame hand-over (the one oobnet uses). */
    public static final int TPACKET_V2 = 1;
    /** Ring format version 3: block hand-over. */
    public static final int TPACKET_V3 = 2;

    // Error queue (sock_extended_err).
    /** {@code ee_origin}: no origin. */
    public static final int SO_EE_ORIGIN_NONE = 0;
    /** {@code ee_origin}: local error. */
    public static final int SO_EE_ORIGIN_LOCAL = 1;
    /** {@code ee_origin}: ICMP. */
    public static final int SO_EE_ORIGIN_ICMP = 2;
    /** {@code ee_origin}: ICMPv6. */
    public static final int SO_EE_ORIGIN_ICMP6 = 3;
    /** {@code ee_origin}: transmit timestamps. */
    public static final int SO_EE_ORIGIN_TIMESTAMPING = 4;
    /** {@code ee_origin}: zero-copy completion, range {@code [ee_info, ee_data]}. */
    public static final int SO_EE_ORIGIN_ZEROCOPY = 5;
    /** {@code ee_code} of a zero-copy completion: the kernel copied the data after all. */
    public static final int SO_EE_CODE_ZEROCOPY_COPIED = 1;

    private SocketConstants()
    {
    }

    /**
     * The type without its flags.
     *
     * @param type a {@code socket()} type with flags.
     * @return the type proper, e.g. {@link #SOCK_DGRAM}.
     */
    public static int baseType(final int type)
    {
        return type & SOCK_TYPE_MASK;
    }

    /**
     * Host to network byte order of a 16-bit value ({@code htons}).
     *
     * @param value host-order value.
     * @return network-order value, in the low 16 bits.
     */
    public static int htons(final int value)
    {
        return Short.toUnsignedInt(Short.reverseBytes((short)value));
    }
}
