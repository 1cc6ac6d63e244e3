package org.oobnet.udp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.IpCommand;
import org.oobnet.udp.frame.Ipv4Flyweight;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broadcast and multicast between an OOB UDP socket (packet transport) and kernel sockets, both directions.
 */
class UdpGroupTest
{
    private static final int A_PORT = 5000;
    private static final int B_PORT = 6000;
    private static final int IP_ADD_MEMBERSHIP = 35;
    private static final String BROADCAST = "10.251.0.255";

    @Test
    void shouldReceiveAndSendBroadcastWhenSoBroadcastIsSet() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(UdpTransport.PACKET))
        {
            final OobSocket socket = hosts.oobSocket("0.0.0.0", A_PORT);
            final DatagramChannel peer = hosts.closeLater(hosts.inB(() ->
            {
                final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
                channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
                return channel.bind(new InetSocketAddress("0.0.0.0", B_PORT));
            }));

            // kernel -> OOB, to the subnet broadcast address
            final byte[] in = UdpInteropTest.payload(40, 1);
            hosts.inB(() -> peer.send(ByteBuffer.wrap(in), new InetSocketAddress(BROADCAST, A_PORT)));
            final UdpHosts.Received received = UdpHosts.receive(socket, 5_000);
            assertNotNull(received, "broadcast datagram");
            assertArrayEquals(in, received.payload());
            assertEquals(Ipv4Flyweight.parseAddress(hosts.b.address()), received.address());

            // OOB -> kernel: refused without SO_BROADCAST, as the kernel does
            final int broadcast = Ipv4Flyweight.parseAddress(BROADCAST);
            peer.configureBlocking(false);
            assertEquals(0, UdpSockets.sendTo(socket, broadcast, B_PORT, new UnsafeBuffer(in), 0, 40));
            Thread.sleep(200);
            assertNull(peer.receive(ByteBuffer.allocate(2048)), "broadcast sent without SO_BROADCAST");

            hosts.inA(() ->
            {
                socket.ksocket().setOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_BROADCAST, 1);
                return null;
            });
            peer.configureBlocking(true);
            for (int i = 0; i < 5; i++)
            {
                final byte[] out = UdpInteropTest.payload(40, 10 + i);
                assertEquals(0, UdpSockets.sendTo(socket, broadcast, B_PORT, new UnsafeBuffer(out), 0, 40));
                final ByteBuffer got = ByteBuffer.allocate(2048);
                peer.receive(got);
                assertArrayEquals(out, Arrays.copyOf(got.array(), got.position()));
                if (0 == i)
                {
                    UdpHosts.await(() -> null != hosts.stack.resolver().routes().lookup(broadcast), "broadcast route");
                }
            }
            assertTrue(UdpSockets.state(socket).fastSends() >= 4, "broadcast on the fast path");
        }
    }

    @Test
    void shouldSpreadFlowsOverReusePortSocketsAndKeepEachFlowOnOne() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(UdpTransport.PACKET))
        {
            final OobSocket[] sockets = new OobSocket[2];
            for (int i = 0; i < sockets.length; i++)
            {
                final org.oobnet.inband.KSocket ksocket = hosts.inA(() -> hosts.closeLaterSocket(
                    org.oobnet.inband.KSocket.socket(SocketConstants.AF_INET,
                        SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_OOB, 0)));
                hosts.inA(() ->
                {
                    ksocket.setOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_REUSEPORT, 1);
                    ksocket.bind(new InetSocketAddress(hosts.a.address(), A_PORT));
                    return null;
                });
                sockets[i] = OobSocket.of(ksocket);
            }
            final int flows = 16;
            final int[] owner = new int[flows];
            final int[] perSocket = new int[2];
            for (int round = 0; round < 2; round++)
            {
                for (int flow = 0; flow < flows; flow++)
                {
                    final int sourcePort = B_PORT + flow;
                    final byte[] payload = {(byte)flow};
                    hosts.inB(() ->
                    {
                        try (DatagramChannel channel = DatagramChannel.open())
                        {
                            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                            channel.bind(new InetSocketAddress(hosts.b.address(), sourcePort));
                            channel.send(ByteBuffer.wrap(payload), new InetSocketAddress(hosts.a.address(), A_PORT));
                        }
                        return null;
                    });
                    int got = -1;
                    final long deadline = System.nanoTime() + 5_000_000_000L;
                    while (got < 0 && System.nanoTime() - deadline < 0)
                    {
                        for (int i = 0; i < sockets.length && got < 0; i++)
                        {
                            final UdpHosts.Received received = UdpHosts.receive(sockets[i], 1);
                            if (null != received)
                            {
                                assertEquals(sourcePort, received.port());
                                got = i;
                            }
                        }
                    }
                    assertTrue(got >= 0, "flow " + flow + " not received");
                    if (0 == round)
                    {
                        owner[flow] = got;
                        perSocket[got]++;
                    }
                    else
                    {
                        assertEquals(owner[flow], got, "flow " + flow + " moved to another socket");
                    }
                }
            }
            assertTrue(perSocket[0] > 0 && perSocket[1] > 0,
                "both sockets get flows: " + perSocket[0] + "/" + perSocket[1]);
        }
    }

    @Test
    void shouldReceiveJoinedGroupAndSendToGroup() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(UdpTransport.PACKET))
        {
            final String group = "239.1.2.3";
            final OobSocket socket = hosts.oobSocket("0.0.0.0", A_PORT);
            // in-band: the kernel joins, so the interface accepts the group's frames
            hosts.inA(() ->
            {
                try (Arena arena = Arena.ofConfined())
                {
                    final MemorySegment mreq = arena.allocate(8, 4);
                    final ValueLayout.OfInt bigEndian = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
                    mreq.set(bigEndian, 0, Ipv4Flyweight.parseAddress(group));
                    mreq.set(bigEndian, 4, Ipv4Flyweight.parseAddress(hosts.a.address()));
                    socket.ksocket().setOption(SocketConstants.SOL_IP, IP_ADD_MEMBERSHIP, mreq);
                }
                return null;
            });
            final DatagramChannel peer = hosts.closeLater(hosts.inB(() ->
            {
                final NetworkInterface veth = NetworkInterface.getByName(hosts.b.interfaceName());
                final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, veth);
                channel.bind(new InetSocketAddress("0.0.0.0", B_PORT));
                channel.join(InetAddress.getByName(group), veth);
                return channel;
            }));

            // kernel -> OOB, to the group
            final byte[] in = UdpInteropTest.payload(100, 3);
            hosts.inB(() -> peer.send(ByteBuffer.wrap(in), new InetSocketAddress(group, A_PORT)));
            final UdpHosts.Received received = UdpHosts.receive(socket, 5_000);
            assertNotNull(received, "group datagram");
            assertArrayEquals(in, received.payload());

            // OOB -> kernel, to the group (the kernel's multicast route names the interface)
            IpCommand.run("-n", hosts.a.namespace(), "route", "add", "224.0.0.0/4", "dev", hosts.a.interfaceName());
            final int groupAddress = Ipv4Flyweight.parseAddress(group);
            peer.configureBlocking(true);
            for (int i = 0; i < 5; i++)
            {
                final byte[] out = UdpInteropTest.payload(100, 20 + i);
                assertEquals(0, UdpSockets.sendTo(socket, groupAddress, B_PORT, new UnsafeBuffer(out), 0, 100));
                final ByteBuffer got = ByteBuffer.allocate(2048);
                final InetSocketAddress from = (InetSocketAddress)peer.receive(got);
                assertEquals(hosts.a.address(), from.getAddress().getHostAddress());
                assertArrayEquals(out, Arrays.copyOf(got.array(), got.position()));
                if (0 == i)
                {
                    UdpHosts.await(() -> null != hosts.stack.resolver().routes().lookup(groupAddress), "group route");
                }
            }
            assertTrue(UdpSockets.state(socket).fastSends() >= 4, "group sends on the fast path");
        }
    }
}
