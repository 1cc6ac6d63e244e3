/**
 * oob-udp: UDP/IPv4 with out-of-band I/O, the EVL way ({@code kernel/evl/net/ipv4/udp.c}), plus a kernel
 * busy-poll transport.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link org.oobnet.udp.UdpStack}: one per network namespace, opened in-band: the
 *       {@link org.oobnet.udp.route.RouteResolver} (rtnetlink routes, links and neighbours in lock-free front
 *       caches, {@code solicit(peer, permanent)}, refreshed on the kernel's notifications), the
 *       {@link org.oobnet.udp.demux.DemuxTable} (exact then wildcard, {@code SO_REUSEPORT} groups) and one
 *       {@link org.oobnet.udp.PacketPort} (TPACKET_V2 RX/TX rings) per enabled interface.</li>
 *   <li>{@link org.oobnet.udp.UdpOobProtocol}: the {@code AF_INET}/{@code SOCK_DGRAM | SOCK_OOB} protocol to
 *       register with oob-core ({@code registry.register(AF_INET, stack.protocol())}).</li>
 *   <li>{@link org.oobnet.udp.frame}: Ethernet/IPv4/UDP flyweights, the Internet checksum, the frame builder and
 *       the validating parser with a drop reason per bad input.</li>
 *   <li>{@link org.oobnet.udp.frag}: IPv4 reassembly on the stage in memory bounded by {@code udp.reassembly_*}
 *       ({@link org.oobnet.udp.frag.Ipv4Reassembler}, drops counted per reason) and fragmented sends past the path
 *       MTU under {@code IP_MTU_DISCOVER} ({@link org.oobnet.udp.frag.MtuDiscovery}); docs/tuning.md, "IPv4
 *       fragments".</li>
 *   <li>{@link org.oobnet.udp.transport.KernelBusyPollTransport}: {@code recvmmsg}/{@code sendmmsg} on the kernel
 *       socket, for any interface (loopback too) without {@code CAP_NET_RAW}.</li>
 * </ul>
 *
 * <h2>Messages</h2>
 * Every message of an OOB UDP socket (send ring, receive ring, zero-copy views) is a record: an 8-byte
 * {@link org.oobnet.udp.UdpAddressHeader} (peer address and port; 0 on send means the connected peer), then the
 * payload. {@link org.oobnet.udp.UdpSockets} has {@code sendTo}, {@code oobSendTo}, {@code solicit} and the
 * record accessors for {@code recvFrom}.
 *
 * <h2>Multicast and broadcast</h2>
 * {@code IP_ADD_MEMBERSHIP}, {@code IP_DROP_MEMBERSHIP}, {@code IP_ADD_SOURCE_MEMBERSHIP},
 * {@code IP_DROP_SOURCE_MEMBERSHIP}, {@code IP_BLOCK_SOURCE} and {@code IP_UNBLOCK_SOURCE} go to the kernel socket
 * (IGMP reports, the NIC's MAC filter) and into the socket's membership filter, which the stage applies to every
 * group datagram: a socket receives exactly the (group, source) pairs it joined on the interface it joined them on
 * ({@code IP_MULTICAST_ALL} off). A join is refused with {@code EINVAL} (not a group), {@code ENODEV} (an interface no
 * port serves) or {@code ENOBUFS} (past {@link org.oobnet.udp.UdpStackConfig#maxMemberships()}, the configuration's
 * {@code udp.max_memberships}). OOB group sends
 * honour {@code IP_MULTICAST_IF}, {@code IP_MULTICAST_TTL} and {@code IP_MULTICAST_LOOP} (a copy to the local OOB
 * members on the stage, without an RX timestamp). A subnet broadcast is recognised by the interface's real
 * broadcast addresses (read when the port opens); sending one needs {@code SO_BROADCAST}.
 *
 * <h2>ICMP errors</h2>
 * An ICMP destination unreachable (net, host, protocol, port) about a datagram of a connected socket raises
 * {@code ERROR} with the errno ({@code ENETUNREACH}, {@code EHOSTUNREACH}, {@code ENOPROTOOPT}, {@code ECONNREFUSED};
 * {@link org.oobnet.udp.frame.IcmpUnreachable#errnoOf}) on the socket's event handlers and fails its next send once
 * with it. The packet transport reads the ICMP message off the port's RX ring; the kernel transport turns
 * {@code IP_RECVERR} on at connect and reads its kernel socket's error queue ({@code recvmsg(MSG_ERRQUEUE)}) on the
 * stage every 100 µs and at once after a refused send, so an error is reported within 100 µs of its arrival.
 *
 * <h2>Receive timestamps</h2>
 * A stage receive handler reads the kernel's receive time of the datagram it holds with
 * {@link org.oobnet.udp.UdpSockets#rxTimestampNs} and its source ({@link org.oobnet.udp.RxTimestampSource}:
 * software, hardware or none) with {@link org.oobnet.udp.UdpSockets#rxTimestampSource}, allocation-free: the RX
 * ring header's {@code tp_sec/tp_nsec} on the packet transport, {@code SCM_TIMESTAMPING} on the kernel transport.
 *
 * <h2>Transmit timestamps</h2>
 * {@code setsockopt(SOL_UDP, }{@link org.oobnet.udp.UdpOobProtocol#UDP_OOB_TX_TIMESTAMPS}{@code , 1)}, or
 * {@link org.oobnet.udp.UdpSockets#txTimestamps} with a {@link org.oobnet.udp.TxTimestampHandler}, turns on one
 * report per datagram sent, on the stage and allocation-free: the send id (its ordinal since the switch-on), the
 * time and its source ({@link org.oobnet.udp.TxTimestampSource}). Packet transport: the port reaps its TX ring's
 * completed frames every cycle and reports the transmit time the kernel wrote in the frame
 * ({@code PACKET_TIMESTAMP} asks for software and raw hardware); veth and other virtual devices stamp nothing, so
 * the report is the stage's clock when it saw the frame completed ({@code STAGE}, at most a cycle late); a send
 * that went in-band (a cache miss) is reported at once with {@code NONE}. Kernel transport:
 * {@code SO_TIMESTAMPING} {@code TX_SOFTWARE | OPT_ID | OPT_TSONLY}, read off the error queue every poll while a
 * sent datagram awaits its time ({@code SOFTWARE}, the driver's {@code skb_tx_timestamp}).
 *
 * <h2>Known limits</h2>
 * <ul>
 *   <li>A send on a cache miss goes through the kernel socket and returns {@code -EINPROGRESS}; oob-core counts
 *       that as a protocol drop when it comes from the send ring although the datagram left.</li>
 *   <li>Zero-copy claims use the first packet port; the kernel transport has no zero-copy claim.</li>
 * </ul>
 */
package org.oobnet.udp;
