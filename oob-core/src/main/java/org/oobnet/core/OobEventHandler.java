package org.oobnet.core;

/**
 * Receives the events of an OOB socket, on the OOB stage.
 * <p>
 * <b>Note:</b> called on the stage thread, in the middle of its duty cycle. It must not block, take a lock,
 * make a blocking call or allocate in steady state: a slow handler delays every socket of the runtime and
 * shows as a stall ({@code stage stalls} counter, stall histogram).
 */
@FunctionalInterface
public interface OobEventHandler
{
    /**
     * One event.
     *
     * @param socket the socket the event is about.
     * @param event  the event.
     * @param arg    the event-specific argument (see {@link OobEvent}).
     * @param cookie the cookie given with the handler.
     */
    void onEvent(OobSocket socket, OobEvent event, long arg, Object cookie);
}
