package org.oobnet.udp;

import java.util.List;
import java.util.Objects;

import org.oobnet.config.Configuration;
import org.oobnet.config.InterfaceConfig;
import org.oobnet.config.ReassemblyConfig;
import org.oobnet.config.UdpTransport;

/**
 * Settings of one {@link UdpStack}.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param transport         the default transport of new sockets ({@code udp.transport}: packet or kernel).
 * @param interfaces        interfaces enabled for the packet transport, each with its ring geometry.
 * @param kernelBatch       datagrams per {@code recvmmsg}/{@code sendmmsg} of the kernel transport.
 * @param rxPollLimit       most frames a port takes from its RX ring per cycle.
 * @param verifyUdpChecksum whether received UDP checksums are verified in software.
 * @param refreshIntervalMs longest time between two refreshes of the route and neighbour caches.
 * @param maxMemberships    most multicast (group, interface) memberships per socket ({@code ENOBUFS} past it;
 *                          {@code udp.max_memberships}).
 * @param reassembly        the limits of IPv4 reassembly on each port ({@code udp.reassembly_*}).
 */
public record UdpStackConfig(
    UdpTransport transport,
    List<InterfaceConfig> interfaces,
    int kernelBatch,
    int rxPollLimit,
    boolean verifyUdpChecksum,
    int refreshIntervalMs,
    int maxMemberships,
    ReassemblyConfig reassembly)
{
    /** Default {@link #kernelBatch()}. */
    public static final int DEFAULT_KERNEL_BATCH = 32;
    /** Default {@link #rxPollLimit()}. */
    public static final int DEFAULT_RX_POLL_LIMIT = 64;
    /** Default {@link #refreshIntervalMs()}. */
    public static final int DEFAULT_REFRESH_INTERVAL_MS = 1000;
    /** Default {@link #maxMemberships()}: {@code udp.max_memberships}'s, Linux's {@code igmp_max_memberships}'s. */
    public static final int DEFAULT_MAX_MEMBERSHIPS = Configuration.UDP_MAX_MEMBERSHIPS_DEFAULT;

    /**
     * Checks the settings.
     *
     * @param transport         the default transport.
     * @param interfaces        interfaces enabled for the packet transport.
     * @param kernelBatch       datagrams per mmsg call, 1..1024.
     * @param rxPollLimit       frames per port per cycle, at least 1.
     * @param verifyUdpChecksum whether to verify UDP checksums.
     * @param refreshIntervalMs refresh period, at least 10.
     * @param maxMemberships    memberships per socket, 1..{@link Configuration#UDP_MAX_MEMBERSHIPS_MAX}.
     * @param reassembly        the reassembly limits.
     */
    public UdpStackConfig
    {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(reassembly, "reassembly");
        interfaces = List.copyOf(interfaces);
        final StringBuilder problems = new StringBuilder();
        if (kernelBatch < 1 || kernelBatch > 1024)
        {
            problems.append(" kernelBatch=").append(kernelBatch).append(" must be 1..1024;");
        }
        if (rxPollLimit < 1)
        {
            problems.append(" rxPollLimit=").append(rxPollLimit).append(" must be at least 1;");
        }
        if (refreshIntervalMs < 10)
        {
            problems.append(" refreshIntervalMs=").append(refreshIntervalMs).append(" must be at least 10;");
        }
        if (maxMemberships < 1 || maxMemberships > Configuration.UDP_MAX_MEMBERSHIPS_MAX)
        {
            problems.append(" maxMemberships=").append(maxMemberships).append(" must be 1..")
                .append(Configuration.UDP_MAX_MEMBERSHIPS_MAX).append(';');
        }
        if (!problems.isEmpty())
        {
            throw new IllegalArgumentException("invalid UdpStackConfig:" + problems);
        }
    }

    /**
     * The settings with reassembly at its defaults.
     *
     * @param transport         the default transport.
     * @param interfaces        interfaces enabled for the packet transport.
     * @param kernelBatch       datagrams per mmsg call, 1..1024.
     * @param rxPollLimit       frames per port per cycle, at least 1.
     * @param verifyUdpChecksum whether to verify UDP checksums.
     * @param refreshIntervalMs refresh period, at least 10.
     * @param maxMemberships    memberships per socket, at least 1.
     */
    public UdpStackConfig(
        final UdpTransport transport,
        final List<InterfaceConfig> interfaces,
        final int kernelBatch,
        final int rxPollLimit,
        final boolean verifyUdpChecksum,
        final int refreshIntervalMs,
        final int maxMemberships)
    {
        this(transport, interfaces, kernelBatch, rxPollLimit, verifyUdpChecksum, refreshIntervalMs, maxMemberships,
            ReassemblyConfig.DEFAULTS);
    }

    /**
     * The settings with {@link #DEFAULT_MAX_MEMBERSHIPS}.
     *
     * @param transport         the default transport.
     * @param interfaces        interfaces enabled for the packet transport.
     * @param kernelBatch       datagrams per mmsg call, 1..1024.
     * @param rxPollLimit       frames per port per cycle, at least 1.
     * @param verifyUdpChecksum whether to verify UDP checksums.
     * @param refreshIntervalMs refresh period, at least 10.
     */
    public UdpStackConfig(
        final UdpTransport transport,
        final List<InterfaceConfig> interfaces,
        final int kernelBatch,
        final int rxPollLimit,
        final boolean verifyUdpChecksum,
        final int refreshIntervalMs)
    {
        this(transport, interfaces, kernelBatch, rxPollLimit, verifyUdpChecksum, refreshIntervalMs,
            DEFAULT_MAX_MEMBERSHIPS);
    }

    /**
     * @param limit most memberships per socket.
     * @return these settings with that limit.
     */
    public UdpStackConfig withMaxMemberships(final int limit)
    {
        return new UdpStackConfig(transport, interfaces, kernelBatch, rxPollLimit, verifyUdpChecksum,
            refreshIntervalMs, limit, reassembly);
    }

    /**
     * @param limits the reassembly limits.
     * @return these settings with them.
     */
    public UdpStackConfig withReassembly(final ReassemblyConfig limits)
    {
        return new UdpStackConfig(transport, interfaces, kernelBatch, rxPollLimit, verifyUdpChecksum,
            refreshIntervalMs, maxMemberships, limits);
    }

    /**
     * The settings an oobnet configuration gives: {@code udp.transport}, {@code udp.max_memberships}, {@code udp.reassembly_*} and the
     * {@code interfaces} enabled for OOB traffic with their ring geometry; the rest at defaults.
     *
     * @param config the loaded configuration.
     * @return the settings.
     */
    public static UdpStackConfig from(final org.oobnet.config.OobnetConfig config)
    {
        return new UdpStackConfig(config.udp().transport(), config.interfaces(), DEFAULT_KERNEL_BATCH,
            DEFAULT_RX_POLL_LIMIT, true, DEFAULT_REFRESH_INTERVAL_MS, config.udp().maxMemberships())
            .withReassembly(config.udp().reassembly());
    }

    /**
     * The defaults with the given transport and interfaces (named, default ring geometry).
     *
     * @param transport  the default transport.
     * @param interfaces interface names enabled for the packet transport.
     * @return the settings.
     */
    public static UdpStackConfig of(final UdpTransport transport, final String... interfaces)
    {
        final InterfaceConfig[] settings = new InterfaceConfig[interfaces.length];
        for (int i = 0; i < interfaces.length; i++)
        {
            settings[i] = InterfaceConfig.defaults(interfaces[i]);
        }
        return new UdpStackConfig(transport, List.of(settings), DEFAULT_KERNEL_BATCH, DEFAULT_RX_POLL_LIMIT, true,
            DEFAULT_REFRESH_INTERVAL_MS);
    }
}
