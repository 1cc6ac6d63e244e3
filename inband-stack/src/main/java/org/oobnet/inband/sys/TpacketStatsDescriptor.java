package org.oobnet.inband.sys;

/**
 * Layout of {@code struct tpacket_stats}: {@code PACKET_STATISTICS} counters (reset on read) (Linux x86_64).
 * <pre>
 *  offset size field
 *     0   4  tp_packets
 *     4   4  tp_drops
 *     8       (sizeof)
 * </pre>
 * <b>Note:</b> constants only, thread safe; checked against the C compiler by {@code StructLayoutTest}.
 */
public final class TpacketStatsDescriptor
{
    /** {@code tp_packets}: packets received, drops included. */
    public static final int PACKETS_OFFSET = 0;
    /** {@code tp_drops}: packets dropped. */
    public static final int DROPS_OFFSET = 4;
    /** {@code sizeof(struct tpacket_stats)}. */
    public static final int LENGTH = 8;


    private TpacketStatsDescriptor()
    {
    }
}
