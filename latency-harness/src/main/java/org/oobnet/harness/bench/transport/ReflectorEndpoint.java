package org.oobnet.harness.bench.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The reflecting side: receives from anyone and answers the sender of the last datagram.
 * <p>
 * <b>Note:</b> used by one reflector thread.
 */
public interface ReflectorEndpoint extends AutoCloseable
{
    /**
     * Waits for the next datagram, at most the receive timeout.
     *
     * @return its length (in {@link #buffer()} at index 0), or -1 when the timeout passed.
     * @throws IOException when the receive failed.
     */
    int receive() throws IOException;

    /**
     * @return the buffer holding the last received datagram; a reply is built in place.
     */
    ByteBuffer buffer();

    /**
     * Sends bytes 0..length of {@link #buffer()} to the last datagram's sender.
     *
     * @param length the reply's length.
     * @throws IOException when the send failed.
     */
    void replyToSender(int length) throws IOException;

    /**
     * @return the address the reflector is bound to (the real port when 0 was asked for).
     */
    InetSocketAddress localAddress();

    @Override
    void close() throws IOException;
}
