package org.oobnet.inband;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import org.oobnet.inband.sys.SockaddrIn6Descriptor;
import org.oobnet.inband.sys.SockaddrInDescriptor;
import org.oobnet.inband.sys.SockaddrLlDescriptor;

import static org.oobnet.inband.SocketConstants.AF_INET;
import static org.oobnet.inband.SocketConstants.AF_INET6;

/**
 * Encodes {@link InetSocketAddress}es into native {@code sockaddr_in}/{@code sockaddr_in6} and back.
 * <p>
 * <b>Note:</b> stateless, thread safe; in-band (allocates).
 */
public final class SockAddr
{
    /** Large enough for any socket address ({@code sizeof(struct sockaddr_storage)}). */
    public static final int STORAGE_LENGTH = 128;

    private static final ValueLayout.OfShort NET_SHORT =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    private SockAddr()
    {
    }

    /**
     * Encodes an address.
     *
     * @param address   an IPv4 or IPv6 socket address, resolved.
     * @param allocator where the native bytes go.
     * @return a segment exactly the size of the {@code sockaddr}.
     */
    public static MemorySegment encode(final InetSocketAddress address, final SegmentAllocator allocator)
    {
        final InetAddress ip = address.getAddress();
        if (null == ip)
        {
            throw new IllegalArgumentException("address=" + address + " is unresolved");
        }
        if (ip instanceof Inet4Address)
        {
            final MemorySegment sa = allocator.allocate(SockaddrInDescriptor.LENGTH, 4).fill((byte)0);
            sa.set(ValueLayout.JAVA_SHORT, SockaddrInDescriptor.FAMILY_OFFSET, (short)AF_INET);
            sa.set(NET_SHORT, SockaddrInDescriptor.PORT_OFFSET, (short)address.getPort());
            MemorySegment.copy(ip.getAddress(), 0, sa, ValueLayout.JAVA_BYTE, SockaddrInDescriptor.ADDR_OFFSET, 4);
            return sa;
        }
        final MemorySegment sa = allocator.allocate(SockaddrIn6Descriptor.LENGTH, 4).fill((byte)0);
        sa.set(ValueLayout.JAVA_SHORT, SockaddrIn6Descriptor.FAMILY_OFFSET, (short)AF_INET6);
        sa.set(NET_SHORT, SockaddrIn6Descriptor.PORT_OFFSET, (short)address.getPort());
        MemorySegment.copy(ip.getAddress(), 0, sa, ValueLayout.JAVA_BYTE, SockaddrIn6Descriptor.ADDR_OFFSET, 16);
        sa.set(ValueLayout.JAVA_INT, SockaddrIn6Descriptor.SCOPE_ID_OFFSET, ((Inet6Address)ip).getScopeId());
        return sa;
    }

    /**
     * Encodes a link-layer address ({@code sockaddr_ll}) for binding or sending on an {@code AF_PACKET} socket.
     *
     * @param ifindex   the interface index.
     * @param etherType the EtherType in host order (e.g. {@code ETH_P_ALL}); stored in network order.
     * @param hardware  the destination hardware address (up to 8 bytes), or null.
     * @param allocator where the native bytes go.
     * @return a segment exactly the size of {@code sockaddr_ll}.
     */
    public static MemorySegment encodeLinkLayer(final int ifindex, final int etherType, final byte[] hardware,
        final SegmentAllocator allocator)
    {
        final MemorySegment sa = allocator.allocate(SockaddrLlDescriptor.LENGTH, 4).fill((byte)0);
        sa.set(ValueLayout.JAVA_SHORT, SockaddrLlDescriptor.FAMILY_OFFSET, (short)SocketConstants.AF_PACKET);
        sa.set(NET_SHORT, SockaddrLlDescriptor.PROTOCOL_OFFSET, (short)etherType);
        sa.set(ValueLayout.JAVA_INT, SockaddrLlDescriptor.IFINDEX_OFFSET, ifindex);
        if (null != hardware)
        {
            if (hardware.length > 8)
            {
                throw new IllegalArgumentException("hardware address length=" + hardware.length + " exceeds 8");
            }
            sa.set(ValueLayout.JAVA_BYTE, SockaddrLlDescriptor.HALEN_OFFSET, (byte)hardware.length);
            MemorySegment.copy(hardware, 0, sa, ValueLayout.JAVA_BYTE, SockaddrLlDescriptor.ADDR_OFFSET, hardware.length);
        }
        return sa;
    }

    /**
     * Decodes an IPv4 or IPv6 {@code sockaddr}.
     *
     * @param sockaddr the native bytes.
     * @param length   the valid length, as the kernel returned it.
     * @return the address, or null when the family is neither {@code AF_INET} nor {@code AF_INET6}.
     */
    public static InetSocketAddress decode(final MemorySegment sockaddr, final int length)
    {
        if (length < 2)
        {
            return null;
        }
        final int family = sockaddr.get(ValueLayout.JAVA_SHORT, 0);
        try
        {
            if (AF_INET == family && length >= SockaddrInDescriptor.LENGTH)
            {
                final byte[] ip = sockaddr.asSlice(SockaddrInDescriptor.ADDR_OFFSET, 4).toArray(ValueLayout.JAVA_BYTE);
                final int port = Short.toUnsignedInt(sockaddr.get(NET_SHORT, SockaddrInDescriptor.PORT_OFFSET));
                return new InetSocketAddress(InetAddress.getByAddress(ip), port);
            }
            if (AF_INET6 == family && length >= SockaddrIn6Descriptor.LENGTH)
            {
                final byte[] ip = sockaddr.asSlice(SockaddrIn6Descriptor.ADDR_OFFSET, 16).toArray(ValueLayout.JAVA_BYTE);
                final int port = Short.toUnsignedInt(sockaddr.get(NET_SHORT, SockaddrIn6Descriptor.PORT_OFFSET));
                final int scope = sockaddr.get(ValueLayout.JAVA_INT, SockaddrIn6Descriptor.SCOPE_ID_OFFSET);
                return new InetSocketAddress(Inet6Address.getByAddress(null, ip, scope), port);
            }
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException("bad address length", ex);
        }
        return null;
    }

    /**
     * The family of a native {@code sockaddr}.
     *
     * @param sockaddr the native bytes.
     * @return {@code sa_family}.
     */
    public static int family(final MemorySegment sockaddr)
    {
        return Short.toUnsignedInt(sockaddr.get(ValueLayout.JAVA_SHORT, 0));
    }
}
