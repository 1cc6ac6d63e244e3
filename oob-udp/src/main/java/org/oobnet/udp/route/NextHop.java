package org.oobnet.udp.route;

import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import org.oobnet.udp.frame.Ipv4Flyweight;

/**
 * What the stage needs to send to one destination without asking the kernel: the output interface, source
 * address and MAC, the next hop and the MTU. Immutable, published through a {@link FrontCache}.
 *
 * @param dstAddress the destination.
 * @param routeType  the kernel's route type ({@code RTN_UNICAST}, {@code RTN_BROADCAST}, ...).
 * @param ifindex    the output interface.
 * @param nextHop    the address whose MAC frames go to (the gateway, or the destination on link).
 * @param srcAddress the source address the kernel would use.
 * @param srcMac     the output interface's MAC.
 * @param mtu        the output interface's MTU.
 * @param permanent  kept even when the kernel drops its route ({@code solicit(peer, true)}).
 */
public record NextHop(
    int dstAddress, int routeType, int ifindex, int nextHop, int srcAddress, long srcMac, int mtu, boolean permanent)
{
    @Override
    public String toString()
    {
        return "NextHop{dst=" + Ipv4Flyweight.formatAddress(dstAddress) + " type=" + routeType + " ifindex=" +
            ifindex + " nextHop=" + Ipv4Flyweight.formatAddress(nextHop) + " src=" +
            Ipv4Flyweight.formatAddress(srcAddress) + " srcMac=" + EthernetHeaderFlyweight.macToString(srcMac) + " mtu=" + mtu +
            " permanent=" + permanent + "}";
    }
}
