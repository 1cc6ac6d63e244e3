package org.oobnet.tcp;

import org.oobnet.core.counters.ProtocolCounterType;

/**
 * A stage-driven TCP connection's own counters (per socket, in the counters file next to the socket's).
 */
public enum TcpCounter implements ProtocolCounterType
{
    /** Bytes the kernel took from the stage's sends. */
    BYTES_OUT(1100, "tcp bytes out"),
    /** Bytes received and handed to the stage handler. */
    BYTES_IN(1101, "tcp bytes in"),
    /** Sends the kernel did not take in full (its socket buffer full): the rest waited in the outbound buffer. */
    SHORT_WRITES(1102, "tcp short writes"),
    /** Sends refused with {@code EWOULDBLOCK}: the outbound buffer had no room for the whole message. */
    WOULD_BLOCKS(1103, "tcp would-blocks"),
    /** Connections ended by a peer's reset ({@code ECONNRESET}). */
    RESETS(1104, "tcp resets"),
    /** Connections the peer closed in order (end of stream). */
    PEER_CLOSES(1105, "tcp peer closes"),
    /** Bytes still in the outbound buffer when the connection closed or left the stage. */
    BYTES_UNSENT(1106, "tcp bytes unsent"),
    /** Connections ended by another fatal error ({@code ETIMEDOUT}, {@code EHOSTUNREACH}, ...) or whose
     * non-blocking connect failed ({@code CONNECTFAILED}). */
    ERRORS(1107, "tcp errors");

    private final int typeId;
    private final String label;

    TcpCounter(final int typeId, final String label)
    {
        this.typeId = typeId;
        this.label = label;
    }

    @Override
    public int typeId()
    {
        return typeId;
    }

    @Override
    public String label()
    {
        return label;
    }
}
