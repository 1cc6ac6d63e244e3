package org.oobnet.core;

/**
 * The ten ksocket events, as raised for {@code SOCK_OOB} sockets on the OOB stage.
 * <p>
 * The same ten as inband-stack's in-band callbacks, with the meaning they have on the OOB side. The
 * event-specific argument ({@code arg}) is given with each constant.
 * <b>Note:</b> immutable, thread safe.
 */
public enum OobEvent
{
    /** The socket was connected (the connect hook succeeded); arg 0. */
    CONNECTED,
    /** A connect attempt failed; arg the positive errno. */
    CONNECTFAILED,
    /** The socket left the stage (released, or its peer went away); arg 0. */
    DISCONNECTED,
    /** Out-of-band data: a message was handed to a stage-side receive handler; arg its length. */
    OOBDATA,
    /** A message was queued on the socket's receive ring for a consumer thread; arg its length. */
    NEWDATA,
    /** A new connection (for protocols with a listen/accept model); arg protocol defined. */
    NEWCONN,
    /** The send path has room again after it was found full; arg 0. */
    CANSEND,
    /** No more sends ({@code SHUT_WR} or {@code SHUT_RDWR}); arg 0. */
    CANTSENDMORE,
    /** No more receives ({@code SHUT_RD} or {@code SHUT_RDWR}); arg 0. */
    CANTRECVMORE,
    /** An error on the socket; arg the positive errno. */
    ERROR;

    private static final OobEvent[] VALUES = values();
    private static final org.oobnet.inband.KSocketEvent[] KSOCKET_EVENTS = org.oobnet.inband.KSocketEvent.values();

    /**
     * @return inband-stack's event of the same name.
     */
    public org.oobnet.inband.KSocketEvent toKSocketEvent()
    {
        return KSOCKET_EVENTS[ordinal()];
    }

    /**
     * Allocation-free lookup by ordinal.
     *
     * @param ordinal the ordinal.
     * @return the event.
     */
    public static OobEvent of(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
