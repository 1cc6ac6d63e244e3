package org.oobnet.core;

import org.agrona.DirectBuffer;

/**
 * Takes one received message as a zero-copy view.
 * <p>
 * The view ({@code buffer} between {@code offset} and {@code offset + length}) is valid only during the call:
 * it may be a ring slot or a frame of a kernel-mapped RX ring that is handed back right after. Copy what must
 * outlive the call.
 * <b>Note:</b> runs on whichever thread called the receive method: the stage for {@code oobReceive} and for a
 * socket's stage receive handler (then the rules of {@link OobEventHandler} apply: no blocking, no allocation),
 * a consumer thread for {@code poll}/{@code receive}.
 */
@FunctionalInterface
public interface OobReceiveHandler
{
    /**
     * One message.
     *
     * @param socket the receiving socket.
     * @param buffer the buffer holding the message.
     * @param offset where the message starts.
     * @param length its length in bytes.
     */
    void onMessage(OobSocket socket, DirectBuffer buffer, int offset, int length);
}
