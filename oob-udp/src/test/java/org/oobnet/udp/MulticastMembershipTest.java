package org.oobnet.udp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.config.ConfigLoader;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.udp.frame.DropReason;
import org.oobnet.udp.frame.Ipv4Flyweight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multicast memberships of OOB UDP sockets (packet transport) on a bridge of three namespaces: A runs the OOB
 * stack, S sends with python3, K is a kernel receiver (Java {@link DatagramChannel}) that sends too. Each socket
 * receives exactly the (group, source) pairs it joined, nothing else.
 */
class MulticastMembershipTest
{
    private static final int PORT = 7000;
    private static final String G1 = "239.251.0.1";
    private static final String G2 = "239.251.0.2";
    private static final String G3 = "239.251.0.3";
    private static final String G4 = "239.251.0.4";
    private static final long QUIET_MS = 500;

    @Test
    void shouldDeliverToEachSocketExactlyTheGroupsAndSourcesItJoined() throws Exception
    {
        final UdpTransport transport = UdpTransport.PACKET;
        try (UdpHosts hosts = new UdpHosts(name -> UdpStackConfig.of(transport, name), 3))
        {
            final NetnsFixture.Host a = hosts.a;
            final NetnsFixture.Host s = hosts.fixture.host(1);
            final NetnsFixture.Host k = hosts.fixture.host(2);
            // two OOB sockets on one port: X joins G1 (any source); Y joins G2 for S only, and G3 but S blocked
            final OobSocket x = reusePortSocket(hosts);
            final OobSocket y = reusePortSocket(hosts);
            hosts.inA(() ->
            {
                MulticastGroups.membership(x.ksocket(), SocketConstants.IP_ADD_MEMBERSHIP, G1, a.address());
                MulticastGroups.sourceMembership(y.ksocket(), SocketConstants.IP_ADD_SOURCE_MEMBERSHIP, G2,
                    a.address(), s.address());
                MulticastGroups.membership(y.ksocket(), SocketConstants.IP_ADD_MEMBERSHIP, G3, a.address());
                MulticastGroups.sourceMembership(y.ksocket(), SocketConstants.IP_BLOCK_SOURCE, G3, a.address(),
                    s.address());
                return null;
            });
            final DatagramChannel kernel = hosts.closeLater(hosts.fixture.call(k, () ->
            {
                final NetworkInterface nif = NetworkInterface.getByName(k.interfaceName());
                final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
                channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
                channel.bind(new InetSocketAddress("0.0.0.0", PORT));
                channel.join(InetAddress.getByName(G1), nif);
                return channel;
            }));
            // the joins' IGMP reports reach the bridge before the traffic
            Thread.sleep(300);

            MulticastGroups.pythonSend(hosts.fixture, s, G1, PORT, "s1", 30);
            MulticastGroups.pythonSend(hosts.fixture, s, G2, PORT, "s2", 20);
            MulticastGroups.pythonSend(hosts.fixture, s, G3, PORT, "s3", 10);
            MulticastGroups.pythonSend(hosts.fixture, s, G4, PORT, "s4", 5);
            hosts.fixture.call(k, () ->
            {
                for (int i = 0; i < 7; i++)
                {
                    kernel.send(ByteBuffer.wrap(("k2:" + i).getBytes()), new InetSocketAddress(G2, PORT));
                }
                for (int i = 0; i < 9; i++)
                {
                    kernel.send(ByteBuffer.wrap(("k3:" + i).getBytes()), new InetSocketAddress(G3, PORT));
                }
                return null;
            });

            final List<String> atX = MulticastGroups.drain(x, 30, QUIET_MS);
            final List<String> atY = MulticastGroups.drain(y, 29, QUIET_MS);
            assertEquals(30, MulticastGroups.count(atX, "s1"), "X: G1 from S " + atX + " Y: " + atY);
            assertEquals(30, atX.size(), "X: nothing but G1 " + atX);
            assertEquals(20, MulticastGroups.count(atY, "s2"), "Y: G2 from S " + atY);
            assertEquals(9, MulticastGroups.count(atY, "k3"), "Y: G3 from K (S blocked) " + atY);
            assertEquals(29, atY.size(), "Y: nothing else " + atY);

            final List<String> atKernel =
                hosts.fixture.call(k, () -> MulticastGroups.drain(kernel, null, 30, QUIET_MS));
            assertEquals(30, MulticastGroups.count(atKernel, "s1"), "kernel receiver: G1 " + atKernel);
            assertEquals(30, atKernel.size(), "kernel receiver: nothing else " + atKernel);

            if (UdpTransport.PACKET == transport)
            {
                // what reached A's port for nobody was counted, not delivered
                final PacketPort port = hosts.stack.ports().get(0);
                assertTrue(port.drops().drops(DropReason.NOT_JOINED) >= 10, "S's G3 datagrams dropped as not " +
                    "joined: " + port);
            }
        }
    }

    @Test
    void shouldRefuseBadJoinsWithNamedErrnosAndKeepTheRest() throws Exception
    {
        // the limit as users set it: udp.max_memberships in the configuration file
        try (UdpHosts hosts = new UdpHosts(name -> configuredWithMaxMemberships(name, 2), 3))
        {
            final NetnsFixture.Host a = hosts.a;
            final NetnsFixture.Host s = hosts.fixture.host(1);
            final OobSocket x = hosts.oobSocket("0.0.0.0", PORT);
            hosts.inA(() ->
            {
                MulticastGroups.membership(x.ksocket(), SocketConstants.IP_ADD_MEMBERSHIP, G1, a.address());
                return null;
            });
            assertErrno(hosts, Errno.EINVAL, () -> MulticastGroups.membership(x.ksocket(), SocketConstants.IP_ADD_MEMBERSHIP,
                "10.251.0.9", a.address()), "a unicast address as the group");
            assertErrno(hosts, Errno.ENODEV, () -> MulticastGroups.membership(x.ksocket(), SocketConstants.IP_ADD_MEMBERSHIP,
                G2, "127.0.0.1"), "a join on loopback, which no port serves");
            assertErrno(hosts, Errno.EADDRINUSE, () -> MulticastGroups.membership(x.ksocket(),
                SocketConstants.IP_ADD_MEMBERSHIP, G1, a.address()), "a second join of G1");
            hosts.inA(() ->
            {
                MulticastGroups.membership(x.ksocket(), SocketConstants.IP_ADD_MEMBERSHIP, G2, a.address());
                return null;
            });
            assertErrno(hosts, Errno.ENOBUFS, () -> MulticastGroups.membership(x.ksocket(), SocketConstants.IP_ADD_MEMBERSHIP,
                G3, a.address()), "a third membership past udp.max_memberships=2");
            assertErrno(hosts, Errno.EADDRNOTAVAIL, () -> MulticastGroups.membership(x.ksocket(),
                SocketConstants.IP_DROP_MEMBERSHIP, G3, a.address()), "leaving a group not joined");
            // G2 left: room for G3; G1 still delivered, G2 no longer
            hosts.inA(() ->
            {
                MulticastGroups.membership(x.ksocket(), SocketConstants.IP_DROP_MEMBERSHIP, G2, a.address());
                MulticastGroups.membership(x.ksocket(), SocketConstants.IP_ADD_MEMBERSHIP, G3, a.address());
                return null;
            });
            Thread.sleep(300);
            MulticastGroups.pythonSend(hosts.fixture, s, G1, PORT, "g1", 12);
            MulticastGroups.pythonSend(hosts.fixture, s, G2, PORT, "g2", 6);
            MulticastGroups.pythonSend(hosts.fixture, s, G3, PORT, "g3", 4);
            final List<String> got = MulticastGroups.drain(x, 16, QUIET_MS);
            assertEquals(12, MulticastGroups.count(got, "g1"), got.toString());
            assertEquals(4, MulticastGroups.count(got, "g3"), got.toString());
            assertEquals(16, got.size(), "G2 was left: " + got);
        }
    }

    @Test
    void shouldSendByMulticastInterfaceAndLoopBackToLocalMembersUnlessLoopIsOff() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(name -> UdpStackConfig.of(UdpTransport.PACKET, name), 3))
        {
            final NetnsFixture.Host a = hosts.a;
            final NetnsFixture.Host k = hosts.fixture.host(2);
            final OobSocket member = reusePortSocket(hosts);
            final OobSocket sender = hosts.oobSocket(a.address(), PORT + 1);
            hosts.inA(() ->
            {
                MulticastGroups.membership(member.ksocket(), SocketConstants.IP_ADD_MEMBERSHIP, G1, a.address());
                // no multicast route in A: IP_MULTICAST_IF names the way out
                MulticastGroups.multicastInterface(sender.ksocket(), a.address());
                return null;
            });
            final DatagramChannel kernel = hosts.closeLater(hosts.fixture.call(k, () ->
            {
                final NetworkInterface nif = NetworkInterface.getByName(k.interfaceName());
                final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                channel.bind(new InetSocketAddress("0.0.0.0", PORT));
                channel.join(InetAddress.getByName(G1), nif);
                return channel;
            }));
            Thread.sleep(300);
            final int group = Ipv4Flyweight.parseAddress(G1);
            for (int i = 0; i < 10; i++)
            {
                final byte[] payload = ("on:" + i).getBytes();
                assertEquals(0, UdpSockets.sendTo(sender, group, PORT, new UnsafeBuffer(payload), 0, payload.length));
            }
            final List<String> looped = MulticastGroups.drain(member, 10, QUIET_MS);
            assertEquals(10, MulticastGroups.count(looped, "on"), "looped back to the local member: " + looped);
            assertEquals(10, UdpSockets.state(sender).fastSends(), "all on the fast path by IP_MULTICAST_IF");

            hosts.inA(() ->
            {
                sender.ksocket().setOption(SocketConstants.SOL_IP, SocketConstants.IP_MULTICAST_LOOP, 0);
                return null;
            });
            for (int i = 0; i < 5; i++)
            {
                final byte[] payload = ("off:" + i).getBytes();
                assertEquals(0, UdpSockets.sendTo(sender, group, PORT, new UnsafeBuffer(payload), 0, payload.length));
            }
            final List<String> atKernel = hosts.fixture.call(k, () -> MulticastGroups.drain(kernel, a.address(),
                15, QUIET_MS));
            assertEquals(10, MulticastGroups.count(atKernel, "on"), atKernel.toString());
            assertEquals(5, MulticastGroups.count(atKernel, "off"), atKernel.toString());
            // the sends went out (K has them), and the stage makes a looped-back copy before a frame goes out: the
            // quiet gap only gives a wrongly looped copy time to show
            assertEquals(List.of(), MulticastGroups.drain(member, 0, QUIET_MS), "loop off: no local copy");
        }
    }

    private static OobSocket reusePortSocket(final UdpHosts hosts) throws Exception
    {
        final KSocket socket = hosts.inA(() -> hosts.closeLaterSocket(KSocket.socket(SocketConstants.AF_INET,
            SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_OOB, 0)));
        hosts.inA(() ->
        {
            socket.setOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_REUSEPORT, 1);
            socket.bind(new InetSocketAddress("0.0.0.0", PORT));
            return null;
        });
        return OobSocket.of(socket);
    }

    private interface Join
    {
        void run() throws ErrnoException;
    }

    private static void assertErrno(final UdpHosts hosts, final int errno, final Join join, final String what)
        throws Exception
    {
        final ErrnoException ex = hosts.inA(() -> assertThrows(ErrnoException.class, join::run, what));
        assertEquals(errno, ex.errno(), what + ": " + ex.getMessage());
    }

    // an oobnet configuration file enabling the interface, with udp.max_memberships = limit, loaded as the CLI does
    private static UdpStackConfig configuredWithMaxMemberships(final String interfaceName, final int limit)
    {
        try
        {
            final Path file = Files.createTempFile("oobnet-memberships", ".toml");
            try
            {
                Files.writeString(file, "[udp]\nmax_memberships = " + limit + "\n[interfaces." + interfaceName + "]\n");
                final UdpStackConfig config =
                    UdpStackConfig.from(ConfigLoader.fromEnvironment().load(Optional.of(file)).config());
                assertEquals(limit, config.maxMemberships());
                return config;
            }
            finally
            {
                Files.delete(file);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
