package org.oobnet.config;

import java.util.Objects;

/**
 * Settings of oob-udp.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param transport how datagrams move: over AF_PACKET rings or a polled kernel socket.
 */
public record UdpConfig(UdpTransport transport)
{
    /**
     * Checks the component.
     *
     * @param transport how datagrams move: over AF_PACKET rings or a polled kernel socket.
     */
    public UdpConfig
    {
        Objects.requireNonNull(transport, "transport");
    }
}
