package org.oobnet.inband.sys;

/**
 * The head of {@code struct tcp_info} ({@code getsockopt(IPPROTO_TCP, TCP_INFO)}) that the event thread reads, and
 * the values of its {@code tcpi_state} ({@code include/net/tcp_states.h}) (Linux x86_64).
 * <pre>
 *  offset size field
 *     0   1  tcpi_state
 *     1   1  tcpi_ca_state
 *     2   1  tcpi_retransmits
 *     3   1  tcpi_probes
 *     4   1  tcpi_backoff
 *     5   1  tcpi_options
 *     6   2  (window scales, flags)
 *     8 ...  (rto ... bytes_received, segs_out, segs_in, notsent_bytes, min_rtt)
 *   152   4  tcpi_data_segs_in
 *   156   4  tcpi_data_segs_out
 *   160      (what is read here; the kernel copies no more than asked)
 * </pre>
 * <b>Note:</b> constants only, thread safe.
 */
public final class TcpInfoDescriptor
{
    /** {@code tcpi_state}: the connection's state, one of the {@code TCP_*} states below. */
    public static final int STATE_OFFSET = 0;
    /**
     * {@code tcpi_data_segs_in} (u32, Linux 4.6+): segments received that carried data; a FIN or a pure ACK does not
     * count, so it tells new data from other wake-ups.
     */
    public static final int DATA_SEGS_IN_OFFSET = 152;
    /** The bytes read: up to and including {@code tcpi_data_segs_out}. */
    public static final int HEAD_LENGTH = 160;

    /** Connected both ways. */
    public static final int TCP_ESTABLISHED = 1;
    /** Active open: SYN sent, waiting for the peer's SYN-ACK. */
    public static final int TCP_SYN_SENT = 2;
    /** Passive open: SYN received (not seen on an accepted socket). */
    public static final int TCP_SYN_RECV = 3;
    /** Our FIN sent, not yet acknowledged. */
    public static final int TCP_FIN_WAIT1 = 4;
    /** Our FIN acknowledged; the peer may still send. */
    public static final int TCP_FIN_WAIT2 = 5;
    /** Both FINs exchanged, waiting out stray segments. */
    public static final int TCP_TIME_WAIT = 6;
    /** No connection (never connected, failed, reset, or fully closed). */
    public static final int TCP_CLOSE = 7;
    /** The peer's FIN received; we may still send. */
    public static final int TCP_CLOSE_WAIT = 8;
    /** The peer's FIN received and ours sent, waiting for its acknowledgement. */
    public static final int TCP_LAST_ACK = 9;
    /** Listening. */
    public static final int TCP_LISTEN = 10;
    /** Both sides sent FIN at once. */
    public static final int TCP_CLOSING = 11;

    private TcpInfoDescriptor()
    {
    }
}
