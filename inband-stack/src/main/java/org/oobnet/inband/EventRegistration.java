package org.oobnet.inband;

/**
 * A socket's entry in the event thread's epoll set: its callbacks and cookie, and which one-shot events it has
 * had.
 * <p>
 * <b>Note:</b> {@link #binding} is written by any thread (volatile); the other fields are the event thread's.
 */
final class EventRegistration
{
    record Binding(KSocketCallbacks callbacks, Object cookie)
    {
    }

    final KSocket socket;
    final long key;
    volatile Binding binding;
    boolean cantSendMore;
    boolean cantRecvMore;
    boolean disconnected;
    int lastError;

    EventRegistration(final KSocket socket, final long key)
    {
        this.socket = socket;
        this.key = key;
    }
}
