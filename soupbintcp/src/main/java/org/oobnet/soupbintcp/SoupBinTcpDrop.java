package org.oobnet.soupbintcp;

/**
 * Why a session dropped a packet from its peer. Each malformed packet is counted under its reason and ends the
 * session (its stream can no longer be trusted to be framed).
 */
public enum SoupBinTcpDrop
{
    /** A length field of 0: a packet with no type. */
    EMPTY("drops empty"),
    /** A length field larger than the session's largest packet (e.g. 65535 from a peer sending garbage). */
    TOO_LONG("drops too-long"),
    /** A type SoupBinTCP does not define. */
    UNKNOWN_TYPE("drops unknown-type"),
    /** A fixed-size packet type (login, heartbeat, logout, end of session) with the wrong payload length. */
    BAD_LENGTH("drops bad-length"),
    /** A type the other side sends, or one not allowed in the session's state (data before login). */
    UNEXPECTED_TYPE("drops unexpected-type"),
    /** A sequence number field that is not ASCII digits padded with spaces. */
    BAD_NUMBER("drops bad-number"),
    /** Part of a packet, then nothing until the heartbeat timeout. */
    PARTIAL_PACKET("drops partial-packet");

    private final String label;

    SoupBinTcpDrop(final String label)
    {
        this.label = label;
    }

    /** @return the counter's label. */
    public String label()
    {
        return label;
    }
}
