package org.oobnet.config;

import java.util.Objects;

/**
 * PACKET_MMAP ring settings of one network interface the OOB stage serves.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param name         the interface name, such as {@code veth0}.
 * @param rxRingFrames frames in the TPACKET_V2 receive ring, a power of two.
 * @param frameSize    bytes per ring frame (headers included), a power of two.
 * @param txRingFrames frames in the transmit ring, a power of two.
 * @param qdiscBypass  whether transmitted frames skip the qdisc ({@code PACKET_QDISC_BYPASS}).
 */
public record InterfaceConfig(String name, int rxRingFrames, int frameSize, int txRingFrames, boolean qdiscBypass)
{
    /**
     * Checks the components that no loader can get wrong; values are validated by {@link ConfigLoader}.
     *
     * @param name         the interface name, such as {@code veth0}.
     * @param rxRingFrames frames in the TPACKET_V2 receive ring, a power of two.
     * @param frameSize    bytes per ring frame (headers included), a power of two.
     * @param txRingFrames frames in the transmit ring, a power of two.
     * @param qdiscBypass  whether transmitted frames skip the qdisc ({@code PACKET_QDISC_BYPASS}).
     */
    public InterfaceConfig
    {
        Objects.requireNonNull(name, "name");
    }

    /**
     * The settings of an interface not described in the configuration: every field at its default.
     *
     * @param name the interface name.
     * @return the defaults for it.
     */
    public static InterfaceConfig defaults(final String name)
    {
        return new InterfaceConfig(
            name,
            Configuration.INTERFACE_RX_RING_FRAMES_DEFAULT,
            Configuration.INTERFACE_FRAME_SIZE_DEFAULT,
            Configuration.INTERFACE_TX_RING_FRAMES_DEFAULT,
            Configuration.INTERFACE_QDISC_BYPASS_DEFAULT);
    }
}
