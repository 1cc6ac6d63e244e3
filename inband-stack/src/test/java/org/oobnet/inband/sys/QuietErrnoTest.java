package org.oobnet.inband.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.testing.ChildJvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_INET;
import static org.oobnet.inband.SocketConstants.MSG_DONTWAIT;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_STREAM;
import static org.oobnet.inband.SocketConstants.SOL_SOCKET;
import static org.oobnet.inband.SocketConstants.SO_SNDBUF;

/**
 * The {@code *Quiet} calls' errno, read through {@code __errno_location()} without capture: right for real
 * failures, never an earlier call's, and allocation-free when the calls run interpreted ({@link QuietErrnoMain} in a
 * {@code -Xint} JVM, against the capturing calls as the control).
 */
class QuietErrnoTest
{
    // far past what a loopback TCP connection buffers (send buffer + the peer's receive buffer)
    private static final int MAX_FILL_BYTES = 64 * 1024 * 1024;

    @Test
    void shouldReturnMinusEbadfFromEveryQuietCallOnABadDescriptor()
    {
        final MemorySegment none = MemorySegment.NULL;
        assertEquals(-Errno.EBADF, LibC.sendQuiet(-1, none, 0, MSG_DONTWAIT));
        assertEquals(-Errno.EBADF, LibC.sendmmsgQuiet(-1, none, 0, MSG_DONTWAIT));
        assertEquals(-Errno.EBADF, LibC.sendtoQuiet(-1, none, 0, MSG_DONTWAIT, none, 0));
        assertEquals(-Errno.EBADF, LibC.sendAtQuiet(-1, 0L, 0, MSG_DONTWAIT));
        assertEquals(-Errno.EBADF, LibC.recvAtQuiet(-1, 0L, 0, MSG_DONTWAIT));
        assertEquals(-Errno.EBADF, LibC.recvmmsgQuiet(-1, none, 0, MSG_DONTWAIT));
        assertEquals(-Errno.EBADF, LibC.getsockoptQuiet(-1, 0, 0, none, none));
        assertEquals(-Errno.EBADF, LibC.setsockoptQuiet(-1, 0, 0, none, 0));
        assertEquals(-Errno.EBADF, LibC.getsocknameQuiet(-1, none, none));
        assertEquals(-Errno.EBADF, LibC.shutdownQuiet(-1, 0));
    }

    @Test
    void shouldReturnMinusEagainWhenAConnectedStreamIsFull() throws Exception
    {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            KSocket client = KSocket.socket(AF_INET, SOCK_STREAM, 0);
            Arena arena = Arena.ofConfined())
        {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            try (Socket peer = server.accept())
            {
                // the peer never reads: the client's sends fill both buffers, then the kernel says EAGAIN
                final MemorySegment chunk = arena.allocate(64 * 1024);
                long sent = 0;
                long rc = 0;
                while (sent < MAX_FILL_BYTES && (rc = LibC.sendQuiet(client.fd(), chunk, chunk.byteSize(),
                    MSG_DONTWAIT)) > 0)
                {
                    sent += rc;
                }
                assertEquals(-Errno.EAGAIN, rc, "sent=" + sent);
                assertTrue(peer.isConnected());
            }
        }
    }

    @Test
    void shouldReturnMinusEmsgsizeWhenADatagramIsTooLong() throws Exception
    {
        try (KSocket socket = boundDatagramSocket(); Arena arena = Arena.ofConfined())
        {
            final MemorySegment address = localAddress(arena, socket);
            final MemorySegment payload = arena.allocate(70_000);
            assertEquals(-Errno.EMSGSIZE, LibC.sendtoQuiet(socket.fd(), payload, payload.byteSize(), MSG_DONTWAIT,
                address, SockaddrInDescriptor.LENGTH));
            assertEquals(8, LibC.sendtoQuiet(socket.fd(), payload, 8, MSG_DONTWAIT, address,
                SockaddrInDescriptor.LENGTH));
        }
    }

    @Test
    void shouldReadEachFailuresOwnErrnoWhenFailuresAlternate() throws Exception
    {
        try (KSocket socket = boundDatagramSocket(); Arena arena = Arena.ofConfined())
        {
            final MemorySegment address = localAddress(arena, socket);
            final MemorySegment payload = arena.allocate(70_000);
            final MemorySegment option = arena.allocate(ValueLayout.JAVA_INT);
            option.set(ValueLayout.JAVA_INT, 0, 65536);
            for (int i = 0; i < 100; i++)
            {
                assertEquals(-Errno.EMSGSIZE, LibC.sendtoQuiet(socket.fd(), payload, payload.byteSize(),
                    MSG_DONTWAIT, address, SockaddrInDescriptor.LENGTH));
                assertEquals(-Errno.EBADF, LibC.sendQuiet(-1, MemorySegment.NULL, 0, MSG_DONTWAIT));
                // a success in between: errno is read only on failure, so whatever a success leaves is never read
                assertEquals(0, LibC.setsockoptQuiet(socket.fd(), SOL_SOCKET, SO_SNDBUF, option, 4));
                // an unconnected datagram socket has no peer: send without an address
                assertEquals(-Errno.EDESTADDRREQ, LibC.sendQuiet(socket.fd(), payload, 8, MSG_DONTWAIT));
            }
        }
    }

    @Test
    void shouldNotAllocateWhenQuietCallsFailInterpretedUnlikeCapturingOnes() throws IOException, InterruptedException
    {
        final String output = ChildJvm.run(List.of("-Xint"), QuietErrnoMain.class);
        assertEquals(0L, ChildJvm.value(output, "QUIET "), output);
        // the control: the capturing calls the stage used before allocate on the same path, so this test can fail
        assertTrue(ChildJvm.value(output, "CAPTURING ") >= QuietErrnoMain.CALLS * 16L, output);
    }

    private static KSocket boundDatagramSocket() throws Exception
    {
        final KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM, 0);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return socket;
    }

    // the socket's own address, to send to itself
    private static MemorySegment localAddress(final Arena arena, final KSocket socket)
    {
        final MemorySegment address = arena.allocate(SockaddrInDescriptor.LENGTH);
        final MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
        length.set(ValueLayout.JAVA_INT, 0, SockaddrInDescriptor.LENGTH);
        assertEquals(0, LibC.getsocknameQuiet(socket.fd(), address, length));
        return address;
    }
}
