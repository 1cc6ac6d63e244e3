package org.oobnet.soupbintcp;

import org.oobnet.core.counters.ProtocolCounterType;

/**
 * Why a session dropped a packet from its peer. Each malformed packet is counted under its reason and ends the
 * session (its stream can no longer be trusted to be framed). Each is a counter of the session's socket in the
 * counters file ({@code oobnet stat}: {@code "soupbintcp drops too-long"}).
 */
public enum SoupBinTcpDrop implements ProtocolCounterType
{
    /** A length field of 0: a packet with no type. */
    EMPTY("soupbintcp drops empty"),
    /** A length field larger than the session's largest packet (e.g. 65535 from a peer sending garbage). */
    TOO_LONG("soupbintcp drops too-long"),
    /** A type SoupBinTCP does not define. */
    UNKNOWN_TYPE("soupbintcp drops unknown-type"),
    /** A fixed-size packet type (login, heartbeat, logout, end of session) with the wrong payload length. */
    BAD_LENGTH("soupbintcp drops bad-length"),
    /** A type the other side sends, or one not allowed in the session's state (data before login). */
    UNEXPECTED_TYPE("soupbintcp drops unexpected-type"),
    /** A sequence number field that is not ASCII digits padded with spaces. */
    BAD_NUMBER("soupbintcp drops bad-number"),
    /** Part of a packet, then nothing until the heartbeat timeout. */
    PARTIAL_PACKET("soupbintcp drops partial-packet");

    private final String label;

    SoupBinTcpDrop(final String label)
    {
        this.label = label;
    }

    /** The first drop counter's type id (one per reason, in order). */
    static final int FIRST_TYPE_ID = 1220;

    @Override
    public int typeId()
    {
        return FIRST_TYPE_ID + ordinal();
    }

    @Override
    public String label()
    {
        return label;
    }
}
