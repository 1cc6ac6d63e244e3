package org.oobnet.config;

import java.util.Objects;

/**
 * Settings of oob-udp.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param transport  how datagrams move: over AF_PACKET rings or a polled kernel socket.
 * @param reassembly the limits of IPv4 reassembly on the stage.
 */
public record UdpConfig(UdpTransport transport, ReassemblyConfig reassembly)
{
    /**
     * Checks the component.
     *
     * @param transport  how datagrams move: over AF_PACKET rings or a polled kernel socket.
     * @param reassembly the limits of IPv4 reassembly on the stage.
     */
    public UdpConfig
    {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(reassembly, "reassembly");
    }

    /**
     * The settings with reassembly at its defaults.
     *
     * @param transport how datagrams move.
     */
    public UdpConfig(final UdpTransport transport)
    {
        this(transport, ReassemblyConfig.DEFAULTS);
    }
}
