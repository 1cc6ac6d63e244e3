package org.oobnet.inband;

/**
 * The ten ksocket events, as Solaris' Volo ksocket names them, with the meaning of each one's argument; when each
 * fires is {@link KSocketCallbacks}' contract.
 * <p>
 * <b>Note:</b> immutable.
 */
public enum KSocketEvent
{
    /** A connection that was in progress completed; argument 0. */
    CONNECTED,
    /** A connection that was in progress failed; argument the errno (e.g. {@code ECONNREFUSED}). */
    CONNECTFAILED,
    /** A connected stream's connection is gone in the kernel; argument the errno, 0 for an orderly close. */
    DISCONNECTED,
    /** Urgent (TCP out-of-band) data arrived; argument 0. */
    OOBDATA,
    /** Data arrived; argument the bytes readable now ({@code FIONREAD}). */
    NEWDATA,
    /** A listening socket has a connection to accept; argument 0. */
    NEWCONN,
    /** The socket can send again after a send was refused for flow control; argument 0. */
    CANSEND,
    /** The socket cannot send any more (local shutdown, or the peer went); argument 0. */
    CANTSENDMORE,
    /** The socket will receive no more data (local shutdown, or the peer's FIN); argument 0. */
    CANTRECVMORE,
    /** An asynchronous error was reported ({@code SO_ERROR} or the error queue); argument the errno. */
    ERROR
}
