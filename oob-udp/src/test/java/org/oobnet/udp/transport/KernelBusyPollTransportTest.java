package org.oobnet.udp.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.udp.UdpAddressHeader;
import org.oobnet.inband.testing.SteadyStateAllocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel busy-poll transport on loopback, against a plain {@link DatagramChannel}: no privileges needed.
 */
class KernelBusyPollTransportTest
{
    private static final int LOOPBACK = 0x7F000001;

    private KSocket socket;
    private KernelBusyPollTransport transport;
    private DatagramChannel peer;
    private int localPort;
    private int peerPort;

    @BeforeEach
    void setUp() throws Exception
    {
        socket = KSocket.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_NONBLOCK, 0);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        localPort = socket.localName().getPort();
        transport = new KernelBusyPollTransport(socket.fd(), 8, 1472);
        peer = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        peerPort = ((InetSocketAddress)peer.getLocalAddress()).getPort();
    }

    @AfterEach
    void tearDown() throws Exception
    {
        transport.close();
        socket.close();
        peer.close();
    }

    @Test
    void shouldReceiveBatchesWithSourceAndEchoThemBack() throws Exception
    {
        final InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), localPort);
        for (int i = 0; i < 20; i++)
        {
            final ByteBuffer payload = ByteBuffer.allocate(i * 7);
            for (int j = 0; j < payload.capacity(); j++)
            {
                payload.put((byte)(i + j));
            }
            peer.send(payload.flip(), local);
        }

        final List<byte[]> records = new ArrayList<>();
        final DatagramHandler echo = (buffer, offset, length) ->
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            records.add(copy);
            assertTrue(transport.queue(buffer, offset, length) >= 0);
        };
        final long deadlineNs = System.nanoTime() + 5_000_000_000L;
        while (records.size() < 20 && System.nanoTime() - deadlineNs < 0)
        {
            final int n = transport.poll(echo);
            assertTrue(n >= 0, "poll=" + n);
            assertTrue(n <= 8, "batch bound");
            transport.flush();
            Thread.yield();
        }
        assertEquals(20, records.size());
        for (int i = 0; i < 20; i++)
        {
            final UnsafeBuffer record = new UnsafeBuffer(records.get(i));
            assertEquals(LOOPBACK, UdpAddressHeader.address(record, 0));
            assertEquals(peerPort, UdpAddressHeader.port(record, 0));
            assertEquals(UdpAddressHeader.LENGTH + i * 7, record.capacity());
        }

        peer.configureBlocking(true);
        for (int i = 0; i < 20; i++)
        {
            final ByteBuffer back = ByteBuffer.allocate(2048);
            final InetSocketAddress from = (InetSocketAddress)peer.receive(back);
            assertEquals(localPort, from.getPort());
            assertEquals(i * 7, back.position());
            for (int j = 0; j < i * 7; j++)
            {
                assertEquals((byte)(i + j), back.get(j));
            }
        }
    }

    @Test
    void shouldReturnZeroWhenNothingQueuedAndRefuseOversizedOrOverflowingSends()
    {
        assertEquals(0, transport.poll((buffer, offset, length) -> { }));
        final UnsafeBuffer record = new UnsafeBuffer(new byte[2048]);
        UdpAddressHeader.write(record, 0, LOOPBACK, peerPort);
        assertEquals(-Errno.EMSGSIZE, transport.queue(record, 0, UdpAddressHeader.LENGTH + 1473));
        assertEquals(-Errno.EINVAL, transport.queue(record, 0, 7));
        for (int i = 0; i < 8; i++)
        {
            assertEquals(10, transport.queue(record, 0, UdpAddressHeader.LENGTH + 10));
        }
        assertEquals(-Errno.EWOULDBLOCK, transport.queue(record, 0, UdpAddressHeader.LENGTH + 10));
        assertEquals(8, transport.flush());
        assertEquals(0, transport.pending());
    }

    @Test
    void shouldSendToConnectedPeerWhenAddressIsZero() throws Exception
    {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), peerPort));
        final UnsafeBuffer record = new UnsafeBuffer(new byte[64]);
        UdpAddressHeader.write(record, 0, 0, 0);
        record.putLong(UdpAddressHeader.LENGTH, 0x1122334455667788L);
        assertEquals(8, transport.queue(record, 0, UdpAddressHeader.LENGTH + 8));
        assertEquals(1, transport.flush());
        peer.configureBlocking(true);
        final ByteBuffer back = ByteBuffer.allocate(64);
        peer.receive(back);
        assertEquals(8, back.position());
    }

    @Test
    void shouldPollAndFlushWithoutAllocating() throws Exception
    {
        final UnsafeBuffer record = new UnsafeBuffer(new byte[128]);
        UdpAddressHeader.write(record, 0, LOOPBACK, localPort);
        final int[] received = new int[1];
        final DatagramHandler count = new DatagramHandler()
        {
            @Override
            public void onDatagram(final MutableDirectBuffer buffer, final int offset, final int length)
            {
                received[0]++;
            }
        };
        // send to ourselves through the transport, receive through it: a full cycle with traffic
        final long allocated = SteadyStateAllocation.ofCallingThread(() ->
        {
            for (int i = 0; i < 20_000; i++)
            {
                transport.queue(record, 0, UdpAddressHeader.LENGTH + 64);
                transport.flush();
                transport.poll(count);
            }
        });
        assertEquals(0, allocated, "bytes allocated by 20000 send+receive cycles");
        assertTrue(received[0] > 1000, "received=" + received[0]);
    }
}
