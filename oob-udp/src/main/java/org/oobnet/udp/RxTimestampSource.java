package org.oobnet.udp;

/**
 * Where the kernel receive timestamp of a datagram comes from ({@link UdpSockets#rxTimestampNs}).
 * <p>
 * <b>Note:</b> both sources count ns since the epoch ({@code CLOCK_REALTIME}; a hardware timestamp on the NIC's
 * clock, which PTP keeps close to it).
 */
public enum RxTimestampSource
{
    /** No timestamp: nothing received yet, or the kernel attached none (timestamp 0). */
    NONE("none"),
    /**
     * The kernel's software timestamp: for the packet transport the ring header's {@code tp_sec/tp_nsec}, taken
     * when the frame reached the packet tap (or earlier, at the device, when some socket enabled RX timestamps);
     * for the kernel transport {@code SCM_TIMESTAMPING}'s software time, taken at the device.
     */
    SOFTWARE("software"),
    /** The NIC's raw hardware timestamp ({@code SOF_TIMESTAMPING_RAW_HARDWARE}; the device must have it enabled). */
    HARDWARE("hardware");

    private final String label;

    RxTimestampSource(final String label)
    {
        this.label = label;
    }

    /**
     * @return "none", "software" or "hardware", as {@code oobnet mcast dump} reports it.
     */
    public String label()
    {
        return label;
    }
}
