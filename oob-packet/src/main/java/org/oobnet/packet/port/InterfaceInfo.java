package org.oobnet.packet.port;

import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.IfreqDescriptor;
import org.oobnet.inband.sys.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.oobnet.inband.SocketConstants.*;

/**
 * What the kernel says about one network interface, asked through a socket's ioctls ({@code SIOCGIFNAME},
 * {@code SIOCGIFMTU}, {@code SIOCGIFFLAGS}, {@code SIOCGIFHWADDR}), so the answer is from the socket's network
 * namespace, not the calling thread's.
 * <p>
 * <b>Note:</b> in-band only; immutable.
 *
 * @param ifIndex the interface index.
 * @param name    its name.
 * @param mtu     its MTU.
 * @param flags   its {@code IFF_*} flags.
 * @param mac     its hardware address, low 48 bits.
 */
public record InterfaceInfo(int ifIndex, String name, int mtu, int flags, long mac)
{
    /** {@code IFF_UP}. */
    public static final int IFF_UP = 0x1;
    /** {@code IFF_RUNNING}. */
    public static final int IFF_RUNNING = 0x40;

    /**
     * In-band: ask the kernel about interface {@code ifIndex} through socket {@code fd}.
     *
     * @param errno   the caller's errno capture.
     * @param fd      any socket in the interface's namespace.
     * @param ifIndex the interface.
     * @return the information, or null when the interface does not exist.
     */
    public static InterfaceInfo query(final ErrnoCapture errno, final int fd, final int ifIndex)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment ifr = arena.allocate(IfreqDescriptor.LENGTH, 8).fill((byte)0);
            ifr.set(ValueLayout.JAVA_INT, IfreqDescriptor.IFINDEX_OFFSET, ifIndex);
            if (LibC.ioctl(errno, fd, SIOCGIFNAME, ifr) < 0)
            {
                return null;
            }
            final String name = ifr.getString(IfreqDescriptor.NAME_OFFSET);
            final int mtu = LibC.ioctl(errno, fd, SIOCGIFMTU, ifr) < 0 ? -1 :
                ifr.get(ValueLayout.JAVA_INT, IfreqDescriptor.MTU_OFFSET);
            final int flags = LibC.ioctl(errno, fd, SIOCGIFFLAGS, ifr) < 0 ? 0 :
                ifr.get(ValueLayout.JAVA_SHORT, IfreqDescriptor.FLAGS_OFFSET) & 0xffff;
            long mac = 0;
            if (LibC.ioctl(errno, fd, SIOCGIFHWADDR, ifr) >= 0)
            {
                for (int i = 0; i < 6; i++)
                {
                    mac = (mac << 8) | (ifr.get(ValueLayout.JAVA_BYTE, IfreqDescriptor.HWADDR_DATA_OFFSET + i) & 0xff);
                }
            }
            return new InterfaceInfo(ifIndex, name, mtu, flags, mac);
        }
    }

    /**
     * In-band: the index of interface {@code name} in the calling thread's namespace.
     *
     * @param errno the caller's errno capture.
     * @param name  the interface's name.
     * @return the index, or a negative errno ({@code -ENODEV}).
     */
    public static int indexOf(final ErrnoCapture errno, final String name)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return LibC.ifNameToIndex(errno, arena.allocateFrom(name));
        }
    }

    /**
     * In-band: the index of interface {@code name} in the calling thread's network namespace, for a
     * {@code sockaddr_ll} ({@link org.oobnet.inband.SockAddr#encodeLinkLayer}); the errno-free form of
     * {@link #indexOf(ErrnoCapture, String)} for callers outside the runtime.
     *
     * @param name the interface's name.
     * @return the index (positive).
     * @throws ErrnoException {@code if_nametoindex: ENODEV ... interface=NAME} when the namespace has no such
     *                        interface.
     */
    public static int indexOf(final String name) throws ErrnoException
    {
        final int ifIndex = indexOf(ErrnoCapture.current(), name);
        if (ifIndex <= 0)
        {
            throw new ErrnoException("if_nametoindex", ifIndex < 0 ? ifIndex : -Errno.ENODEV, "interface=" + name);
        }
        return ifIndex;
    }

    /**
     * Whether the interface is administratively up.
     *
     * @return true with {@code IFF_UP}.
     */
    public boolean isUp()
    {
        return (flags & IFF_UP) != 0;
    }

    @Override
    public String toString()
    {
        return name + " (ifindex " + ifIndex + ", mtu " + mtu + (isUp() ? ", up" : ", down") + ")";
    }
}
