package org.oobnet.soupbintcp;

/**
 * A session's timing and size limits.
 *
 * @param heartbeatIntervalMs a heartbeat goes out after this long without sending (SoupBinTCP: 1 s).
 * @param heartbeatTimeoutMs  the session ends after this long without receiving (SoupBinTCP: 15 s).
 * @param maxPacketLength     the largest packet accepted or sent, length field included (3..65537); a longer
 *                            length field is a {@link SoupBinTcpDrop#TOO_LONG} drop.
 */
public record SoupBinTcpSettings(long heartbeatIntervalMs, long heartbeatTimeoutMs, int maxPacketLength)
{
    /** SoupBinTCP's timings, packets up to 4 KB. */
    public static final SoupBinTcpSettings DEFAULTS = new SoupBinTcpSettings(1_000, 15_000, 4096);

    /**
     * @throws IllegalArgumentException naming the bad value.
     */
    public SoupBinTcpSettings
    {
        if (heartbeatIntervalMs < 1 || heartbeatTimeoutMs <= heartbeatIntervalMs)
        {
            throw new IllegalArgumentException("heartbeatIntervalMs=" + heartbeatIntervalMs + " heartbeatTimeoutMs=" +
                heartbeatTimeoutMs + " must be 1 <= interval < timeout");
        }
        if (maxPacketLength < SoupBinTcpDescriptor.PAYLOAD_OFFSET + SoupBinTcpDescriptor.LOGIN_REQUEST_LENGTH ||
            maxPacketLength > SoupBinTcpDescriptor.LENGTH_FIELD_LENGTH + SoupBinTcpDescriptor.MAX_LENGTH_FIELD)
        {
            throw new IllegalArgumentException("maxPacketLength=" + maxPacketLength + " must be 49..65537");
        }
    }
}
