package org.oobnet.config;

import java.util.Objects;

/**
 * Settings of oob-udp.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param transport      how datagrams move: over AF_PACKET rings or a polled kernel socket.
 * @param maxMemberships most multicast memberships per socket ({@link Configuration#UDP_MAX_MEMBERSHIPS}).
 * @param reassembly     the limits of IPv4 reassembly on the stage.
 */
public record UdpConfig(UdpTransport transport, int maxMemberships, ReassemblyConfig reassembly)
{
    /**
     * Checks the component.
     *
     * @param transport      how datagrams move: over AF_PACKET rings or a polled kernel socket.
     * @param maxMemberships most multicast memberships per socket, 1 to
     *                       {@link Configuration#UDP_MAX_MEMBERSHIPS_MAX}.
     * @param reassembly     the limits of IPv4 reassembly on the stage.
     */
    public UdpConfig
    {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(reassembly, "reassembly");
        if (maxMemberships < 1 || maxMemberships > Configuration.UDP_MAX_MEMBERSHIPS_MAX)
        {
            throw new IllegalArgumentException(Configuration.UDP_MAX_MEMBERSHIPS + "=" + maxMemberships +
                " must be between 1 and " + Configuration.UDP_MAX_MEMBERSHIPS_MAX);
        }
    }

    /**
     * The settings with {@link Configuration#UDP_MAX_MEMBERSHIPS_DEFAULT} and reassembly at its defaults.
     *
     * @param transport how datagrams move.
     */
    public UdpConfig(final UdpTransport transport)
    {
        this(transport, Configuration.UDP_MAX_MEMBERSHIPS_DEFAULT, ReassemblyConfig.DEFAULTS);
    }
}
