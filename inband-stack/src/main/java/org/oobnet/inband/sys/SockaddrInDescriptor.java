package org.oobnet.inband.sys;

/**
 * Layout of {@code struct sockaddr_in} (IPv4 socket address).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |   sin_family (host order)     |   sin_port (network order)    |  0
 *  +-------------------------------+-------------------------------+
 *  |                 sin_addr (network order)                      |  4
 *  +---------------------------------------------------------------+
 *  |                 sin_zero (8 bytes)                            |  8
 *  +---------------------------------------------------------------+
 * </pre>
 * <b>Note:</b> constants only, thread safe.
 */
public final class SockaddrInDescriptor
{
    /** {@code sa_family_t sin_family}, host order. */
    public static final int FAMILY_OFFSET = 0;
    /** {@code in_port_t sin_port}, network order. */
    public static final int PORT_OFFSET = 2;
    /** {@code struct in_addr sin_addr}, network order. */
    public static final int ADDR_OFFSET = 4;
    /** {@code sin_zero[8]}. */
    public static final int ZERO_OFFSET = 8;
    /** {@code sizeof(struct sockaddr_in)}. */
    public static final int LENGTH = 16;

    private SockaddrInDescriptor()
    {
    }
}
