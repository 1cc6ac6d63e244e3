/**
 * {@code AF_PACKET}/{@code SOCK_RAW} sockets with out-of-band I/O over PACKET_MMAP TPACKET_V2 rings: EVL's packet
 * protocol for the JVM.
 * <p>
 * A user opens the socket in-band, binds it to an interface, and then sends and receives raw Ethernet frames on
 * the OOB stage, with no syscall on the receive path and one {@code send(fd, NULL, 0, MSG_DONTWAIT)} per cycle
 * for every frame sent:
 * <pre>{@code
 * OobRuntime runtime = OobRuntime.start(config);          // PacketProtocol is found by ServiceLoader
 * KSocket socket = KSocket.socket(AF_PACKET, SOCK_RAW | SOCK_OOB, htons(0x88b5));
 * socket.setOption(SOL_SOCKET, SO_ATTACH_FILTER,          // before bind: only our traffic reaches the ring
 *     SockFilters.toSockFprog(arena, BpfFilterBuilder.filter().etherType(0x88b5).build()));
 * socket.bind(sockaddrLl);                                 // post-hook: rings mapped, handed to the stage
 * OobSocket oob = OobSocket.of(socket);
 * PacketSocketState.of(oob).frameHandler((buffer, offset, length, wireLength, timestampNs, vlanTci, ifIndex) ->
 * {
 *     // on the stage: a zero-copy view of the RX ring frame, valid during this call only
 * });
 * // on the stage (an OobTask): zero-copy send into a TX ring frame
 * if (oob.oobClaim(length) == 0) { write oob.claim().buffer() at oob.claim().offset(); oob.oobCommit(); }
 * }</pre>
 * Code that needs a ring socket of its own (a protocol's endpoint, a benchmark) opens it with
 * {@link org.oobnet.packet.ring.PacketRingSocket}, the one opener of PACKET_MMAP sockets, which the protocol's
 * bind hook uses too. Threads: {@link org.oobnet.packet.PacketProtocol}'s in-band hooks run on the caller's thread
 * and hand rings to the stage by stage command; the rings ({@link org.oobnet.packet.ring.RxRing},
 * {@link org.oobnet.packet.ring.TxRing}) are read and written only on the stage, allocation-free; a ring is
 * unmapped only after the stage acknowledged it let go. Counters ({@link org.oobnet.packet.stats.PacketCounters})
 * live in the runtime's counters file ({@link org.oobnet.core.OobSocket#newProtocolCounters}, freed by oob-core at
 * destroy) and port state in process memory; both are readable from any thread, and {@code oobnet stat} and
 * {@code oobnet net query} print the counters from another process.
 */
package org.oobnet.packet;
