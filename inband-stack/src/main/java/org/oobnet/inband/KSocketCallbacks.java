package org.oobnet.inband;

/**
 * Event callbacks of a {@link KSocket} (ksocket's {@code ksocket_callbacks_t}): one method per
 * {@link KSocketEvent}, each given the socket, the cookie passed to {@link KSocket#setCallbacks} and the event's
 * argument. Every method defaults to doing nothing.
 * <p>
 * <b>Note:</b> called on the stack's in-band event thread, one event at a time. A callback may block briefly,
 * use the socket, or close it; one that throws is logged and the thread goes on.
 */
public interface KSocketCallbacks
{
    /**
     * A connection in progress completed.
     *
     * @param socket   the socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument 0.
     */
    default void onConnected(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * A connection in progress failed.
     *
     * @param socket   the socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument the errno.
     */
    default void onConnectFailed(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * The connection is gone both ways.
     *
     * @param socket   the socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument the errno, 0 for an orderly close.
     */
    default void onDisconnected(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * Urgent data arrived.
     *
     * @param socket   the socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument 0.
     */
    default void onOobData(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * Data arrived.
     *
     * @param socket   the socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument bytes readable now.
     */
    default void onNewData(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * A connection waits to be accepted.
     *
     * @param socket   the listening socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument 0.
     */
    default void onNewConn(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * The socket can send.
     *
     * @param socket   the socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument 0.
     */
    default void onCanSend(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * The socket cannot send any more.
     *
     * @param socket   the socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument 0.
     */
    default void onCantSendMore(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * The socket will receive no more data.
     *
     * @param socket   the socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument 0.
     */
    default void onCantRecvMore(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * An asynchronous error.
     *
     * @param socket   the socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument the errno.
     */
    default void onError(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * Dispatches an event to its method.
     *
     * @param callbacks the callbacks.
     * @param event    the event.
     * @param socket   the socket.
     * @param cookie   the cookie.
     * @param argument the event's argument.
     */
    static void dispatch(final KSocketCallbacks callbacks, final KSocketEvent event, final KSocket socket,
        final Object cookie, final long argument)
    {
        switch (event)
        {
            case CONNECTED -> callbacks.onConnected(socket, cookie, argument);
            case CONNECTFAILED -> callbacks.onConnectFailed(socket, cookie, argument);
            case DISCONNECTED -> callbacks.onDisconnected(socket, cookie, argument);
            case OOBDATA -> callbacks.onOobData(socket, cookie, argument);
            case NEWDATA -> callbacks.onNewData(socket, cookie, argument);
            case NEWCONN -> callbacks.onNewConn(socket, cookie, argument);
            case CANSEND -> callbacks.onCanSend(socket, cookie, argument);
            case CANTSENDMORE -> callbacks.onCantSendMore(socket, cookie, argument);
            case CANTRECVMORE -> callbacks.onCantRecvMore(socket, cookie, argument);
            case ERROR -> callbacks.onError(socket, cookie, argument);
        }
    }
}
