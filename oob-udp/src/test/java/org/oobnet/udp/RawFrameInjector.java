package org.oobnet.udp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.agrona.DirectBuffer;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.SockAddr;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.SockaddrLlDescriptor;

/**
 * Sends hand-made Ethernet frames out of an interface through a send-only {@code AF_PACKET} socket: the tests'
 * source of bad frames. Create it on a thread inside the namespace of the interface.
 */
final class RawFrameInjector implements AutoCloseable
{
    private final Arena arena = Arena.ofShared();
    private final ErrnoCapture errno = new ErrnoCapture(arena);
    private final MemorySegment frame = arena.allocate(2048, 16);
    private final MemorySegment address;
    private final int fd;

    RawFrameInjector(final String interfaceName) throws ErrnoException
    {
        // protocol 0: send only, the socket receives nothing
        fd = LibC.socket(errno, SocketConstants.AF_PACKET, SocketConstants.SOCK_RAW | SocketConstants.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new ErrnoException("socket", -fd, "AF_PACKET injector");
        }
        final int ifindex = LibC.ifNameToIndex(errno, arena.allocateFrom(interfaceName));
        // the destination MAC comes from the frame itself; the address only names the interface
        address = SockAddr.encodeLinkLayer(ifindex, 0, new byte[6], arena);
    }

    void send(final DirectBuffer buffer, final int offset, final int length) throws ErrnoException
    {
        for (int i = 0; i < length; i++)
        {
            frame.set(ValueLayout.JAVA_BYTE, i, buffer.getByte(offset + i));
        }
        final long sent = LibC.sendto(errno, fd, frame, length, 0, address, SockaddrLlDescriptor.LENGTH);
        if (sent < 0)
        {
            throw new ErrnoException("sendto", (int)-sent, "AF_PACKET injector length=" + length);
        }
    }

    @Override
    public void close()
    {
        LibC.close(errno, fd);
        arena.close();
    }
}
