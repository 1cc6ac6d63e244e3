package org.oobnet.udp;

import org.oobnet.core.OobSocket;

/**
 * Takes the transmit timestamp of each OOB send of a socket with {@link UdpOobProtocol#UDP_OOB_TX_TIMESTAMPS} on
 * ({@link UdpSockets#txTimestamps}): exactly one report per datagram sent, in send order per transport.
 * <p>
 * <b>Note:</b> called on the socket's stage (from its packet port's or kernel socket's poll); must not block,
 * allocate or send.
 */
@FunctionalInterface
public interface TxTimestampHandler
{
    /**
     * @param socket      the socket that sent.
     * @param sendId      the send's id: its ordinal (from 0) among the socket's datagrams sent since TX timestamps
     *                    were turned on (kernel transport: the kernel's {@code SOF_TIMESTAMPING_OPT_ID} key, 32
     *                    bits).
     * @param timestampNs the transmit time, ns since the epoch; 0 with {@link TxTimestampSource#NONE}.
     * @param source      where the time comes from.
     */
    void onTxTimestamp(OobSocket socket, long sendId, long timestampNs, TxTimestampSource source);
}
