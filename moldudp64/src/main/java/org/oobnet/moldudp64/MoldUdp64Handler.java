package org.oobnet.moldudp64;

import org.agrona.DirectBuffer;

/**
 * What a {@link MoldUdp64Receiver} hands its user: every message once, in sequence order, or the range it gave up
 * on. Called on the receiving thread (the stage, when the receiver runs there): implementations must not block or
 * allocate, and must not keep the buffer past the call.
 */
public interface MoldUdp64Handler
{
    /**
     * The next message of the session.
     *
     * @param sequence its sequence number, one more than the last delivered or lost.
     * @param buffer the packet's buffer (the RX frame: zero copy), valid during the call only.
     * @param offset where the message's data starts.
     * @param length its length.
     * @param line the line whose copy won (a downstream line's index, or {@link MoldUdp64Receiver#lineCount()}
     *             for a retransmission).
     * @param rxTimestampNs the receive timestamp of the packet that carried it, as given to the receiver.
     */
    void onMessage(long sequence, DirectBuffer buffer, int offset, int length, int line, long rxTimestampNs);

    /**
     * Messages no line delivered and the request server did not send in time: skipped, never silently.
     *
     * @param fromSequence the first sequence number lost.
     * @param count how many, from it on.
     */
    void onLost(long fromSequence, long count);

    /**
     * The receiver took up a session: the first, or a new one after a session change (the old session's
     * missing messages were reported through {@link #onLost} first).
     *
     * @param session buffer holding the 10-byte session name.
     * @param offset where it starts.
     * @param nextSequence the sequence number the receiver now expects.
     */
    void onSession(DirectBuffer session, int offset, long nextSequence);

    /**
     * The session ended and every message before the end was delivered or reported lost. Called once per session.
     *
     * @param nextSequence the sequence number after the session's last message.
     */
    void onEndOfSession(long nextSequence);
}
