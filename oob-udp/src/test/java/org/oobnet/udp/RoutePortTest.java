package org.oobnet.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.config.InterfaceConfig;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobClaim;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobStage;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.core.StageCommand;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.udp.frame.Ipv4Flyweight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A host with two OOB interfaces: each datagram leaves by the port of its route's interface, zero-copy sends from
 * the stage included (a claim made on one port and committed to a destination behind the other is moved there).
 * A's {@code veth0} reaches B on the fixture's bridge; a second veth pair joins A ({@code oobx0}) and C directly.
 */
class RoutePortTest
{
    private static final String A_EXTRA = "oobx0";
    private static final String C_EXTRA = "oobx1";
    private static final String A_EXTRA_ADDRESS = "10.251.250.1";
    private static final String C_EXTRA_ADDRESS = "10.251.250.2";
    private static final int A_PORT = 5200;
    private static final int PEER_PORT = 6200;

    @Test
    void shouldSendEachZeroCopyDatagramThroughThePortOfItsRoute() throws Exception
    {
        try (NetnsFixture fixture = NetnsFixture.create(3))
        {
            final NetnsFixture.Host a = fixture.host(0);
            final NetnsFixture.Host b = fixture.host(1);
            final NetnsFixture.Host c = fixture.host(2);
            ExtraVethPair.add(fixture, a, A_EXTRA, A_EXTRA_ADDRESS, c, C_EXTRA, C_EXTRA_ADDRESS);

            final UdpStack stack = fixture.call(a, () -> UdpStack.open(new UdpStackConfig(UdpTransport.PACKET,
                List.of(InterfaceConfig.defaults(a.interfaceName()), InterfaceConfig.defaults(A_EXTRA)),
                UdpStackConfig.DEFAULT_KERNEL_BATCH, UdpStackConfig.DEFAULT_RX_POLL_LIMIT, true,
                UdpStackConfig.DEFAULT_REFRESH_INTERVAL_MS)));
            final Path countersDir = Files.createTempDirectory("oob-udp-route-port");
            final ProtocolRegistry registry = new ProtocolRegistry().register(SocketConstants.AF_INET, stack.protocol());
            try (OobRuntime runtime = OobRuntime.start(OobConfig.builder()
                .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF).countersDir(countersDir).build(), registry);
                DatagramChannel atB = fixture.call(b, () -> DatagramChannel.open()
                    .bind(new InetSocketAddress(b.address(), PEER_PORT)));
                DatagramChannel atC = fixture.call(c, () -> DatagramChannel.open()
                    .bind(new InetSocketAddress(C_EXTRA_ADDRESS, PEER_PORT))))
            {
                final KSocket ksocket = fixture.call(a, () ->
                {
                    final KSocket s = KSocket.socket(
                        SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_OOB, 0);
                    s.bind(new InetSocketAddress("0.0.0.0", A_PORT));
                    return s;
                });
                final OobSocket socket = OobSocket.of(ksocket);
                final int bAddress = Ipv4Flyweight.parseAddress(b.address());
                final int cAddress = Ipv4Flyweight.parseAddress(C_EXTRA_ADDRESS);
                fixture.call(a, () ->
                {
                    UdpSockets.solicit(socket, bAddress, false);
                    UdpSockets.solicit(socket, cAddress, false);
                    return null;
                });
                final PacketPort toB = stack.port(stack.resolver().routes().lookup(bAddress).ifindex());
                final PacketPort toC = stack.port(stack.resolver().routes().lookup(cAddress).ifindex());
                assertEquals(a.interfaceName(), toB.name());
                assertEquals(A_EXTRA, toC.name());

                // C first, then B: the second claim is made on C's port (the last used) and moved to B's at commit
                assertEquals(16, runtime.callOnStage(new ZeroCopySend(socket, cAddress, PEER_PORT, (byte)'c')));
                assertEquals(16, runtime.callOnStage(new ZeroCopySend(socket, bAddress, PEER_PORT, (byte)'b')));
                assertEquals('c', receiveFirstByte(fixture, c, atC));
                assertEquals('b', receiveFirstByte(fixture, b, atB));
                assertEquals(1, toC.packetCounters().get(PacketCounter.FRAMES_OUT), "frames out of " + A_EXTRA);
                assertEquals(1, toB.packetCounters().get(PacketCounter.FRAMES_OUT), "frames out of " + a.interfaceName());
                assertEquals(2, UdpSockets.state(socket).fastSends());
                ksocket.close();
            }
            finally
            {
                stack.close();
            }
        }
    }

    private static byte receiveFirstByte(final NetnsFixture fixture, final NetnsFixture.Host host,
        final DatagramChannel channel) throws Exception
    {
        return fixture.call(host, () ->
        {
            channel.configureBlocking(false);
            final ByteBuffer in = ByteBuffer.allocate(2048);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (null == channel.receive(in))
            {
                assertTrue(System.nanoTime() - deadline < 0, "no datagram at " + host.namespace());
                Thread.sleep(1);
            }
            return in.get(0);
        });
    }

    // stage: a 16-byte datagram written in place in a TX frame (oobClaim / oobCommit)
    private static final class ZeroCopySend extends StageCommand
    {
        private final OobSocket socket;
        private final int address;
        private final int port;
        private final byte fill;

        ZeroCopySend(final OobSocket socket, final int address, final int port, final byte fill)
        {
            this.socket = socket;
            this.address = address;
            this.port = port;
            this.fill = fill;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            final int rc = socket.oobClaim(UdpAddressHeader.LENGTH + 16);
            if (rc < 0)
            {
                return rc;
            }
            final OobClaim claim = socket.claim();
            final MutableDirectBuffer buffer = claim.buffer();
            UdpAddressHeader.write(buffer, claim.offset(), address, port);
            buffer.setMemory(claim.offset() + UdpAddressHeader.LENGTH, 16, fill);
            return socket.oobCommit();
        }
    }
}
