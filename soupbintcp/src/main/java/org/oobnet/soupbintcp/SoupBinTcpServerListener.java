package org.oobnet.soupbintcp;

import org.agrona.DirectBuffer;

/**
 * What a {@link SoupBinTcpServer} reports, on the stage (no blocking, no allocation).
 */
public interface SoupBinTcpServerListener
{
    /**
     * A client logged in; sequenced messages from {@code firstSequenceNumber} on are (re)sent to it.
     *
     * @param server              the session.
     * @param firstSequenceNumber the first sequence number it gets.
     */
    void onLoggedIn(SoupBinTcpServer server, long firstSequenceNumber);

    /**
     * One unsequenced message from the client, a view valid during the call.
     *
     * @param server the session.
     * @param buffer its buffer.
     * @param offset where it starts.
     * @param length its length.
     */
    void onUnsequencedData(SoupBinTcpServer server, DirectBuffer buffer, int offset, int length);

    /**
     * The session ended.
     *
     * @param server the session.
     * @param how    how.
     */
    void onEnded(SoupBinTcpServer server, SoupBinTcpEnd how);
}
