package org.oobnet.inband.sys;

/**
 * Layout of {@code struct sockaddr_ll}: link-layer socket address of {@code AF_PACKET} (Linux x86_64).
 * <pre>
 *  offset size field
 *     0   2  sll_family
 *     2   2  sll_protocol
 *     4   4  sll_ifindex
 *     8   2  sll_hatype
 *    10   1  sll_pkttype
 *    11   1  sll_halen
 *    12   8  sll_addr
 *    20       (sizeof)
 * </pre>
 * <b>Note:</b> constants only, thread safe; checked against the C compiler by {@code StructLayoutTest}.
 */
public final class SockaddrLlDescriptor
{
    /** {@code sll_family}: {@code AF_PACKET}, host order. */
    public static final int FAMILY_OFFSET = 0;
    /** {@code sll_protocol}: EtherType, network order. */
    public static final int PROTOCOL_OFFSET = 2;
    /** {@code sll_ifindex}: interface index. */
    public static final int IFINDEX_OFFSET = 4;
    /** {@code sll_hatype}: ARP hardware type. */
    public static final int HATYPE_OFFSET = 8;
    /** {@code sll_pkttype}: packet type ({@code PACKET_HOST}, ...). */
    public static final int PKTTYPE_OFFSET = 10;
    /** {@code sll_halen}: length of the hardware address. */
    public static final int HALEN_OFFSET = 11;
    /** {@code sll_addr}: hardware address. */
    public static final int ADDR_OFFSET = 12;
    /** {@code sizeof(struct sockaddr_ll)}. */
    public static final int LENGTH = 20;


    private SockaddrLlDescriptor()
    {
    }
}
