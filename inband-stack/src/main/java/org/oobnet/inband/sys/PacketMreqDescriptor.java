package org.oobnet.inband.sys;

/**
 * Layout of {@code struct packet_mreq}: {@code PACKET_ADD_MEMBERSHIP}/{@code PACKET_DROP_MEMBERSHIP} request (Linux x86_64).
 * <pre>
 *  offset size field
 *     0   4  mr_ifindex
 *     4   2  mr_type
 *     6   2  mr_alen
 *     8   8  mr_address
 *    16       (sizeof)
 * </pre>
 * <b>Note:</b> constants only, thread safe; checked against the C compiler by {@code StructLayoutTest}.
 */
public final class PacketMreqDescriptor
{
    /** {@code mr_ifindex}: interface index. */
    public static final int IFINDEX_OFFSET = 0;
    /** {@code mr_type}: {@code PACKET_MR_*}. */
    public static final int TYPE_OFFSET = 4;
    /** {@code mr_alen}: address length. */
    public static final int ALEN_OFFSET = 6;
    /** {@code mr_address}: physical-layer address. */
    public static final int ADDRESS_OFFSET = 8;
    /** {@code sizeof(struct packet_mreq)}. */
    public static final int LENGTH = 16;


    private PacketMreqDescriptor()
    {
    }
}
