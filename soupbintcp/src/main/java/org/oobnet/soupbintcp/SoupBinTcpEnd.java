package org.oobnet.soupbintcp;

/**
 * How a SoupBinTCP session ended.
 */
public enum SoupBinTcpEnd
{
    /** Still running. */
    NONE,
    /** The client logged out (server side: it asked to; client side: it did). */
    LOGOUT,
    /** The server ended the session ({@code Z}). */
    END_OF_SESSION,
    /** The server rejected the login. */
    LOGIN_REJECTED,
    /** Nothing arrived from the peer for the heartbeat timeout. */
    HEARTBEAT_TIMEOUT,
    /** The peer closed or reset the TCP connection. */
    DISCONNECTED,
    /** The peer sent a malformed packet (see the session's drop counters). */
    MALFORMED_PACKET
}
