package org.oobnet.inband.sys;

/**
 * Layout of {@code struct sockaddr_in6} (IPv6 socket address).
 * <pre>
 *  +----------------+----------------+
 *  | sin6_family 2  | sin6_port 2    |   0  (port in network order)
 *  +----------------+----------------+
 *  |       sin6_flowinfo 4           |   4
 *  +---------------------------------+
 *  |       sin6_addr 16              |   8
 *  +---------------------------------+
 *  |       sin6_scope_id 4           |  24
 *  +---------------------------------+
 * </pre>
 * <b>Note:</b> constants only, thread safe.
 */
public final class SockaddrIn6Descriptor
{
    /** {@code sa_family_t sin6_family}, host order. */
    public static final int FAMILY_OFFSET = 0;
    /** {@code in_port_t sin6_port}, network order. */
    public static final int PORT_OFFSET = 2;
    /** {@code uint32_t sin6_flowinfo}, network order. */
    public static final int FLOWINFO_OFFSET = 4;
    /** {@code struct in6_addr sin6_addr}. */
    public static final int ADDR_OFFSET = 8;
    /** Length of {@code sin6_addr}. */
    public static final int ADDR_LENGTH = 16;
    /** {@code uint32_t sin6_scope_id}, host order. */
    public static final int SCOPE_ID_OFFSET = 24;
    /** {@code sizeof(struct sockaddr_in6)}. */
    public static final int LENGTH = 28;

    private SockaddrIn6Descriptor()
    {
    }
}
