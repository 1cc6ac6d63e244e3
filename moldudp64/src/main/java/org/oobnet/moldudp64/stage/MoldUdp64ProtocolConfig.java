package org.oobnet.moldudp64.stage;

import org.oobnet.config.UdpTransport;
import org.oobnet.moldudp64.MoldUdp64Descriptor;
import org.oobnet.moldudp64.MoldUdp64ReceiverConfig;

/**
 * How the MoldUDP64 feed sockets of one {@link MoldUdp64Protocol} work: the transport of their OOB UDP line
 * sockets, the publisher's packet size, heartbeat and store, and the subscriber's recovery settings.
 * <p>
 * <b>Note:</b> immutable.
 *
 * @param transport           the OOB UDP transport of the line and request sockets ({@code PACKET}: PACKET_MMAP
 *                            rings; {@code KERNEL}: kernel sockets polled on the stage).
 * @param packetCapacity      the largest downstream packet a publisher builds, header included (the path's UDP
 *                            payload: 1400 is Nassau's), 22 to 65507.
 * @param heartbeatIntervalNs a publisher's heartbeat period on idle lines.
 * @param storeMessages       the last messages a publisher keeps to answer requests (a power of two).
 * @param recovery            the subscriber's arbitration and recovery (its {@code lineCount} is replaced by the
 *                            bound address's).
 */
public record MoldUdp64ProtocolConfig(
    UdpTransport transport,
    int packetCapacity,
    long heartbeatIntervalNs,
    int storeMessages,
    MoldUdp64ReceiverConfig recovery)
{
    /**
     * Checks every field.
     *
     * @throws IllegalArgumentException naming the bad field.
     */
    public MoldUdp64ProtocolConfig
    {
        if (packetCapacity < MoldUdp64Descriptor.HEADER_LENGTH + 2 || packetCapacity > MoldUdp64Descriptor.MAX_PACKET_LENGTH)
        {
            throw new IllegalArgumentException("packetCapacity=" + packetCapacity + " must be 22 to " +
                MoldUdp64Descriptor.MAX_PACKET_LENGTH);
        }
        if (heartbeatIntervalNs <= 0)
        {
            throw new IllegalArgumentException("heartbeatIntervalNs=" + heartbeatIntervalNs + " must be positive");
        }
        if (storeMessages < 1 || Integer.bitCount(storeMessages) != 1)
        {
            throw new IllegalArgumentException("storeMessages=" + storeMessages + " must be a power of two");
        }
    }

    /**
     * Packet transport, 1400-byte packets, a heartbeat a second, 4096 messages kept, the receiver's defaults.
     *
     * @return the configuration.
     */
    public static MoldUdp64ProtocolConfig defaults()
    {
        return new MoldUdp64ProtocolConfig(UdpTransport.PACKET, 1400, 1_000_000_000L, 4096,
            MoldUdp64ReceiverConfig.defaults(2));
    }

    /**
     * @param lineCount the bound address's lines.
     * @return {@link #recovery} for that many lines.
     */
    MoldUdp64ReceiverConfig recovery(final int lineCount)
    {
        return new MoldUdp64ReceiverConfig(lineCount, recovery.firstSequence(), recovery.gapFillWindowNs(),
            recovery.requestTimeoutNs(), recovery.maxRequestTimeoutNs(), recovery.maxRequestAttempts(),
            recovery.maxRequestCount(), recovery.maxOutstandingRequests());
    }

    /**
     * @return the longest message a publisher takes: one per packet.
     */
    public int maxMessageLength()
    {
        return packetCapacity - MoldUdp64Descriptor.HEADER_LENGTH - MoldUdp64Descriptor.MESSAGE_LENGTH_FIELD_LENGTH;
    }
}
