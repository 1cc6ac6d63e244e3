package org.oobnet.harness.bench.feed;

import java.net.InetAddress;

/**
 * IPv4 addresses as the MoldUDP64 feed socket's address takes them: ints in host order.
 * <p>
 * <b>Note:</b> stateless.
 */
public final class Ipv4Addresses
{
    private Ipv4Addresses()
    {
    }

    /**
     * @param address an IPv4 address.
     * @return it as an int, host order.
     */
    public static int toInt(final InetAddress address)
    {
        final byte[] b = address.getAddress();
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }
}
