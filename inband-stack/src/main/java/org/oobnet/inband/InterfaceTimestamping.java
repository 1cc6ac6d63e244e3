package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import org.oobnet.inband.sys.IfreqDescriptor;

import static org.oobnet.inband.SocketConstants.SIOCETHTOOL;
import static org.oobnet.inband.SocketConstants.SOF_TIMESTAMPING_RAW_HARDWARE;
import static org.oobnet.inband.SocketConstants.SOF_TIMESTAMPING_RX_HARDWARE;
import static org.oobnet.inband.SocketConstants.SOF_TIMESTAMPING_RX_SOFTWARE;

/**
 * An interface's timestamping capabilities as its driver reports them ({@code ETHTOOL_GET_TS_INFO}, what
 * {@code ethtool -T IF} prints): the {@code SOF_TIMESTAMPING_*} flags it supports and its PTP clock's index.
 * <p>
 * <b>Note:</b> immutable; {@link #query} runs in-band, in the network namespace of the socket it is given.
 *
 * @param interfaceName   the interface.
 * @param soTimestamping  the supported {@code SOF_TIMESTAMPING_*} flags.
 * @param phcIndex        the PTP hardware clock's index ({@code /dev/ptpN}), or -1 when it has none.
 */
public record InterfaceTimestamping(String interfaceName, int soTimestamping, int phcIndex)
{
    private static final int ETHTOOL_GET_TS_INFO = 0x41;
    // struct ethtool_ts_info: cmd, so_timestamping, phc_index, tx_types, tx_reserved[3], rx_filters, rx_reserved[3]
    private static final int TS_INFO_LENGTH = 44;
    private static final int SO_TIMESTAMPING_OFFSET = 4;
    private static final int PHC_INDEX_OFFSET = 8;

    /**
     * Asks the interface's driver ({@code ioctl(SIOCETHTOOL)} with {@code ETHTOOL_GET_TS_INFO}).
     *
     * @param socket        any kernel socket of the namespace (an {@code AF_INET}/{@code SOCK_DGRAM} one will do).
     * @param interfaceName the interface, 1..15 ASCII characters.
     * @return what the driver reports.
     * @throws ErrnoException the ioctl's errno ({@code ENODEV}: no such interface; {@code EOPNOTSUPP}: the driver
     *                        does not answer), or {@code EINVAL} for a bad name.
     */
    public static InterfaceTimestamping query(final KSocket socket, final String interfaceName) throws ErrnoException
    {
        final byte[] name = interfaceName.getBytes(StandardCharsets.US_ASCII);
        if (name.length == 0 || name.length >= IfreqDescriptor.IFNAMSIZ)
        {
            throw new ErrnoException("ETHTOOL_GET_TS_INFO", Errno.EINVAL, "interface=" + interfaceName +
                " must have 1.." + (IfreqDescriptor.IFNAMSIZ - 1) + " characters");
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment info = arena.allocate(TS_INFO_LENGTH, 4);
            info.set(ValueLayout.JAVA_INT, 0, ETHTOOL_GET_TS_INFO);
            final MemorySegment ifreq = arena.allocate(IfreqDescriptor.LENGTH, 8).fill((byte)0);
            MemorySegment.copy(name, 0, ifreq, ValueLayout.JAVA_BYTE, IfreqDescriptor.NAME_OFFSET, name.length);
            // ifr_data: the union after the name holds the pointer to the ethtool request
            ifreq.set(ValueLayout.ADDRESS, IfreqDescriptor.IFINDEX_OFFSET, info);
            socket.ioctl(SIOCETHTOOL, ifreq);
            return new InterfaceTimestamping(interfaceName, info.get(ValueLayout.JAVA_INT, SO_TIMESTAMPING_OFFSET),
                info.get(ValueLayout.JAVA_INT, PHC_INDEX_OFFSET));
        }
    }

    /** @return whether the NIC stamps received frames in hardware and reports the raw stamps. */
    public boolean hardwareRx()
    {
        return 0 != (soTimestamping & SOF_TIMESTAMPING_RX_HARDWARE) &&
            0 != (soTimestamping & SOF_TIMESTAMPING_RAW_HARDWARE);
    }

    /** @return whether the driver reports the kernel's software RX stamps. */
    public boolean softwareRx()
    {
        return 0 != (soTimestamping & SOF_TIMESTAMPING_RX_SOFTWARE);
    }
}
