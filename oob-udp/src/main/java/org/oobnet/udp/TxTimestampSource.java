package org.oobnet.udp;

/**
 * Where the transmit timestamp of a send comes from ({@link TxTimestampHandler}, {@link UdpSockets#txTimestamps}).
 * <p>
 * <b>Note:</b> every source counts ns since the epoch ({@code CLOCK_REALTIME}; a hardware timestamp on the NIC's
 * clock, which is the epoch only when PTP keeps it so).
 */
public enum TxTimestampSource
{
    /**
     * No timestamp: the datagram left by the in-band path (a route or neighbour miss), or the kernel skipped its
     * frame ({@code TP_STATUS_WRONG_FORMAT}); the send id is still reported, once.
     */
    NONE,
    /**
     * Packet transport: the kernel gave the TX-ring frame back without a timestamp (a virtual device such as veth
     * stamps nothing), so the time is the stage's clock when it saw the frame completed, at most one stage cycle
     * after the kernel freed it: later than the wire, never earlier.
     */
    STAGE,
    /**
     * The kernel's software transmit timestamp: the driver's {@code skb_tx_timestamp} (kernel transport:
     * {@code SOF_TIMESTAMPING_TX_SOFTWARE} on the error queue; packet transport: {@code TP_STATUS_TS_SOFTWARE}).
     */
    SOFTWARE,
    /** The NIC's raw hardware transmit timestamp ({@code SOF_TIMESTAMPING_RAW_HARDWARE}, the device enabled). */
    HARDWARE
}
