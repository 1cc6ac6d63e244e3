package org.oobnet.udp.route;

import org.oobnet.packet.frame.EthernetHeaderFlyweight;

/**
 * An interface as rtnetlink describes it ({@code RTM_GETLINK}).
 *
 * @param ifindex the index.
 * @param name    the name.
 * @param mac     the hardware address (low 48 bits), 0 when none.
 * @param mtu     the MTU.
 * @param flags   {@code IFF_*} flags.
 */
public record Link(int ifindex, String name, long mac, int mtu, int flags)
{
    @Override
    public String toString()
    {
        return "Link{ifindex=" + ifindex + " name=" + name + " mac=" + EthernetHeaderFlyweight.macToString(mac) + " mtu=" +
            mtu + " flags=0x" + Integer.toHexString(flags) + "}";
    }
}
