package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;

import static org.oobnet.inband.SocketConstants.SOL_SOCKET;
import static org.oobnet.inband.SocketConstants.SO_TYPE;

/**
 * An {@link OobHooks} that records every call with what the kernel's socket looked like at that moment, and
 * answers with configurable results: the witness of the hook ordering.
 */
final class RecordingOobHooks implements OobHooks
{
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile int attachResult;
    volatile int bindResult;
    volatile int connectResult;
    volatile int shutdownResult;
    volatile long ioctlResult = -ENOIOCTLCMD;
    volatile int setoptResult = -ENOIOCTLCMD;
    volatile int getoptResult = -ENOIOCTLCMD;
    volatile int attachedFd = -1;
    /** When attach fails: the loopback UDP port the hook bound the socket to, to prove the socket went. */
    volatile int attachFailedPort;

    /**
     * Whether a descriptor is an open socket right now, asked of the kernel directly.
     */
    static boolean isOpenSocket(final int fd)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            final MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, 4);
            return 0 == LibC.getsockopt(ErrnoCapture.current(), fd, SOL_SOCKET, SO_TYPE, value, length);
        }
    }

    private static int boundPort(final KSocket socket)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment address = arena.allocate(128, 8);
            final MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, 128);
            if (LibC.getsockname(ErrnoCapture.current(), socket.fd(), address, length) < 0)
            {
                return 0;
            }
            return SockAddr.decode(address, length.get(ValueLayout.JAVA_INT, 0)).getPort();
        }
    }

    @Override
    public int attach(final KSocket socket)
    {
        attachedFd = socket.fd();
        calls.add("attach socket=" + isOpenSocket(socket.fd()) + " oob=" + socket.isOob());
        socket.oobContext("context-" + socket.fd());
        if (attachResult < 0)
        {
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment address = SockAddr.encode(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), arena);
                LibC.bind(ErrnoCapture.current(), socket.fd(), address, (int)address.byteSize());
                attachFailedPort = boundPort(socket);
            }
        }
        return attachResult;
    }

    @Override
    public void release(final KSocket socket)
    {
        calls.add("release closed=" + socket.isClosed() + " socket=" + isOpenSocket(socket.fd()));
    }

    @Override
    public void destroy(final KSocket socket)
    {
        calls.add("destroy socket=" + isOpenSocket(socket.fd()) + " context=" + socket.oobContext());
        socket.oobContext(null);
    }

    @Override
    public int bind(final KSocket socket, final MemorySegment address)
    {
        calls.add("bind kernelBound=" + (0 != boundPort(socket)));
        return bindResult;
    }

    @Override
    public int connect(final KSocket socket, final MemorySegment address)
    {
        calls.add("connect peerKnown=" + socket.isPeerKnown());
        return connectResult;
    }

    @Override
    public int shutdown(final KSocket socket, final int how)
    {
        calls.add("shutdown how=" + how);
        return shutdownResult;
    }

    @Override
    public long oobIoctl(final KSocket socket, final int request, final long arg)
    {
        calls.add("oobIoctl request=" + request);
        return -Errno.ENOTTY;
    }

    @Override
    public long inbandIoctlRedirect(final KSocket socket, final int request, final long arg)
    {
        calls.add("ioctl request=0x" + Integer.toHexString(request));
        return ioctlResult;
    }

    @Override
    public int setoptRedirect(final KSocket socket, final int level, final int name, final MemorySegment value)
    {
        calls.add("setopt level=" + level + " name=" + name + " value=" + value.get(ValueLayout.JAVA_INT, 0));
        return setoptResult;
    }

    @Override
    public int getoptRedirect(final KSocket socket, final int level, final int name, final MemorySegment value,
        final MemorySegment length)
    {
        calls.add("getopt level=" + level + " name=" + name);
        if (-ENOIOCTLCMD != getoptResult)
        {
            value.set(ValueLayout.JAVA_INT, 0, 1234);
            length.set(ValueLayout.JAVA_INT, 0, 4);
        }
        return getoptResult;
    }
}
