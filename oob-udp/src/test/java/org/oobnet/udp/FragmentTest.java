package org.oobnet.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobStage;
import org.oobnet.core.StageCommand;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.udp.frag.Ipv4Fragmenter;
import org.oobnet.udp.frame.DropReason;
import org.oobnet.udp.frame.Ipv4Flyweight;
import org.oobnet.udp.frame.UdpDropCounters;
import org.oobnet.udp.frame.UdpFrameBuilder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * IPv4 fragments on the packet transport, with real kernels on both sides of a veth (MTU 1500): datagrams a kernel
 * fragments (Java {@code DatagramChannel}, python3) reassembled on the stage byte for byte; datagrams the stage
 * fragments reassembled by the peer's kernel byte for byte; a datagram missing a fragment never delivered and
 * counted as a reassembly timeout.
 */
class FragmentTest
{
    private static final int A_PORT = 5100;
    private static final int B_PORT = 6100;
    private static final int[] SIZES = { 2_000, 9_000, 60_000 };

    @Test
    void shouldReassembleExactBytesWhenKernelSendersFragment() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(UdpTransport.PACKET))
        {
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            final ConcurrentLinkedQueue<byte[]> received = collect(socket);
            final InetSocketAddress target = new InetSocketAddress(hosts.a.address(), A_PORT);
            final DatagramChannel peer = hosts.closeLater(hosts.inB(() ->
                DatagramChannel.open().bind(new InetSocketAddress(hosts.b.address(), B_PORT))));

            for (final int size : SIZES)
            {
                final byte[] payload = payload(size, 1);
                hosts.inB(() -> peer.send(ByteBuffer.wrap(payload), target));
                assertArrayEquals(payload, take(received), "DatagramChannel size=" + size);
            }
            for (final int size : SIZES)
            {
                pythonSend(hosts, size, 2);
                assertArrayEquals(payload(size, 2), take(received), "python3 size=" + size);
            }

            final PacketPort port = hosts.stack.ports().get(0);
            final UdpDropCounters drops = port.drops();
            assertEquals(0, drops.totalDrops(), drops.toString());
            assertEquals(2L * SIZES.length, port.reassembler().datagramsReassembled());
            // 2000 B: 2 fragments, 9000 B: 7, 60000 B: 41 (1480 payload bytes each), from each sender
            assertEquals(2L * (2 + 7 + 41), port.reassembler().fragmentsTaken());
            assertEquals(0, port.reassembler().active());
        }
    }

    @Test
    void shouldFragmentOobSendsSoThatKernelReceiverGetsExactBytes() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(UdpTransport.PACKET))
        {
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            final int bAddress = Ipv4Flyweight.parseAddress(hosts.b.address());
            final DatagramChannel peer = hosts.closeLater(hosts.inB(() ->
            {
                final DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress(hosts.b.address(), B_PORT));
                channel.configureBlocking(false);
                return channel;
            }));
            // route and neighbour cached: every send takes the stage's path, none goes in-band
            hosts.inA(() ->
            {
                UdpSockets.solicit(socket, bAddress, false);
                return null;
            });
            final PacketPort port = hosts.stack.ports().get(0);
            final long framesBefore = port.packetCounters().get(PacketCounter.FRAMES_OUT);

            for (final int size : SIZES)
            {
                final byte[] payload = payload(size, 3);
                assertEquals(size, hosts.runtime.callOnStage(new StageSend(socket, bAddress, B_PORT, payload)),
                    "size=" + size);
                final byte[] got = hosts.inB(() -> receive(peer, 10_000));
                assertNotNull(got, "kernel receiver size=" + size);
                assertArrayEquals(payload, got, "kernel receiver size=" + size);
            }

            assertEquals(SIZES.length, UdpSockets.state(socket).fastSends(), "every send on the stage's path");
            assertEquals(0, UdpSockets.state(socket).inbandSends());
            assertEquals(2 + 7 + 41, port.packetCounters().get(PacketCounter.FRAMES_OUT) - framesBefore,
                "fragments sent");
        }
    }

    @Test
    void shouldCountTimeoutAndDeliverNothingWhenAFragmentIsLost() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(UdpTransport.PACKET))
        {
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            final ConcurrentLinkedQueue<byte[]> received = collect(socket);
            final RawFrameInjector injector = hosts.closeLater(hosts.inB(() -> new RawFrameInjector(hosts.b.interfaceName())));
            final byte[] payload = payload(9_000, 4);
            final List<UnsafeBuffer> fragments = fragments(hosts, payload, 77);
            assertEquals(7, fragments.size());

            final List<UnsafeBuffer> allButOne = new ArrayList<>(fragments);
            allButOne.remove(3);
            injectWhileStageHeld(hosts, injector, allButOne);
            final UdpDropCounters drops = hosts.stack.ports().get(0).drops();
            UdpHosts.await(() -> 1 == drops.drops(DropReason.FRAG_TIMEOUT), "reassembly timeout counted");
            assertNull(received.poll(), "nothing delivered");
            assertEquals(1, drops.totalDrops(), drops.toString());

            // the same datagram whole (a new identification) is delivered: the path works
            injectWhileStageHeld(hosts, injector, fragments(hosts, payload, 78));
            assertArrayEquals(payload, take(received));
            assertEquals(0, hosts.stack.ports().get(0).reassembler().active());
        }
    }

    @Test
    void shouldCompleteADatagramWhoseLastFragmentsWaitedInTheRingWhileTheStageWasOffPastTheTimeout() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(UdpTransport.PACKET))
        {
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            final ConcurrentLinkedQueue<byte[]> received = collect(socket);
            final RawFrameInjector injector = hosts.closeLater(hosts.inB(() -> new RawFrameInjector(hosts.b.interfaceName())));
            final byte[] payload = payload(9_000, 5);
            final List<UnsafeBuffer> fragments = fragments(hosts, payload, 79);
            final PacketPort port = hosts.stack.ports().get(0);

            inject(hosts, injector, fragments.get(0));
            UdpHosts.await(() -> 1 == port.reassembler().fragmentsTaken(), "the first fragment taken");
            // the rest arrive in time, but the stage is off its CPU (held) for longer than the 100 ms timeout
            try (StageStall ignored = StageStall.begin(hosts.runtime))
            {
                final long before = hosts.ipReceivedInA();
                for (int i = 1; i < fragments.size(); i++)
                {
                    inject(hosts, injector, fragments.get(i));
                }
                hosts.awaitIpReceivedInA(before, fragments.size() - 1);
                Thread.sleep(300);
            }

            // the ring's fragments complete the datagram before the timeout is applied (before: the datagram
            // expired with them waiting, and they timed out in turn)
            assertArrayEquals(payload, take(received));
            final UdpDropCounters drops = port.drops();
            assertEquals(0, drops.drops(DropReason.FRAG_TIMEOUT), drops.toString());
            assertEquals(0, port.reassembler().active());
        }
    }

    // the stage hands each datagram's payload to the test thread (a copy: the view is valid during the call only)
    private static ConcurrentLinkedQueue<byte[]> collect(final OobSocket socket)
    {
        final ConcurrentLinkedQueue<byte[]> received = new ConcurrentLinkedQueue<>();
        socket.stageReceiveHandler((s, buffer, offset, length) ->
        {
            final byte[] payload = new byte[length - UdpAddressHeader.LENGTH];
            buffer.getBytes(offset + UdpAddressHeader.LENGTH, payload);
            received.add(payload);
        });
        return received;
    }

    private static byte[] take(final ConcurrentLinkedQueue<byte[]> received) throws InterruptedException
    {
        UdpHosts.await(() -> !received.isEmpty(), "a datagram");
        return received.poll();
    }

    private static byte[] receive(final DatagramChannel channel, final long timeoutMs) throws Exception
    {
        final ByteBuffer in = ByteBuffer.allocate(65536);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (null == channel.receive(in))
        {
            if (System.nanoTime() - deadline > 0)
            {
                return null;
            }
            Thread.sleep(1);
        }
        return Arrays.copyOf(in.array(), in.position());
    }

    // what python3 sends: byte i is (i * 131 + seed) & 0xFF
    static byte[] payload(final int size, final int seed)
    {
        final byte[] payload = new byte[size];
        for (int i = 0; i < size; i++)
        {
            payload[i] = (byte)(i * 131 + seed);
        }
        return payload;
    }

    private static void pythonSend(final UdpHosts hosts, final int size, final int seed) throws Exception
    {
        final String script = String.join("\n",
            "import socket, sys",
            "n, seed = int(sys.argv[3]), int(sys.argv[4])",
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "s.sendto(bytes((i * 131 + seed) & 0xFF for i in range(n)), (sys.argv[1], int(sys.argv[2])))");
        final Process process = new ProcessBuilder(hosts.fixture.commandIn(hosts.b, List.of("python3", "-c", script,
            hosts.a.address(), Integer.toString(A_PORT), Integer.toString(size), Integer.toString(seed))))
            .redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("python3 sender timed out");
        }
        assertEquals(0, process.exitValue(), new String(process.getInputStream().readAllBytes()));
    }

    // B's kernel would fragment the same way: 1480 payload bytes per fragment, the UDP checksum over the whole
    private static List<UnsafeBuffer> fragments(final UdpHosts hosts, final byte[] payload, final int id)
    {
        final UdpFrameBuilder builder = new UdpFrameBuilder()
            .macs(EthernetHeaderFlyweight.parseMac(hosts.b.mac()), EthernetHeaderFlyweight.parseMac(hosts.a.mac()))
            .source(Ipv4Flyweight.parseAddress(hosts.b.address()), B_PORT)
            .destination(Ipv4Flyweight.parseAddress(hosts.a.address()), A_PORT)
            .dontFragment(false);
        final Ipv4Fragmenter fragmenter = new Ipv4Fragmenter();
        final int length = builder.write(fragmenter.datagram(), 0, new UnsafeBuffer(payload), 0, payload.length);
        new Ipv4Flyweight().wrap(fragmenter.datagram(), 14).id(id);
        final int chunk = Ipv4Fragmenter.fragmentPayloadBytes(1500, 20);
        final UnsafeBuffer[] fragments = new UnsafeBuffer[Ipv4Fragmenter.fragmentCount(length - 34, chunk)];
        for (int i = 0; i < fragments.length; i++)
        {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[1514]);
            fragments[i] = new UnsafeBuffer(frame, 0,
                fragmenter.writeFragment(fragmenter.datagram(), 0, 14, i, chunk, frame, 0));
        }
        return List.of(fragments);
    }

    // the fragments put in the port's ring while the stage is held, then the stage let go: the stage takes them in
    // one RX poll, so the injecting thread off its CPU for longer than the 100 ms reassembly timeout between two
    // fragments (a loaded machine) does not expire the datagram half-way
    private static void injectWhileStageHeld(
        final UdpHosts hosts, final RawFrameInjector injector, final List<UnsafeBuffer> fragments) throws Exception
    {
        try (StageStall ignored = StageStall.begin(hosts.runtime))
        {
            final long before = hosts.ipReceivedInA();
            for (final UnsafeBuffer fragment : fragments)
            {
                inject(hosts, injector, fragment);
            }
            hosts.awaitIpReceivedInA(before, fragments.size());
        }
    }

    private static void inject(final UdpHosts hosts, final RawFrameInjector injector, final UnsafeBuffer fragment)
        throws Exception
    {
        hosts.inB(() ->
        {
            injector.send(fragment, 0, fragment.capacity());
            return null;
        });
    }

    // stage: one datagram through the socket's OOB send (no send ring: its records stop at an eighth of the ring)
    private static final class StageSend extends StageCommand
    {
        private final OobSocket socket;
        private final int address;
        private final int port;
        private final byte[] payload;

        StageSend(final OobSocket socket, final int address, final int port, final byte[] payload)
        {
            this.socket = socket;
            this.address = address;
            this.port = port;
            this.payload = payload;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            return UdpSockets.oobSendTo(socket, new UnsafeBuffer(new byte[UdpAddressHeader.LENGTH + payload.length]),
                address, port, new UnsafeBuffer(payload), 0, payload.length);
        }
    }
}
