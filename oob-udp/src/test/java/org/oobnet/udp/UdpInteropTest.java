package org.oobnet.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.Errno;
import org.oobnet.inband.SocketConstants;
import org.oobnet.udp.frag.MtuDiscovery;
import org.oobnet.udp.frame.Ipv4Flyweight;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An OOB UDP socket in one namespace against Java's {@link DatagramChannel} (a plain kernel socket) in the other,
 * both directions, payloads from 0 bytes to the MTU, over both transports.
 */
class UdpInteropTest
{
    private static final int[] SIZES = {0, 1, 63, 64, 65, 512, 1000, 1471, 1472};
    private static final int A_PORT = 5000;
    private static final int B_PORT = 6000;

    @ParameterizedTest
    @EnumSource(UdpTransport.class)
    void shouldExchangeDatagramsOfEverySizeWithKernelSocketWhenUsingTransport(final UdpTransport transport)
        throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(transport))
        {
            final int aAddress = Ipv4Flyweight.parseAddress(hosts.a.address());
            final int bAddress = Ipv4Flyweight.parseAddress(hosts.b.address());
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            assertEquals(transport, UdpSockets.state(socket).transport());
            final DatagramChannel peer = hosts.closeLater(hosts.inB(() ->
                DatagramChannel.open().bind(new InetSocketAddress(hosts.b.address(), B_PORT))));

            // kernel -> OOB
            for (final int size : SIZES)
            {
                final byte[] payload = payload(size, 1);
                hosts.inB(() -> peer.send(ByteBuffer.wrap(payload), new InetSocketAddress(hosts.a.address(), A_PORT)));
                final UdpHosts.Received received = UdpHosts.receive(socket, 5_000);
                assertNotNull(received, "size=" + size + " not received; ports=" + hosts.stack.ports() + " socket=" + socket.counters());
                assertEquals(bAddress, received.address(), "recvFrom address");
                assertEquals(B_PORT, received.port(), "recvFrom port");
                assertArrayEquals(payload, received.payload(), "size=" + size);
            }

            // OOB -> kernel
            peer.configureBlocking(true);
            for (final int size : SIZES)
            {
                final byte[] payload = payload(size, 2);
                assertEquals(0, UdpSockets.sendTo(socket, bAddress, B_PORT, new UnsafeBuffer(payload), 0, size));
                final ByteBuffer in = ByteBuffer.allocate(2048);
                final InetSocketAddress from = (InetSocketAddress)peer.receive(in);
                assertEquals(hosts.a.address(), from.getAddress().getHostAddress());
                assertEquals(A_PORT, from.getPort());
                assertArrayEquals(payload, Arrays.copyOf(in.array(), in.position()), "size=" + size);
                if (0 == size)
                {
                    // the first send missed the caches and went in-band; the resolver thread warms them
                    UdpHosts.await(() -> null != hosts.stack.resolver().routes().lookup(bAddress) &&
                        null != hosts.stack.resolver().neighbours().lookup(bAddress), "caches warmed by the miss");
                }
            }
            assertEquals(aAddress, hosts.stack.resolver().routes().lookup(bAddress).srcAddress());
            if (UdpTransport.PACKET == transport)
            {
                assertEquals(1, UdpSockets.state(socket).inbandSends(), "only the first send went in-band");
                assertEquals(SIZES.length - 1, UdpSockets.state(socket).fastSends(), "fast sends");
            }
            // the datagram handed in-band left too: every send counts as out, none as a drop
            assertEquals(SIZES.length, socket.counters().packetsOut().get(), "packets out: " + socket.counters());
            assertEquals(0, socket.counters().dropsProtocol().get(), "protocol drops: " + socket.counters());

            // larger than the MTU, with IP_PMTUDISC_DO (without it the packet transport fragments, FragmentTest)
            hosts.inA(() ->
            {
                socket.ksocket().setOption(SocketConstants.SOL_IP, SocketConstants.IP_MTU_DISCOVER,
                    MtuDiscovery.IP_PMTUDISC_DO);
                return null;
            });
            assertEquals(-Errno.EMSGSIZE, UdpSockets.sendTo(socket, bAddress, B_PORT, new UnsafeBuffer(new byte[1473]),
                0, 1473), "1473 bytes over a 1500-byte MTU");
        }
    }

    @ParameterizedTest
    @EnumSource(UdpTransport.class)
    void shouldSendToConnectedPeerOnFastPathFromFirstDatagram(final UdpTransport transport) throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(transport))
        {
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            final DatagramChannel peer = hosts.closeLater(hosts.inB(() ->
                DatagramChannel.open().bind(new InetSocketAddress(hosts.b.address(), B_PORT))));
            hosts.inA(() ->
            {
                socket.ksocket().connect(new InetSocketAddress(hosts.b.address(), B_PORT));
                return null;
            });
            final byte[] payload = payload(64, 3);
            for (int i = 0; i < 10; i++)
            {
                assertEquals(0, UdpSockets.sendTo(socket, 0, 0, new UnsafeBuffer(payload), 0, 64));
            }
            peer.configureBlocking(true);
            for (int i = 0; i < 10; i++)
            {
                final ByteBuffer in = ByteBuffer.allocate(2048);
                peer.receive(in);
                assertEquals(64, in.position());
            }
            if (UdpTransport.PACKET == transport)
            {
                // connect solicited the peer: no send went in-band
                assertEquals(10, UdpSockets.state(socket).fastSends());
                assertEquals(0, UdpSockets.state(socket).inbandSends());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void shouldAutoBindUnboundSocketOnFirstSendAndReceiveReplies() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(UdpTransport.PACKET))
        {
            final OobSocket socket = hosts.inA(() -> OobSocket.of(hosts.closeLaterSocket(org.oobnet.inband.KSocket.socket(
                org.oobnet.inband.SocketConstants.AF_INET,
                org.oobnet.inband.SocketConstants.SOCK_DGRAM | org.oobnet.inband.SocketConstants.SOCK_OOB, 0))));
            final DatagramChannel peer = hosts.closeLater(hosts.inB(() ->
                DatagramChannel.open().bind(new InetSocketAddress(hosts.b.address(), B_PORT))));
            final int bAddress = Ipv4Flyweight.parseAddress(hosts.b.address());
            UdpSockets.solicit(socket, bAddress, false);
            final byte[] payload = payload(64, 5);
            assertEquals(0, UdpSockets.sendTo(socket, bAddress, B_PORT, new UnsafeBuffer(payload), 0, 64));
            final int localPort = UdpSockets.state(socket).localPort();
            assertTrue(localPort > 0, "auto-bound port");

            peer.configureBlocking(true);
            final ByteBuffer in = ByteBuffer.allocate(2048);
            final InetSocketAddress from = (InetSocketAddress)peer.receive(in);
            assertEquals(localPort, from.getPort());
            assertEquals(1, UdpSockets.state(socket).fastSends(), "solicited peer, auto-bound socket: fast path");

            hosts.inB(() -> peer.send(ByteBuffer.wrap(payload), from));
            final UdpHosts.Received reply = UdpHosts.receive(socket, 5_000);
            assertNotNull(reply, "reply to the auto-bound port");
            assertArrayEquals(payload, reply.payload());
        }
    }

    @org.junit.jupiter.api.Test
    void shouldUseKernelTransportChosenPerSocketBeforeBind() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(UdpTransport.PACKET))
        {
            final org.oobnet.inband.KSocket ksocket = hosts.inA(() -> hosts.closeLaterSocket(org.oobnet.inband.KSocket.socket(
                org.oobnet.inband.SocketConstants.AF_INET,
                org.oobnet.inband.SocketConstants.SOCK_DGRAM | org.oobnet.inband.SocketConstants.SOCK_OOB, 0)));
            final OobSocket socket = OobSocket.of(ksocket);
            // a packet-transport socket on another port keeps the port polled: it must not see the kernel one's
            hosts.oobSocket(hosts.a.address(), A_PORT + 1);
            assertEquals(UdpTransport.PACKET, UdpSockets.state(socket).transport());
            UdpSockets.useTransport(ksocket, UdpTransport.KERNEL);
            assertEquals(UdpTransport.KERNEL, UdpSockets.state(socket).transport());
            hosts.inA(() ->
            {
                ksocket.bind(new InetSocketAddress(hosts.a.address(), A_PORT));
                return null;
            });
            final org.oobnet.inband.ErrnoException refused = org.junit.jupiter.api.Assertions.assertThrows(
                org.oobnet.inband.ErrnoException.class, () -> UdpSockets.useTransport(ksocket, UdpTransport.PACKET));
            assertEquals(Errno.EISCONN, refused.errno());

            final DatagramChannel peer = hosts.closeLater(hosts.inB(() ->
                DatagramChannel.open().bind(new InetSocketAddress(hosts.b.address(), B_PORT))));
            final byte[] payload = payload(64, 7);
            hosts.inB(() -> peer.send(ByteBuffer.wrap(payload), new InetSocketAddress(hosts.a.address(), A_PORT)));
            final UdpHosts.Received received = UdpHosts.receive(socket, 5_000);
            assertNotNull(received, "datagram over the kernel transport");
            assertArrayEquals(payload, received.payload());
            // the kernel socket may deliver before the stage has polled the same frame off the packet port's ring
            UdpHosts.await(() -> hosts.stack.ports().get(0).drops().drops(org.oobnet.udp.frame.DropReason.UNKNOWN_PORT) > 0,
                "the packet port saw the frame");
            assertEquals(0, hosts.stack.ports().get(0).drops().acceptedFrames(), "the packet port delivered nothing");
            assertEquals(1, hosts.stack.ports().get(0).drops().drops(org.oobnet.udp.frame.DropReason.UNKNOWN_PORT),
                "the port saw the frame and had no packet socket for it");
            assertEquals(0, socket.poll((s, b, o, l) -> { }, 1), "no duplicate");
        }
    }

    static byte[] payload(final int size, final int seed)
    {
        final byte[] payload = new byte[size];
        for (int i = 0; i < size; i++)
        {
            payload[i] = (byte)(i * 7 + seed);
        }
        return payload;
    }
}
