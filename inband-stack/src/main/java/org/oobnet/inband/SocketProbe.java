package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.PollfdDescriptor;
import org.oobnet.inband.sys.TcpInfoDescriptor;

import static org.oobnet.inband.SocketConstants.FIONREAD;
import static org.oobnet.inband.SocketConstants.IPPROTO_TCP;
import static org.oobnet.inband.SocketConstants.SOL_SOCKET;
import static org.oobnet.inband.SocketConstants.SO_ERROR;
import static org.oobnet.inband.SocketConstants.TCP_INFO;
import static org.oobnet.inband.sys.SysConstants.POLLIN;
import static org.oobnet.inband.sys.SysConstants.POLLOUT;
import static org.oobnet.inband.sys.SysConstants.POLLPRI;
import static org.oobnet.inband.sys.SysConstants.POLLRDHUP;

/**
 * Reads a socket's state as the kernel has it now (readiness, TCP state and data segments received, pending error,
 * bytes queued), so that the
 * event state machine decides on the present and not on an epoll edge that may be stale by the time it is read.
 * <p>
 * <b>Note:</b> not thread safe: the event thread's own, with its native scratch allocated once.
 */
final class SocketProbe
{
    private static final short ASKED = (short)(POLLIN | POLLOUT | POLLPRI | POLLRDHUP);

    private final ErrnoCapture errno;
    private final MemorySegment pollfd;
    private final MemorySegment value;
    private final MemorySegment tcpInfo;
    private final MemorySegment length;

    SocketProbe(final Arena arena)
    {
        errno = new ErrnoCapture(arena);
        pollfd = arena.allocate(PollfdDescriptor.LENGTH, 8);
        value = arena.allocate(Long.BYTES, 8);
        tcpInfo = arena.allocate(TcpInfoDescriptor.HEAD_LENGTH, 8);
        length = arena.allocate(ValueLayout.JAVA_INT);
    }

    /**
     * The readiness now ({@code poll} with a zero timeout): {@code POLL*} bits, 0 when poll failed.
     */
    int readiness(final int fd)
    {
        pollfd.set(ValueLayout.JAVA_INT, PollfdDescriptor.FD_OFFSET, fd);
        pollfd.set(ValueLayout.JAVA_SHORT, PollfdDescriptor.EVENTS_OFFSET, ASKED);
        pollfd.set(ValueLayout.JAVA_SHORT, PollfdDescriptor.REVENTS_OFFSET, (short)0);
        final int result = LibC.poll(errno, pollfd, 1, 0);
        return result <= 0 ? 0 : Short.toUnsignedInt(pollfd.get(ValueLayout.JAVA_SHORT, PollfdDescriptor.REVENTS_OFFSET));
    }

    /**
     * Reads the socket's {@code tcp_info} head; {@link #tcpState()} and {@link #dataSegmentsIn()} then read it.
     *
     * @return false when it cannot be read.
     */
    boolean readTcpInfo(final int fd)
    {
        length.set(ValueLayout.JAVA_INT, 0, TcpInfoDescriptor.HEAD_LENGTH);
        tcpInfo.fill((byte)0);
        return LibC.getsockopt(errno, fd, IPPROTO_TCP, TCP_INFO, tcpInfo, length) >= 0;
    }

    /**
     * The TCP state ({@code tcpi_state}) of the last {@link #readTcpInfo}.
     */
    int tcpState()
    {
        return Byte.toUnsignedInt(tcpInfo.get(ValueLayout.JAVA_BYTE, TcpInfoDescriptor.STATE_OFFSET));
    }

    /**
     * The data segments received ({@code tcpi_data_segs_in}, wrapping u32) of the last {@link #readTcpInfo}.
     */
    int dataSegmentsIn()
    {
        return tcpInfo.get(ValueLayout.JAVA_INT, TcpInfoDescriptor.DATA_SEGS_IN_OFFSET);
    }

    /**
     * Takes the pending error ({@code SO_ERROR}: reading clears it), 0 when none.
     */
    int takeError(final int fd)
    {
        length.set(ValueLayout.JAVA_INT, 0, Integer.BYTES);
        final int result = LibC.getsockopt(errno, fd, SOL_SOCKET, SO_ERROR, value, length);
        return result < 0 ? -result : value.get(ValueLayout.JAVA_INT, 0);
    }

    /**
     * Bytes readable now ({@code FIONREAD}; for a datagram socket the next datagram's length), or -errno.
     */
    int readable(final int fd)
    {
        final int result = LibC.ioctl(errno, fd, FIONREAD, value);
        return result < 0 ? result : value.get(ValueLayout.JAVA_INT, 0);
    }
}
