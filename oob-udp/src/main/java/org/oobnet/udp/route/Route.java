package org.oobnet.udp.route;

import org.oobnet.udp.frame.Ipv4Flyweight;

/**
 * The kernel's answer to "how do I reach this address" ({@code RTM_GETROUTE}).
 *
 * @param dstAddress the destination asked about.
 * @param type       {@code RTN_UNICAST}, {@code RTN_LOCAL}, {@code RTN_BROADCAST}, {@code RTN_MULTICAST}, ...
 * @param ifindex    the output interface.
 * @param gateway    the gateway, 0 when the destination is on link.
 * @param srcAddress the preferred source address, 0 when the kernel gave none.
 */
public record Route(int dstAddress, int type, int ifindex, int gateway, int srcAddress)
{
    /**
     * @return the address whose MAC the frame goes to: the gateway, or the destination itself when on link.
     */
    public int nextHop()
    {
        return 0 != gateway ? gateway : dstAddress;
    }

    static String format(final int address)
    {
        return Ipv4Flyweight.formatAddress(address);
    }

    @Override
    public String toString()
    {
        return "Route{dst=" + format(dstAddress) + " type=" + type + " ifindex=" + ifindex + " gateway=" +
            format(gateway) + " src=" + format(srcAddress) + "}";
    }
}
