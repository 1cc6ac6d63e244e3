package org.oobnet.inband;

/**
 * A socket's entry in the event thread's epoll set: its key there, its callbacks and cookie (what fired already is
 * the socket's {@link KSocketEventMachine}'s to know).
 * <p>
 * <b>Note:</b> {@link #binding} is written by any thread (volatile); the other fields are final.
 */
final class EventRegistration
{
    record Binding(KSocketCallbacks callbacks, Object cookie)
    {
    }

    final KSocket socket;
    final long key;
    volatile Binding binding;

    EventRegistration(final KSocket socket, final long key)
    {
        this.socket = socket;
        this.key = key;
    }
}
