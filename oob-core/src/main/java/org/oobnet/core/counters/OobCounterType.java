package org.oobnet.core.counters;

/**
 * Every counter oob-core keeps: its type id in the counters file and its label.
 * <p>
 * Runtime counters have ids 1..99, per-socket counters 100..199, the stall histogram's buckets 200, the per-hop histograms 210..212, a device's
 * counters 300..399 (labelled {@code "device <name>: <counter>"}); protocols' own per-socket counters ({@link ProtocolCounterType}) start at {@link #FIRST_PROTOCOL_TYPE_ID}. A socket
 * counter's label is {@code "<label>: <protocol> fd=<fd> id=<id>"}, its registration id the socket's id.
 * <b>Note:</b> immutable, thread safe.
 */
public enum OobCounterType
{
    /** Duty cycles run by the stage. */
    STAGE_CYCLES(1, "stage cycles"),
    /** Cycles longer than the stall threshold. */
    STAGE_STALLS(2, "stage stalls"),
    /** Longest cycle seen, in ns. */
    STAGE_MAX_CYCLE_NS(3, "stage max cycle ns"),
    /** Control commands the stage executed. */
    CONTROL_COMMANDS(4, "control commands"),
    /** Throwables caught on the stage (see the distinct error log). */
    STAGE_ERRORS(5, "stage errors"),
    /** OOB sockets on the stage. */
    STAGE_SOCKETS(6, "stage sockets"),
    /** Stall threshold in ns (a constant, for readers). */
    STALL_THRESHOLD_NS(7, "stall threshold ns"),
    /** Bytes the stage thread allocated since it started (refreshed every {@code 100 ms}; 0 in steady state). */
    STAGE_ALLOCATED_BYTES(8, "stage allocated bytes"),
    /** Devices the stage polls. */
    STAGE_DEVICES(9, "stage devices"),
    /** The CPU the stage runs on (a constant, for readers). */
    STAGE_CPU(10, "stage cpu"),
    /** 1 when the stage's CPU is isolated (a constant, for readers). */
    STAGE_ISOLATED(11, "stage isolated"),
    /** Messages received (delivered to the socket). */
    PACKETS_IN(100, "packets in"),
    /** Bytes received. */
    BYTES_IN(101, "bytes in"),
    /** Messages sent. */
    PACKETS_OUT(102, "packets out"),
    /** Bytes sent. */
    BYTES_OUT(103, "bytes out"),
    /** Drops: the receive ring was full. */
    DROPS_RING_FULL(104, "drops ring full"),
    /** Drops: the socket was closed or shut down. */
    DROPS_CLOSED(105, "drops closed"),
    /** Drops: no peer (not connected, or the peer went). */
    DROPS_NO_PEER(106, "drops no peer"),
    /** Drops: the protocol refused the message. */
    DROPS_PROTOCOL(107, "drops protocol"),
    /** Sends refused because the send path was full (back-pressure, not a drop). */
    SEND_RING_FULL(108, "send ring full"),
    /** Hooks or stage methods of the protocol that failed or threw. */
    HOOK_ERRORS(109, "hook errors"),
    /** Stalls whose duration falls in one log2 bucket; the label gives the range. */
    STALL_BUCKET(200, "stalls"),
    /** Per-hop timestamps: a hop's durations in one log-linear bucket ({@code "hop <hop> <lower>ns"}). */
    HOP_BUCKET(210, "hop"),
    /** Per-hop timestamps: a hop's recorded durations ({@code "hop <hop> count"}). */
    HOP_COUNT(211, "hop count"),
    /** Per-hop timestamps: a hop's longest duration, ns ({@code "hop <hop> max ns"}). */
    HOP_MAX_NS(212, "hop max ns"),
    /** Per-hop timestamps: the sum of a hop's durations, ns ({@code "hop <hop> sum ns"}), for its mean. */
    HOP_SUM_NS(213, "hop sum ns"),
    /** A device's sockets attached ({@code "device <name>: sockets"}). */
    DEVICE_SOCKETS(300, "sockets"),
    /** A device's health, {@code DeviceHealth} ordinal: 0 up, 1 error, 2 down. */
    DEVICE_HEALTH(301, "health"),
    /** One of a device's own counters (frames, drops by reason); the label names it. */
    DEVICE_COUNTER(302, "device counter");

    /** The first type id of protocols' counters ({@link ProtocolCounterType}); oob-core's own stay below. */
    public static final int FIRST_PROTOCOL_TYPE_ID = 1000;

    private final int typeId;
    private final String label;

    OobCounterType(final int typeId, final String label)
    {
        this.typeId = typeId;
        this.label = label;
    }

    /** @return the type id in the counters file. */
    public int typeId()
    {
        return typeId;
    }

    /** @return the label (socket counters get a suffix). */
    public String label()
    {
        return label;
    }

    /** The label prefix of a device's counters: {@code "device <name>: "}. */
    public static final String DEVICE_LABEL_PREFIX = "device ";

    /** @return true for per-socket counters. */
    public boolean isSocketCounter()
    {
        return typeId >= 100 && typeId < 200;
    }

    /**
     * @param typeId a type id.
     * @return its type, or null when unknown.
     */
    public static OobCounterType of(final int typeId)
    {
        for (final OobCounterType type : values())
        {
            if (type.typeId == typeId)
            {
                return type;
            }
        }
        return null;
    }
}
