/**
 * IPv4 fragments on oob-udp's packet transport: {@link org.oobnet.udp.frag.Ipv4Reassembler} rebuilds fragmented
 * datagrams on the stage in memory allocated once per port ({@code udp.reassembly_*}), dropping malformed ones whole
 * (RFC 5722-style) and counting every drop by reason; {@link org.oobnet.udp.frag.Ipv4Fragmenter} cuts a datagram
 * larger than the path MTU into fragments with per-port IP identifications; {@link org.oobnet.udp.frag.MtuDiscovery}
 * states which {@code IP_MTU_DISCOVER} modes fragment and which refuse with {@code EMSGSIZE}.
 * <p>
 * Stage only, allocation-free once made (proved by {@code FragmentStageAllocationTest}).
 */
package org.oobnet.udp.frag;
