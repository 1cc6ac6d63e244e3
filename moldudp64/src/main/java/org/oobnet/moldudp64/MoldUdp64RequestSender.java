package org.oobnet.moldudp64;

import org.agrona.DirectBuffer;

/**
 * Where a {@link MoldUdp64Receiver} sends its retransmission requests: a unicast UDP socket towards the request
 * server (an OOB UDP socket on the stage, a kernel socket in-band). Must not block.
 */
@FunctionalInterface
public interface MoldUdp64RequestSender
{
    /**
     * Sends one request packet.
     *
     * @param request the request's bytes, valid during the call only.
     * @param offset where they start.
     * @param length how many ({@value MoldUdp64Descriptor#HEADER_LENGTH}).
     * @return false when it could not be sent now (the receiver counts it and tries again at the next timeout).
     */
    boolean sendRequest(DirectBuffer request, int offset, int length);
}
