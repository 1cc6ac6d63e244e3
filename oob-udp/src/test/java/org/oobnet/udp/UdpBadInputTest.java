package org.oobnet.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.udp.frame.DropReason;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import org.oobnet.udp.frame.Ipv4Flyweight;
import org.oobnet.udp.frame.UdpDropCounters;
import org.oobnet.udp.frame.UdpFlyweight;
import org.oobnet.udp.frame.UdpFrameBuilder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Bad frames sent from the other namespace on the wire: each is counted under its reason and dropped, the stage
 * keeps running, and good datagrams sent between them all arrive. IPv4 of other protocols than UDP and ICMP is kept
 * off the ring by the port's filter and counted nowhere.
 */
class UdpBadInputTest
{
    private static final int A_PORT = 5000;
    private static final int B_PORT = 6000;
    private static final int IP = EthernetHeaderFlyweight.HEADER_LENGTH;
    private static final int UDP = IP + Ipv4Flyweight.MIN_HEADER_LENGTH;

    private record BadFrame(DropReason reason, Consumer<UnsafeBuffer> mutation, int lengthDelta)
    {
    }

    @Test
    void shouldCountAndDropEveryBadFrameWhileGoodTrafficFlows() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(UdpTransport.PACKET))
        {
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            final DatagramChannel peer = hosts.closeLater(hosts.inB(() ->
                DatagramChannel.open().bind(new InetSocketAddress(hosts.b.address(), B_PORT))));
            final RawFrameInjector injector = hosts.closeLater(hosts.inB(() -> new RawFrameInjector(hosts.b.interfaceName())));
            final Ipv4Flyweight ip = new Ipv4Flyweight();
            final UdpFlyweight udp = new UdpFlyweight();

            final List<BadFrame> bad = new ArrayList<>();
            bad.add(new BadFrame(DropReason.RUNT, f -> { }, 30 - (42 + 16)));
            bad.add(new BadFrame(DropReason.BAD_IP_VERSION, f -> f.putByte(IP, (byte)0x65), 0));
            bad.add(new BadFrame(DropReason.BAD_IHL, f -> f.putByte(IP, (byte)0x44), 0));
            bad.add(new BadFrame(DropReason.BAD_IP_CHECKSUM, f -> ip.wrap(f, IP).ttl(7), 0));
            bad.add(new BadFrame(DropReason.TOTAL_LENGTH_MISMATCH, f -> ip.wrap(f, IP).totalLength(19).updateChecksum(), 0));
            bad.add(new BadFrame(DropReason.TRUNCATED, f -> ip.wrap(f, IP).totalLength(20 + 8 + 40).updateChecksum(), 0));
            bad.add(new BadFrame(DropReason.FRAG_TOO_BIG,
                f -> ip.wrap(f, IP).flagsAndFragmentOffset(Ipv4Flyweight.FLAG_MF | Ipv4Flyweight.FRAGMENT_OFFSET_MASK)
                .updateChecksum(), 0));
            // ICMP reaches the ring (port unreachable is read there); this one, type 23, is only counted
            bad.add(new BadFrame(DropReason.NOT_UDP, f -> ip.wrap(f, IP).protocol(1).updateChecksum(), 0));
            bad.add(new BadFrame(DropReason.BAD_UDP_LENGTH, f -> udp.wrap(f, UDP).length(7), 0));
            bad.add(new BadFrame(DropReason.BAD_UDP_CHECKSUM, f -> f.putByte(UDP + 8, (byte)(f.getByte(UDP + 8) ^ 1)), 0));
            bad.add(new BadFrame(DropReason.UNKNOWN_PORT,
                f -> udp.wrap(f, UDP).dstPort(A_PORT + 1).updateChecksum(ip.wrap(f, IP).srcAddress(), ip.dstAddress()), 0));

            final UdpFrameBuilder builder = new UdpFrameBuilder()
                .macs(EthernetHeaderFlyweight.parseMac(hosts.b.mac()), EthernetHeaderFlyweight.parseMac(hosts.a.mac()))
                .source(Ipv4Flyweight.parseAddress(hosts.b.address()), B_PORT)
                .destination(Ipv4Flyweight.parseAddress(hosts.a.address()), A_PORT);
            // other IPv4 protocols never reach the ring (the port's filter): counted nowhere, as they take no slot
            final List<BadFrame> filtered = List.of(
                new BadFrame(DropReason.NOT_UDP, f -> ip.wrap(f, IP).protocol(6).updateChecksum(), 0),
                new BadFrame(DropReason.NOT_UDP, f -> ip.wrap(f, IP).protocol(253).updateChecksum(), 0));
            int round = 0;
            for (final BadFrame frame : concat(bad, filtered))
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
                final int length = builder.write(buffer, 0, new UnsafeBuffer(new byte[16]), 0, 16);
                frame.mutation().accept(buffer);
                hosts.inB(() ->
                {
                    injector.send(buffer, 0, length + frame.lengthDelta());
                    return null;
                });
                exchangeGoodDatagram(hosts, socket, peer, round++);
            }

            // a good frame with IPv4 options (IHL 6) is accepted: the options are skipped
            final UnsafeBuffer withOptions = new UnsafeBuffer(new byte[256]);
            final UnsafeBuffer plain = new UnsafeBuffer(new byte[256]);
            final byte[] payload = UdpInteropTest.payload(16, 9);
            final int plainLength = builder.write(plain, 0, new UnsafeBuffer(payload), 0, 16);
            withOptions.putBytes(0, plain, 0, UDP);
            withOptions.putInt(UDP, 0x01010101);
            withOptions.putBytes(UDP + 4, plain, UDP, plainLength - UDP);
            ip.wrap(withOptions, IP).versionAndHeaderLength(24).totalLength(24 + 8 + 16).updateChecksum();
            hosts.inB(() ->
            {
                injector.send(withOptions, 0, plainLength + 4);
                return null;
            });
            final UdpHosts.Received received = UdpHosts.receive(socket, 5_000);
            assertNotNull(received, "datagram with IPv4 options");
            assertArrayEquals(payload, received.payload());

            final UdpDropCounters drops = hosts.stack.ports().get(0).drops();
            for (final BadFrame frame : bad)
            {
                assertEquals(1, drops.drops(frame.reason()), frame.reason() + " in " + drops);
            }
            assertEquals(bad.size(), drops.totalDrops(), drops.toString());
            assertEquals(bad.size() + filtered.size() + 1, drops.acceptedFrames(), drops.toString());
        }
    }

    private static List<BadFrame> concat(final List<BadFrame> first, final List<BadFrame> second)
    {
        final List<BadFrame> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static void exchangeGoodDatagram(
        final UdpHosts hosts, final OobSocket socket, final DatagramChannel peer, final int round) throws Exception
    {
        final byte[] payload = UdpInteropTest.payload(32, round);
        hosts.inB(() -> peer.send(ByteBuffer.wrap(payload), new InetSocketAddress(hosts.a.address(), A_PORT)));
        final UdpHosts.Received received = UdpHosts.receive(socket, 5_000);
        assertNotNull(received, "good datagram after bad frame round=" + round);
        assertArrayEquals(payload, received.payload());
    }
}
