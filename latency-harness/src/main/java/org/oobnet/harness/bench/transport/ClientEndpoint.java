package org.oobnet.harness.bench.transport;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The measuring side of a UDP ping-pong: sends to one peer and receives its replies.
 * <p>
 * <b>Note:</b> used by one measuring thread; {@link #send(int)} and {@link #receive()} must not allocate on
 * transports that claim an allocation-free path (reported either way, see {@code client_alloc_bytes}).
 */
public interface ClientEndpoint extends AutoCloseable
{
    /**
     * @return the buffer to write the next message into, at index 0 (its content is kept between sends).
     */
    ByteBuffer sendBuffer();

    /**
     * Sends bytes 0..length of {@link #sendBuffer()} to the peer.
     *
     * @param length the datagram's length.
     * @throws IOException when the send failed.
     */
    void send(int length) throws IOException;

    /**
     * Waits for the next datagram from the peer, at most the receive timeout.
     *
     * @return its length (in {@link #receiveBuffer()} at index 0), or -1 when the timeout passed.
     * @throws IOException when the receive failed.
     */
    int receive() throws IOException;

    /**
     * @return the buffer the last received datagram is in.
     */
    ByteBuffer receiveBuffer();

    /**
     * @return bytes the OOB stage has allocated so far, or -1 when this transport has no stage.
     */
    default long stageAllocatedBytes()
    {
        return -1;
    }

    /**
     * @return stage cycles longer than the stall threshold so far, or -1 when this transport has no stage.
     */
    default long stalls()
    {
        return -1;
    }

    /**
     * The frames the kernel dropped so far because this endpoint's RX ring was full, read from the kernel now (the
     * measuring thread calls it at the measured phase's edges).
     *
     * @return the drops since the endpoint opened, or -1 when it has no ring of its own.
     */
    default long ringKernelDrops()
    {
        return -1;
    }

    @Override
    void close() throws IOException;
}
