package org.oobnet.inband;

/**
 * Event callbacks of a {@link KSocket} (ksocket's {@code ksocket_callbacks_t}): one method per
 * {@link KSocketEvent}, each given the socket, the cookie passed to {@link KSocket#setCallbacks} and the event's
 * argument. Every method defaults to doing nothing.
 * <p>
 * <b>The contract</b> (the table with every scenario is docs/ksocket-events.md):
 * <ul>
 *   <li>what fires is decided on the socket's state when the event thread gets to it, so a callback that keeps the
 *       thread busy delays other sockets' events but never changes them;</li>
 *   <li>in one look at a socket: {@code CONNECTED}/{@code CONNECTFAILED}, {@code ERROR}, {@code OOBDATA},
 *       {@code NEWDATA}, {@code CANTRECVMORE}, {@code CANTSENDMORE}/{@code CANSEND}, {@code DISCONNECTED};</li>
 *   <li>nothing about a connection before {@code CONNECTED} (an accepted socket is connected from birth and gets
 *       none);</li>
 *   <li>{@code CANTRECVMORE}, {@code CANTSENDMORE} and {@code DISCONNECTED} at most once per socket, the connect
 *       outcome once per connect call that started an attempt;</li>
 *   <li>{@code DISCONNECTED} after {@code CANTRECVMORE} and {@code CANTSENDMORE}, and nothing but {@code ERROR}
 *       after it;</li>
 *   <li>nothing after {@code close()}; callbacks set late still get the outcome of a connect call not reported
 *       yet, one {@code NEWDATA}/{@code OOBDATA} for what is queued, and the ends already reached.</li>
 * </ul>
 * <p>
 * <b>Note:</b> called on the stack's in-band event thread, one event at a time. A callback may block briefly,
 * use the socket, or close it (delivery stops at once); one that throws is logged and the thread goes on.
 */
public interface KSocketCallbacks
{
    /**
     * A connect call that started an attempt succeeded: it returned 0, or it returned {@code EINPROGRESS} and the
     * kernel then completed the connection. Once per such call; never for an accepted socket nor a datagram
     * socket.
     *
     * @param socket   the socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument 0.
     */
    default void onConnected(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * A connect call's attempt failed: a blocking call returned the error (refused, unreachable, timed out), or a
     * pending connection ended without connecting. Once per such call, instead of {@code CONNECTED}.
     *
     * @param socket   the socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument the errno.
     */
    default void onConnectFailed(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * The connection is gone in the kernel (both FINs exchanged and acknowledged, or reset, or timed out). Once,
     * after {@code CANTRECVMORE} and {@code CANTSENDMORE}; only {@code ERROR} may follow. A peer's graceful close
     * alone is {@code CANTRECVMORE}: TCP cannot tell it from a half-close.
     *
     * @param socket   the socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument the errno, 0 for an orderly close.
     */
    default void onDisconnected(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * Urgent data ({@code MSG_OOB}) arrived and is pending. Edge-triggered.
     *
     * @param socket   the socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument 0.
     */
    default void onOobData(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * Data arrived and is readable now. Edge-triggered: arrivals while the event thread was busy coalesce into one.
     *
     * @param socket   the socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument bytes readable now.
     */
    default void onNewData(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * A connection arrived at a listening socket and waits to be accepted. Edge-triggered.
     *
     * @param socket   the listening socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument 0.
     */
    default void onNewConn(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * The socket can send again after a send was refused for flow control ({@code EAGAIN}, or a stream send cut
     * short). Once per such episode; never on a socket whose sends were never refused, never after
     * {@code CANTSENDMORE}.
     *
     * @param socket   the socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument 0.
     */
    default void onCanSend(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * No more data can be sent: a local {@code shutdown(SHUT_WR/SHUT_RDWR)}, or sending ended in the kernel (our
     * FIN out, reset, timed out). Once.
     *
     * @param socket   the socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument 0.
     */
    default void onCantSendMore(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * No new data will arrive: the peer's FIN, a local {@code shutdown(SHUT_RD/SHUT_RDWR)}, or a reset. Once.
     *
     * @param socket   the socket.
     * @param cookie   the cookie given with the callbacks.
     * @param argument 0.
     */
    default void onCantRecvMore(final KSocket socket, final Object cookie, final long argument)
    {
    }

    /**
     * An error the kernel reported: the pending {@code SO_ERROR} (a reset, ICMP on a connected datagram socket) or
     * an error-queue record ({@code IP_RECVERR}). Once per report; the only event allowed after
     * {@code DISCONNECTED}.
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
