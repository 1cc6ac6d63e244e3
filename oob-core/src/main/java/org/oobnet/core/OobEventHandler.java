package org.oobnet.core;

import org.oobnet.inband.KSocketEvent;

/**
 * Receives the events of an OOB socket, on the OOB stage.
 * <p>
 * <b>Note:</b> called on the stage thread, in the middle of its duty cycle. It must not block, take a lock,
 * make a blocking call or allocate in steady state: a slow handler delays every socket of the runtime and
 * shows as a stall ({@code stage stalls} counter, stall histogram).
 * <p>
 * The events are inband-stack's ten {@link KSocketEvent}s; on the OOB side they mean, with their {@code arg}:
 * <ul>
 *   <li>{@code CONNECTED}: the connect hook succeeded; 0.</li>
 *   <li>{@code CONNECTFAILED}: a connect attempt failed; the positive errno.</li>
 *   <li>{@code DISCONNECTED}: the socket left the stage (released, its peer or its interface went); 0.</li>
 *   <li>{@code OOBDATA}: a message was handed zero-copy to the stage receive handler; its length (not TCP urgent
 *       data as in-band).</li>
 *   <li>{@code NEWDATA}: a message was queued on the socket's receive ring; its length (not {@code FIONREAD}).</li>
 *   <li>{@code NEWCONN}: a new connection, for protocols with a listen/accept model; protocol defined.</li>
 *   <li>{@code CANSEND}: the send path has room again after it was found full; 0.</li>
 *   <li>{@code CANTSENDMORE} / {@code CANTRECVMORE}: {@code SHUT_WR} / {@code SHUT_RD} (or both) applied; 0.</li>
 *   <li>{@code ERROR}: an error on the socket; the positive errno.</li>
 * </ul>
 */
@FunctionalInterface
public interface OobEventHandler
{
    /**
     * One event.
     *
     * @param socket the socket the event is about.
     * @param event  the event.
     * @param arg    the event-specific argument (see the list above).
     * @param cookie the cookie given with the handler.
     */
    void onEvent(OobSocket socket, KSocketEvent event, long arg, Object cookie);
}
