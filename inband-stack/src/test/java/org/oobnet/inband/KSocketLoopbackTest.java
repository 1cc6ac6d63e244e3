package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_INET;
import static org.oobnet.inband.SocketConstants.AF_INET6;
import static org.oobnet.inband.SocketConstants.IPPROTO_IP;
import static org.oobnet.inband.SocketConstants.IP_TTL;
import static org.oobnet.inband.SocketConstants.MSG_DONTWAIT;
import static org.oobnet.inband.SocketConstants.MSG_TRUNC;
import static org.oobnet.inband.SocketConstants.SHUT_WR;
import static org.oobnet.inband.SocketConstants.SOCK_CLOEXEC;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_NONBLOCK;
import static org.oobnet.inband.SocketConstants.SOCK_STREAM;
import static org.oobnet.inband.SocketConstants.SOL_IP;
import static org.oobnet.inband.SocketConstants.SOL_SOCKET;
import static org.oobnet.inband.SocketConstants.SO_RCVBUF;
import static org.oobnet.inband.SocketConstants.SO_REUSEADDR;
import static org.oobnet.inband.SocketConstants.SO_TYPE;

/**
 * TCP and UDP through {@link KSocket} over loopback, with every buffer kind.
 */
class KSocketLoopbackTest
{
    /** {@code IP_RECVTTL}: deliver the TTL of received datagrams as control data. */
    private static final int IP_RECVTTL = 12;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    static InetSocketAddress anyPort()
    {
        return new InetSocketAddress(LOOPBACK, 0);
    }

    /**
     * A loopback address nothing listens on (a port just bound and released) for a socket type.
     */
    static InetSocketAddress closedAddress(final int type) throws ErrnoException
    {
        try (KSocket probe = KSocket.socket(AF_INET, type, 0))
        {
            probe.bind(anyPort());
            return probe.localName();
        }
    }

    /**
     * A connected TCP pair over loopback: {client, server side}.
     */
    static KSocket[] tcpPair() throws ErrnoException
    {
        try (KSocket listener = KSocket.socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0))
        {
            listener.setOption(SOL_SOCKET, SO_REUSEADDR, 1);
            listener.bind(anyPort());
            listener.listen(4);
            final KSocket client = KSocket.socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            client.connect(listener.localName());
            final KSocket.Accepted accepted = listener.accept(SOCK_CLOEXEC);
            assertEquals(client.localName(), accepted.peer());
            return new KSocket[]{client, accepted.socket()};
        }
    }

    @Test
    void shouldExchangeBytesOverTcpWithEveryBufferKind() throws Exception
    {
        final KSocket[] pair = tcpPair();
        try (KSocket client = pair[0]; KSocket server = pair[1])
        {
            assertTrue(client.isConnected());
            assertTrue(server.isConnected());
            assertEquals(client.localName(), server.peerName());

            final ByteBuffer heap = ByteBuffer.wrap("heap".getBytes(StandardCharsets.US_ASCII));
            assertEquals(4, client.send(heap, 0));
            assertEquals(4, heap.position());
            final ByteBuffer direct = ByteBuffer.allocateDirect(6).put("direct".getBytes(StandardCharsets.US_ASCII)).flip();
            assertEquals(6, client.send(direct, 0));
            final UnsafeBuffer agrona = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
            agrona.putStringWithoutLengthAscii(0, "agrona");
            assertEquals(6, client.send(agrona, 0, 6, 0));
            try (Arena arena = Arena.ofConfined())
            {
                assertEquals(7, client.send(arena.allocateFrom("segment").asSlice(0, 7), 0));
            }
            assertEquals(5, client.send(MemorySegment.ofArray("array".getBytes(StandardCharsets.US_ASCII)), 0));

            final byte[] expected = "heapdirectagronasegmentarray".getBytes(StandardCharsets.US_ASCII);
            final ByteBuffer received = ByteBuffer.allocate(expected.length);
            while (received.hasRemaining())
            {
                assertTrue(server.recv(received, 0) > 0);
            }
            assertArrayEquals(expected, received.array());

            // Back the other way into a direct ByteBuffer and an off-heap Agrona buffer.
            assertEquals(4, server.send(ByteBuffer.wrap(new byte[]{1, 2, 3, 4}), 0));
            final UnsafeBuffer into = new UnsafeBuffer(ByteBuffer.allocateDirect(8));
            int got = 0;
            while (got < 4)
            {
                got += (int)client.recv(into, got, 8 - got, 0);
            }
            assertEquals(0x04030201, into.getInt(0, java.nio.ByteOrder.LITTLE_ENDIAN));

            server.shutdown(SHUT_WR);
            assertEquals(0, client.recv(ByteBuffer.allocate(8), 0), "end of stream after the peer's shutdown");
        }
    }

    @Test
    void shouldUseHeapAgronaBuffersAndKernelStyleCallsOverUdp() throws Exception
    {
        final KSocket a = KSocket.socket(AF_INET, SOCK_DGRAM, 0);
        try (KSocket b = KSocket.socket(AF_INET, SOCK_DGRAM, 0); Arena arena = Arena.ofConfined())
        {
            a.bind(anyPort());
            b.bind(anyPort());
            a.connect(b.localName());
            final UnsafeBuffer heap = new UnsafeBuffer(new byte[32]);
            heap.putInt(8, 0x01020304);
            assertEquals(4, a.send(heap, 8, 4, 0));
            final UnsafeBuffer into = new UnsafeBuffer(new byte[32]);
            final MemorySegment from = arena.allocate(SockAddr.STORAGE_LENGTH, 8);
            final MemorySegment fromLength = arena.allocate(ValueLayout.JAVA_INT);
            fromLength.set(ValueLayout.JAVA_INT, 0, SockAddr.STORAGE_LENGTH);
            assertEquals(4, b.recvFrom(into, 4, 16, 0, from, fromLength));
            assertEquals(0x01020304, into.getInt(4));
            assertEquals(a.localName(), SockAddr.decode(from, fromLength.get(ValueLayout.JAVA_INT, 0)));

            // Kernel style: results and -errno, no exceptions.
            assertEquals(-Errno.EAGAIN, b.tryRecv(arena.allocate(8), MSG_DONTWAIT));
            assertEquals(3, a.trySend(MemorySegment.ofArray(new byte[]{7, 8, 9}), 0));
            final byte[] heapInto = new byte[8];
            assertEquals(3, b.tryRecv(MemorySegment.ofArray(heapInto), 0));
            assertEquals(9, heapInto[2]);
            a.close();
            assertEquals(-Errno.EBADF, a.trySend(arena.allocate(1), 0));
        }
        finally
        {
            if (!a.isClosed())
            {
                a.close();
            }
        }
    }

    @Test
    void shouldFailWithEconnrefusedWhenNobodyListens() throws Exception
    {
        final int port;
        try (KSocket probe = KSocket.socket(AF_INET, SOCK_STREAM, 0))
        {
            probe.bind(anyPort());
            port = probe.localName().getPort();
        }
        try (KSocket client = KSocket.socket(AF_INET, SOCK_STREAM, 0))
        {
            final ErrnoException ex = assertThrows(ErrnoException.class,
                () -> client.connect(new InetSocketAddress(LOOPBACK, port)));
            assertEquals(Errno.ECONNREFUSED, ex.errno());
            assertEquals("connect: ECONNREFUSED (Connection refused) fd=" + client.fd(), ex.getMessage());
            assertFalse(client.isConnected());
        }
    }

    @Test
    void shouldFailWithEinvalWhenAcceptFlagsCarrySockOob() throws Exception
    {
        try (KSocket listener = KSocket.socket(AF_INET, SOCK_STREAM, 0))
        {
            final ErrnoException ex = assertThrows(ErrnoException.class, () -> listener.accept(SocketConstants.SOCK_OOB));
            assertEquals(Errno.EINVAL, ex.errno());
        }
    }

    @Test
    void shouldExchangeDatagramsOverUdp() throws Exception
    {
        try (KSocket a = KSocket.socket(AF_INET, SOCK_DGRAM, 0); KSocket b = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            a.bind(anyPort());
            b.bind(anyPort());
            assertEquals(5, a.sendTo(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), 0, b.localName()));
            assertEquals(5, b.available());
            final ByteBuffer into = ByteBuffer.allocateDirect(64);
            final InetSocketAddress source = b.recvFrom(into, 0);
            assertEquals(a.localName(), source);
            assertEquals(5, into.position());

            // A datagram larger than the room: MSG_TRUNC reports its real length.
            a.sendTo(MemorySegment.ofArray(new byte[100]), 0, b.localName());
            assertEquals(100, b.recv(MemorySegment.ofArray(new byte[10]), MSG_TRUNC));
        }
    }

    @Test
    void shouldExchangeDatagramsOverUdpV6() throws Exception
    {
        try (KSocket a = KSocket.socket(AF_INET6, SOCK_DGRAM, 0); KSocket b = KSocket.socket(AF_INET6, SOCK_DGRAM, 0))
        {
            final InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 0);
            a.bind(v6);
            b.bind(v6);
            a.sendTo(MemorySegment.ofArray(new byte[]{9}), 0, b.localName());
            final ByteBuffer into = ByteBuffer.allocate(4);
            assertEquals(a.localName(), b.recvFrom(into, 0));
            assertEquals(9, into.get(0));
        }
    }

    @Test
    void shouldReportEagainWhenNonBlockingAndNothingQueued() throws Exception
    {
        try (KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0))
        {
            socket.bind(anyPort());
            final ErrnoException ex = assertThrows(ErrnoException.class, () -> socket.recv(ByteBuffer.allocate(8), 0));
            assertEquals("EAGAIN", ex.errnoName());
            socket.setNonBlocking(false);
            assertFalse(socket.isNonBlocking());
            assertEquals(Errno.EWOULDBLOCK,
                assertThrows(ErrnoException.class, () -> socket.recv(ByteBuffer.allocate(8), MSG_DONTWAIT)).errno());
            socket.setNonBlocking(true);
            assertTrue(socket.isNonBlocking());
            assertEquals(Errno.EAGAIN, assertThrows(ErrnoException.class, () -> socket.recv(ByteBuffer.allocate(8), 0)).errno());
        }
    }

    @Test
    void shouldScatterGatherWithAncillaryDataWhenUsingMessages() throws Exception
    {
        try (KSocket a = KSocket.socket(AF_INET, SOCK_DGRAM, 0); KSocket b = KSocket.socket(AF_INET, SOCK_DGRAM, 0);
            Arena arena = Arena.ofConfined())
        {
            a.bind(anyPort());
            b.bind(anyPort());
            b.setOption(SOL_IP, IP_RECVTTL, 1);

            // Gather from a native and a heap buffer; the TTL of this one datagram comes as control data.
            final MemorySegment control = arena.allocate(64, 8);
            final long controlLength = ControlMessages.putInt(control, 0, SOL_IP, IP_TTL, 7);
            final SocketMessage out = new SocketMessage()
                .buffers(arena.allocateFrom("abc").asSlice(0, 3), MemorySegment.ofArray("defg".getBytes(StandardCharsets.US_ASCII)))
                .address(b.localName())
                .control(control, controlLength);
            assertEquals(7, a.sendMsg(out, 0));

            // Scatter into a heap and a native buffer.
            final byte[] first = new byte[2];
            final MemorySegment second = arena.allocate(16);
            final SocketMessage in = new SocketMessage()
                .buffers(MemorySegment.ofArray(first), second)
                .address(arena.allocate(SockAddr.STORAGE_LENGTH, 8))
                .control(arena.allocate(128, 8), 128);
            assertEquals(7, b.recvMsg(in, 0));
            assertEquals("ab", new String(first, StandardCharsets.US_ASCII));
            assertEquals("cdefg", new String(second.asSlice(0, 5).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
            assertEquals(a.localName(), in.sourceAddress());
            final List<Integer> ttls = new ArrayList<>();
            final int messages = ControlMessages.forEach(in.control(), in.controlLength(), (level, type, data) ->
            {
                if (IPPROTO_IP == level && IP_TTL == type)
                {
                    ttls.add(data.get(ValueLayout.JAVA_INT, 0));
                }
            });
            assertEquals(1, messages);
            assertEquals(List.of(7), ttls);
        }
    }

    @Test
    void shouldSendAndReceiveBatchesWhenUsingMmsg() throws Exception
    {
        try (KSocket a = KSocket.socket(AF_INET, SOCK_DGRAM, 0); KSocket b = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            a.bind(anyPort());
            b.bind(anyPort());
            a.connect(b.localName());
            final SocketMessage[] out = new SocketMessage[3];
            for (int i = 0; i < out.length; i++)
            {
                out[i] = new SocketMessage().buffers(MemorySegment.ofArray(new byte[i + 1]));
            }
            assertEquals(3, a.sendMmsg(out, 0));
            assertEquals(3, out[2].resultLength());
            final SocketMessage[] in = new SocketMessage[4];
            for (int i = 0; i < in.length; i++)
            {
                in[i] = new SocketMessage().buffers(MemorySegment.ofArray(new byte[16]));
            }
            assertEquals(3, b.recvMmsg(in, MSG_DONTWAIT));
            assertEquals(1, in[0].resultLength());
            assertEquals(2, in[1].resultLength());
            assertEquals(3, in[2].resultLength());
        }
    }

    @Test
    void shouldReadAndWriteOptionsAndIoctls() throws Exception
    {
        try (KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            assertEquals(SOCK_DGRAM, socket.getOption(SOL_SOCKET, SO_TYPE));
            socket.setOption(SOL_SOCKET, SO_RCVBUF, 65536);
            assertEquals(2 * 65536, socket.getOption(SOL_SOCKET, SO_RCVBUF), "the kernel doubles SO_RCVBUF");
            assertEquals(1, socket.interfaceIndex("lo"));
            assertArrayEquals(new byte[6], socket.hardwareAddress("lo"));
            final ErrnoException ex = assertThrows(ErrnoException.class, () -> socket.interfaceIndex("oobt-none0"));
            assertEquals("ENODEV", ex.errnoName());
            assertEquals("ioctl: ENODEV (No such device) fd=" + socket.fd() + " request=0x8933", ex.getMessage());
            assertEquals(Errno.ENOPROTOOPT,
                assertThrows(ErrnoException.class, () -> socket.getOption(SOL_SOCKET, 12345)).errno());
        }
    }
}
