package org.oobnet.udp.transport;

import org.agrona.MutableDirectBuffer;

/**
 * Takes received datagrams from a transport, as records: a {@link org.oobnet.udp.UdpAddressHeader} with the
 * source, then the payload. The view is valid during the call only.
 * <p>
 * <b>Note:</b> called on the polling thread (the stage); must not block or allocate.
 */
@FunctionalInterface
public interface DatagramHandler
{
    /**
     * @param buffer the record's buffer (writable: the handler may reuse it in place).
     * @param offset where the record (address header) starts.
     * @param length the record's length: 8 + the payload's length.
     */
    void onDatagram(MutableDirectBuffer buffer, int offset, int length);

    /**
     * An asynchronous error the kernel queued for the socket: an ICMP destination unreachable about a datagram it
     * sent ({@link KernelBusyPollTransport#reportErrors}).
     *
     * @param errno the errno, positive ({@code ECONNREFUSED}, {@code EHOSTUNREACH}...).
     */
    default void onError(final int errno)
    {
    }

    /**
     * A transmit timestamp the kernel queued for one of the socket's datagrams
     * ({@link KernelBusyPollTransport#switchTxTimestamps}).
     *
     * @param sendId      the datagram's {@code SOF_TIMESTAMPING_OPT_ID} key ({@code ee_data}, 32 bits).
     * @param timestampNs the time, ns since the epoch.
     * @param hardware    whether it is the NIC's raw hardware time (else the kernel's software time).
     */
    default void onTxTimestamp(final long sendId, final long timestampNs, final boolean hardware)
    {
    }
}
