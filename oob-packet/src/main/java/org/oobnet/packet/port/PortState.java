package org.oobnet.packet.port;

/**
 * The OOB state of a packet socket's port (its interface), as {@code oobnet net query} shows it.
 * <p>
 * <b>Note:</b> immutable.
 */
public enum PortState
{
    /** Attached, not yet bound to an interface: no rings. */
    UNBOUND,
    /** Bound, rings mapped and on the stage. */
    UP,
    /** The kernel reported an error on the socket (interface down: {@code ENETDOWN}); the stage keeps polling. */
    ERROR,
    /** The interface was deleted: the socket is no longer bound; the stage keeps running. */
    DISCONNECTED,
    /** Released: rings off the stage and unmapped. */
    CLOSED
}
