package org.oobnet.udp.route;

import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import org.oobnet.udp.frame.Ipv4Flyweight;

/**
 * An entry of the kernel's IPv4 neighbour (ARP) table ({@code RTM_NEWNEIGH}).
 *
 * @param ifindex the interface.
 * @param address the neighbour's IPv4 address.
 * @param mac     its MAC (low 48 bits), -1 when the entry has none yet.
 * @param state   {@code NUD_*} state bits.
 */
public record Neighbour(int ifindex, int address, long mac, int state)
{
    /**
     * @return true when the MAC may be used ({@code NUD_VALID}).
     */
    public boolean isValid()
    {
        return 0 != (state & RtnetlinkDescriptor.NUD_VALID) && mac >= 0;
    }

    @Override
    public String toString()
    {
        return "Neighbour{ifindex=" + ifindex + " address=" + Ipv4Flyweight.formatAddress(address) + " mac=" +
            (mac < 0 ? "none" : EthernetHeaderFlyweight.macToString(mac)) + " state=0x" + Integer.toHexString(state) + "}";
    }
}
