package org.oobnet.soupbintcp;

import org.agrona.DirectBuffer;

/**
 * What a {@link SoupBinTcpClient} reports, on the stage (no blocking, no allocation).
 */
public interface SoupBinTcpClientListener
{
    /**
     * The server accepted the login.
     *
     * @param client               the session.
     * @param nextSequenceNumber the sequence number of the next sequenced message the server sends.
     */
    void onLoginAccepted(SoupBinTcpClient client, long nextSequenceNumber);

    /**
     * The server rejected the login (the session then ends, {@link SoupBinTcpEnd#LOGIN_REJECTED}).
     *
     * @param client the session.
     * @param reason {@link SoupBinTcpDescriptor#REJECT_NOT_AUTHORIZED} or
     *               {@link SoupBinTcpDescriptor#REJECT_SESSION_NOT_AVAILABLE}.
     */
    void onLoginRejected(SoupBinTcpClient client, byte reason);

    /**
     * One sequenced message, a view valid during the call.
     *
     * @param client         the session.
     * @param sequenceNumber its sequence number.
     * @param buffer         its buffer.
     * @param offset         where it starts.
     * @param length         its length.
     */
    void onSequencedData(SoupBinTcpClient client, long sequenceNumber, DirectBuffer buffer, int offset, int length);

    /**
     * The session ended.
     *
     * @param client the session.
     * @param how    how.
     */
    void onEnded(SoupBinTcpClient client, SoupBinTcpEnd how);
}
