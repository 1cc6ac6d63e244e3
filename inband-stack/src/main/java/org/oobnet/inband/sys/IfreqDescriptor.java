package org.oobnet.inband.sys;

/**
 * Layout of {@code struct ifreq}: interface request of the {@code SIOCGIF*} ioctls (Linux x86_64).
 * <pre>
 *  offset size field
 *     0  16  ifr_name
 *    16   4  ifr_ifindex
 *    16   2  ifr_hwaddr.sa_family
 *    18  14  ifr_hwaddr.sa_data
 *    16   4  ifr_mtu
 *    16   2  ifr_flags
 *    40       (sizeof)
 * </pre>
 * <b>Note:</b> constants only, thread safe; checked against the C compiler by {@code StructLayoutTest}.
 */
public final class IfreqDescriptor
{
    /** {@code ifr_name}: interface name, NUL terminated. */
    public static final int NAME_OFFSET = 0;
    /** {@code ifr_ifindex}: {@code SIOCGIFINDEX} result. */
    public static final int IFINDEX_OFFSET = 16;
    /** {@code ifr_hwaddr.sa_family}: {@code SIOCGIFHWADDR}: ARP hardware type. */
    public static final int HWADDR_FAMILY_OFFSET = 16;
    /** {@code ifr_hwaddr.sa_data}: {@code SIOCGIFHWADDR}: the hardware address. */
    public static final int HWADDR_DATA_OFFSET = 18;
    /** {@code ifr_mtu}: {@code SIOCGIFMTU} result. */
    public static final int MTU_OFFSET = 16;
    /** {@code ifr_flags}: {@code SIOCGIFFLAGS} result. */
    public static final int FLAGS_OFFSET = 16;
    /** {@code sizeof(struct ifreq)}. */
    public static final int LENGTH = 40;

    /** {@code IFNAMSIZ}: room for a name and its NUL. */
    public static final int IFNAMSIZ = 16;

    private IfreqDescriptor()
    {
    }
}
