package org.oobnet.udp.route;

import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import org.oobnet.udp.frame.Ipv4Flyweight;

/**
 * A resolved link-layer address, as the stage reads it from the neighbour {@link FrontCache}. Immutable.
 *
 * @param address   the IPv4 address (a next hop).
 * @param ifindex   the interface it was resolved on.
 * @param mac       its MAC.
 * @param permanent kept even when the kernel's entry goes ({@code solicit(peer, true)}).
 */
public record NeighbourEntry(int address, int ifindex, long mac, boolean permanent)
{
    @Override
    public String toString()
    {
        return "NeighbourEntry{address=" + Ipv4Flyweight.formatAddress(address) + " ifindex=" + ifindex + " mac=" +
            EthernetHeaderFlyweight.macToString(mac) + " permanent=" + permanent + "}";
    }
}
