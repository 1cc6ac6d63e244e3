package org.oobnet.moldudp64;

/**
 * Why a MoldUDP64 packet was dropped, or {@link #NONE}. One reason per malformed packet, the first problem found
 * walking it from the front; each has a counter in {@link MoldUdp64DropCounters}.
 */
public enum MoldUdp64DropReason
{
    /** Not dropped. */
    NONE("none"),
    /** Fewer bytes than the 20-byte header. */
    TRUNCATED_HEADER("truncated header"),
    /** Sequence number 0, at or above 2^63, or one whose messages would run past 2^63. */
    SEQUENCE_OUT_OF_RANGE("sequence out of range"),
    /** The count promises another message block but fewer than its 2-byte length field are left. */
    COUNT_OVERRUNS_PACKET("count overruns packet"),
    /** A message block's length runs past the end of the packet. */
    MESSAGE_OVERRUNS_PACKET("message overruns packet"),
    /** Bytes after the last message block the count announced (or after a heartbeat's or end of session's header). */
    TRAILING_BYTES("trailing bytes"),
    /** A request packet that is not exactly 20 bytes long. */
    REQUEST_WRONG_LENGTH("request wrong length"),
    /** A request for no messages, or with the end-of-session count. */
    REQUEST_COUNT_OUT_OF_RANGE("request count out of range");

    private static final MoldUdp64DropReason[] VALUES = values();

    private final String label;

    MoldUdp64DropReason(final String label)
    {
        this.label = label;
    }

    /**
     * The label used in counters and reports.
     *
     * @return e.g. {@code "message overruns packet"}.
     */
    public String label()
    {
        return label;
    }

    /**
     * Every reason, without the copy {@code values()} makes.
     *
     * @param ordinal the reason's ordinal.
     * @return the reason.
     */
    public static MoldUdp64DropReason of(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /**
     * How many reasons there are, {@link #NONE} included.
     *
     * @return the count.
     */
    public static int count()
    {
        return VALUES.length;
    }
}
