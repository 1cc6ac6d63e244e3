package org.oobnet.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.junit.jupiter.api.Test;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.testing.KernelNetStats;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.udp.frame.DropReason;
import org.oobnet.udp.frame.UdpDropCounters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kernel TCP on the interface of an OOB UDP packet port, as a trader's order connection beside its market data:
 * the port's filter keeps the TCP segments in the kernel, so none takes a ring slot to be dropped as
 * {@code not-udp}, and the UDP datagrams between them all arrive.
 */
class TcpBesideUdpTest
{
    private static final int UDP_PORT = 5000;
    private static final int B_UDP_PORT = 6000;
    private static final int TCP_PORT = 7000;
    private static final int ROUNDS = 20;
    private static final int CHUNK_BYTES = 16 * 1024;

    @Test
    void shouldKeepTcpOffThePortWhileUdpArrivesWhenBothShareTheInterface() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(UdpTransport.PACKET))
        {
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), UDP_PORT);
            final DatagramChannel udpPeer = hosts.kernelPeerInB(B_UDP_PORT);
            final ServerSocketChannel listener = hosts.closeLater(hosts.inA(() ->
                ServerSocketChannel.open().bind(new InetSocketAddress(hosts.a.address(), TCP_PORT))));
            final SocketChannel client = hosts.closeLater(hosts.inB(() ->
                SocketChannel.open(new InetSocketAddress(hosts.a.address(), TCP_PORT))));
            final SocketChannel server = hosts.closeLater(listener.accept());
            final long segmentsBefore = hosts.inA(() -> KernelNetStats.snmp("Tcp", "InSegs"));

            final ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES);
            for (int round = 0; round < ROUNDS; round++)
            {
                // TCP both ways: data into A and, for A's data, ACKs into A
                writeFully(client, chunk);
                readFully(server, chunk);
                writeFully(server, chunk);
                readFully(client, chunk);

                final byte[] payload = UdpInteropTest.payload(32, round);
                hosts.inB(() -> udpPeer.send(ByteBuffer.wrap(payload), new InetSocketAddress(hosts.a.address(), UDP_PORT)));
                final UdpHosts.Received received = UdpHosts.receive(socket, 5_000);
                assertNotNull(received, "UDP datagram beside TCP, round=" + round);
                assertArrayEquals(payload, received.payload());
            }
            final long segments = hosts.inA(() -> KernelNetStats.snmp("Tcp", "InSegs")) - segmentsBefore;

            final PacketPort port = hosts.stack.ports().get(0);
            final UdpDropCounters drops = port.drops();
            assertTrue(segments >= ROUNDS * 2, "TCP segments A's kernel received: " + segments);
            assertEquals(0, drops.drops(DropReason.NOT_UDP),
                "TCP segments on the port's ring (of " + segments + " A's kernel received): " + drops);
            // veth carries a 16 KiB write as one GSO frame: longer than a slot, the ring would count it and skip it
            assertEquals(0, port.packetCounters().get(PacketCounter.TRUNCATED),
                "TCP frames longer than a ring slot: " + port.packetCounters());
            assertEquals(ROUNDS, drops.acceptedFrames(), drops.toString());
        }
    }

    private static void writeFully(final SocketChannel channel, final ByteBuffer buffer) throws Exception
    {
        buffer.clear();
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
    }

    private static void readFully(final SocketChannel channel, final ByteBuffer buffer) throws Exception
    {
        buffer.clear();
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer) < 0)
            {
                throw new AssertionError("TCP connection closed after " + buffer.position() + " bytes");
            }
        }
    }
}
