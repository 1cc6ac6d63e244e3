package org.oobnet.inband.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;
import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.oobnet.inband.SocketConstants.AF_INET;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;

/**
 * {@code poll} and {@code eventfd} through the sys layer.
 */
class PollSyscallTest
{
    @Test
    void shouldReportReadableOnlyWhenADatagramIsQueued() throws Exception
    {
        try (KSocket a = KSocket.socket(AF_INET, SOCK_DGRAM, 0); KSocket b = KSocket.socket(AF_INET, SOCK_DGRAM, 0);
            Arena arena = Arena.ofConfined())
        {
            b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final ErrnoCapture errno = new ErrnoCapture(arena);
            final MemorySegment pollfd = arena.allocate(PollfdDescriptor.LENGTH, 4);
            pollfd.set(ValueLayout.JAVA_INT, PollfdDescriptor.FD_OFFSET, b.fd());
            pollfd.set(ValueLayout.JAVA_SHORT, PollfdDescriptor.EVENTS_OFFSET, SysConstants.POLLIN);
            assertEquals(0, LibC.poll(errno, pollfd, 1, 0), "nothing queued");
            a.sendTo(MemorySegment.ofArray(new byte[3]), 0, b.localName());
            assertEquals(1, LibC.poll(errno, pollfd, 1, 5000));
            assertEquals(SysConstants.POLLIN, pollfd.get(ValueLayout.JAVA_SHORT, PollfdDescriptor.REVENTS_OFFSET));
        }
    }

    @Test
    void shouldCountEventfdWritesAndFailWithEagainWhenEmpty()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final ErrnoCapture errno = new ErrnoCapture(arena);
            final int fd = LibC.eventfd(errno, 0, SysConstants.EFD_NONBLOCK | SysConstants.EFD_CLOEXEC);
            final MemorySegment value = arena.allocate(ValueLayout.JAVA_LONG);
            assertEquals(-Errno.EAGAIN, LibC.read(errno, fd, value, 8));
            value.set(ValueLayout.JAVA_LONG, 0, 2);
            assertEquals(8, LibC.write(errno, fd, value, 8));
            assertEquals(8, LibC.write(errno, fd, value, 8));
            assertEquals(8, LibC.read(errno, fd, value, 8));
            assertEquals(4, value.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(0, LibC.close(errno, fd));
            assertEquals(-Errno.EBADF, LibC.close(errno, fd));
        }
    }
}
