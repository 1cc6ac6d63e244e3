package org.oobnet.packet.stats;

import org.oobnet.core.counters.ProtocolCounterType;

/**
 * The per-socket counters of an OOB packet socket: one type id (1000..1099, the protocols' range of oob-core's
 * counters file) and label each, as {@code oobnet stat} and {@code oobnet net query} print them.
 * <p>
 * <b>Note:</b> immutable.
 */
public enum PacketCounter implements ProtocolCounterType
{
    /** Frames taken from the RX ring and handed on. */
    FRAMES_IN(1000, "frames in"),
    /** Bytes of those frames. */
    BYTES_IN(1001, "bytes in"),
    /** Frames committed to the TX ring. */
    FRAMES_OUT(1002, "frames out"),
    /** Bytes of those frames. */
    BYTES_OUT(1003, "bytes out"),
    /** Frames the kernel dropped because the RX ring was full ({@code tp_drops} of {@code PACKET_STATISTICS}). */
    KERNEL_DROPS(1004, "kernel drops"),
    /** Sends refused because the TX ring had no free frame ({@code EWOULDBLOCK}). */
    TX_RING_FULL(1005, "tx ring full"),
    /** TX frames refused for their length, by this runtime or the kernel ({@code TP_STATUS_WRONG_FORMAT}). */
    WRONG_FORMAT(1006, "wrong format"),
    /** RX frames the socket's filter rejects, found by the stage's re-check (frames queued before the filter). */
    FILTER_MISSES(1007, "filter misses"),
    /** RX frames shorter than an Ethernet header: dropped. */
    RUNTS(1008, "runts"),
    /** RX frames longer than a ring frame ({@code tp_snaplen < tp_len}): dropped. */
    TRUNCATED(1009, "truncated"),
    /** TX kicks ({@code send(fd, NULL, 0, MSG_DONTWAIT)}) made. */
    TX_KICKS(1010, "tx kicks"),
    /** Errors the kernel reported on the socket ({@code SO_ERROR}, failed kicks). */
    SOCKET_ERRORS(1011, "socket errors"),
    /**
     * Frames left in the TX ring unsent when the socket closed ({@code TP_STATUS_SEND_REQUEST}: the kernel kept
     * refusing them, e.g. while the carrier was down); the kernel discards them with the ring.
     */
    TX_UNSENT_AT_CLOSE(1012, "tx unsent at close"),
    /**
     * Frames the kernel put in the RX ring that were still unread when the ring was closed ({@code TP_STATUS_USER}:
     * the ring's user stopped polling with frames waiting); they are discarded with the ring.
     */
    RX_UNREAD_AT_CLOSE(1013, "rx unread at close"),
    /**
     * Frames that waited in the RX ring while no stage polled it (an oob-udp port between its stack's last socket
     * and the next), given back unread when the ring went on a stage again: a socket never receives what arrived
     * before it existed, as with the kernel's own sockets.
     */
    RX_STALE_DISCARDED(1014, "rx stale discarded");

    private final int typeId;
    private final String label;

    PacketCounter(final int typeId, final String label)
    {
        this.typeId = typeId;
        this.label = label;
    }

    /**
     * The counter's type id, for a counters file.
     *
     * @return the id.
     */
    @Override
    public int typeId()
    {
        return typeId;
    }

    /**
     * The counter's label.
     *
     * @return a short lower-case label.
     */
    @Override
    public String label()
    {
        return label;
    }
}
