package org.oobnet.tcp;

import org.oobnet.core.OobSocket;
import org.oobnet.core.counters.ProtocolCounters;

/**
 * A TCP OOB socket's protocol state from attach on: its counters, and its connection once started (a listener, or
 * a socket never started, has none and holds no buffers).
 * <p>
 * <b>Note:</b> {@link #connection} is set once, in-band, when the socket is connected (the connect hook, or attach
 * for an accepted socket); the stage reads it (a {@code TcpConnection} is safely published: its fields are final).
 */
final class TcpSocketState
{
    final OobSocket socket;
    final int fd;
    final ProtocolCounters counters;
    TcpConnection connection;

    TcpSocketState(final OobSocket socket, final int fd, final ProtocolCounters counters)
    {
        this.socket = socket;
        this.fd = fd;
        this.counters = counters;
    }
}
