package org.oobnet.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.oobnet.config.InterfaceConfig;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.core.counters.SocketCounters;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.IpCommand;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.netns.testing.Privileges;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.packet.stats.PacketCounters;
import org.oobnet.udp.frame.Ipv4Flyweight;
import org.oobnet.udp.transport.KernelBusyPollTransport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every datagram is accounted for where the packet transport can lose it: at a full RX ring (the kernel's drops,
 * read from {@code PACKET_STATISTICS} into the port's counters), in a TX ring the kernel refuses while the link is
 * down (held and sent once it is up, or counted when the stack closes first), in an RX ring nobody polled when the
 * stack closed or before its first socket (given back unread, never delivered late), and in the kernel transport's
 * last batch at close. Host A runs the OOB stack, host B a kernel UDP
 * socket; the stage is held with a task where the test needs it to fall behind.
 */
class UdpLossAccountingTest
{
    private static final int A_PORT = 5000;
    private static final int B_PORT = 6000;
    private static final int RX_FRAMES = 64;
    private static final int TX_FRAMES = 32;
    private static final int PAYLOAD = 32;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    @Test
    void shouldCountRxRingOverflowAsKernelDropsWhenReceiverFallsBehind() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(packetPort(RX_FRAMES, TX_FRAMES)))
        {
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            final PacketCounters port = hosts.stack.ports().get(0).packetCounters();
            final DatagramChannel sender = kernelSocketInB(hosts, false);
            final int burst = 200;

            burstWhileStageHeld(hosts, sender, burst);
            final List<Integer> received = new ArrayList<>();
            awaitReceived(socket, received, RX_FRAMES, "the ring's " + RX_FRAMES + " frames");

            // the next frame is the first the kernel stores after dropping: flagged TP_STATUS_LOSING, it makes the
            // stage read PACKET_STATISTICS
            send(hosts, sender, burst);
            awaitAccounted(socket, port, received, burst + 1);

            assertEquals(burst - RX_FRAMES, port.get(PacketCounter.KERNEL_DROPS), "the burst beyond the ring");
            assertEquals(0, socket.counters().dropsRingFull().get(), "the socket's receive ring had room");
            final List<Integer> expected = new ArrayList<>(IntStream.range(0, RX_FRAMES).boxed().toList());
            expected.add(burst);
            assertEquals(expected, received, "the ring's frames in order, then the one after the loss");
        }
    }

    @Test
    void shouldShowRxRingDropsWithoutALaterFrameOrCloseWhenTrafficStopsAfterOverflow() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(packetPort(RX_FRAMES, TX_FRAMES)))
        {
            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            final PacketCounters port = hosts.stack.ports().get(0).packetCounters();
            final DatagramChannel sender = kernelSocketInB(hosts, false);
            final int burst = 150;

            burstWhileStageHeld(hosts, sender, burst);
            // no frame comes after the loss, so none is flagged TP_STATUS_LOSING, and the stack stays open: the
            // stage reads the drops once it drained the ring it saw full (before: only at close)
            final List<Integer> received = new ArrayList<>();
            final long releasedNs = System.nanoTime();
            awaitAccounted(socket, port, received, burst);
            final long visibleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - releasedNs);

            assertEquals(burst - RX_FRAMES, port.get(PacketCounter.KERNEL_DROPS), "the burst beyond the ring: " + port);
            assertEquals(IntStream.range(0, RX_FRAMES).boxed().toList(), received, "the ring's frames, in order");
            assertEquals(0, socket.counters().dropsRingFull().get(), "the socket's receive ring had room");
            // the bound: a health check or a refresh would be tens of ms; this is the stage's next cycles (a loaded
            // machine's scheduling aside)
            assertTrue(visibleMs < 2_000, "drops visible " + visibleMs + " ms after the stage was let go");

            hosts.closeSocketsAndStack();
            assertEquals(burst - RX_FRAMES, port.get(PacketCounter.KERNEL_DROPS), "none more at close: " + port);
        }
    }

    @Test
    void shouldCountFramesLeftInThePortsRxRingWhenStackClosed() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(packetPort(RX_FRAMES, TX_FRAMES)))
        {
            // no OOB socket: the port is not on the stage, nothing polls its RX ring, which takes every UDP frame
            final PacketCounters port = hosts.stack.ports().get(0).packetCounters();
            final DatagramChannel sender = kernelSocketInB(hosts, false);
            // A's kernel socket gets each datagram after the port's ETH_P_ALL tap put it in the ring
            final DatagramChannel listener = hosts.closeLater(hosts.inA(() ->
                DatagramChannel.open().bind(new InetSocketAddress(hosts.a.address(), A_PORT))));
            listener.configureBlocking(false);
            final int sent = 20;
            for (int sequence = 0; sequence < sent; sequence++)
            {
                send(hosts, sender, sequence);
            }
            final List<Integer> heard = new ArrayList<>();
            awaitPeerReceived(listener, heard, sent, "A's kernel socket");

            hosts.closeSocketsAndStack();

            assertEquals(sent, port.get(PacketCounter.RX_UNREAD_AT_CLOSE), port.toString());
            assertEquals(0, port.get(PacketCounter.FRAMES_IN), port.toString());
            assertEquals(0, port.get(PacketCounter.KERNEL_DROPS), port.toString());
        }
    }

    @Test
    void shouldDiscardAndCountWhatWaitedInThePortsRingWhenTheFirstSocketPutsItOnTheStage() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(packetPort(RX_FRAMES, TX_FRAMES)))
        {
            // no OOB socket yet: the port is off the stage and its ring takes every UDP frame of the interface
            final PacketCounters port = hosts.stack.ports().get(0).packetCounters();
            final DatagramChannel sender = kernelSocketInB(hosts, false);
            final DatagramChannel listener = hosts.inA(() ->
                DatagramChannel.open().bind(new InetSocketAddress(hosts.a.address(), A_PORT)));
            listener.configureBlocking(false);
            final int stale = 20;
            for (int sequence = 0; sequence < stale; sequence++)
            {
                send(hosts, sender, sequence);
            }
            // A's kernel socket gets each datagram after the port's tap put it in the ring: all are in the ring
            awaitPeerReceived(listener, new ArrayList<>(), stale, "A's kernel socket");
            listener.close(); // the port becomes the OOB socket's

            final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
            assertEquals(stale, port.get(PacketCounter.RX_STALE_DISCARDED), "given back unread: " + port);
            final List<Integer> fresh = IntStream.range(100, 105).boxed().toList();
            for (final int sequence : fresh)
            {
                send(hosts, sender, sequence);
            }
            final List<Integer> received = new ArrayList<>();
            awaitReceived(socket, received, fresh.size(), "the datagrams sent once the socket existed");
            assertEquals(fresh, received, "none of what arrived before the socket existed");
            assertEquals(fresh.size(), port.get(PacketCounter.FRAMES_IN), port.toString());
            assertEquals(stale, port.get(PacketCounter.RX_STALE_DISCARDED), port.toString());
        }
    }

    @Test
    void shouldDeliverEveryDatagramSentWhileThePeerLinkWasDown() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(packetPort(RX_FRAMES, TX_FRAMES)))
        {
            final OobSocket socket = senderInA(hosts);
            final PacketCounters port = hosts.stack.ports().get(0).packetCounters();
            final DatagramChannel peer = kernelSocketInB(hosts, true);
            final int bAddress = Ipv4Flyweight.parseAddress(hosts.b.address());
            final List<Integer> received = new ArrayList<>();

            sendTo(socket, bAddress, 0);
            awaitPeerReceived(peer, received, 1, "the first datagram, link up");
            assertEquals(1, UdpSockets.state(socket).fastSends(), "packet transport, fast path");

            link(hosts.b, "down");
            // more than the TX ring holds: the rest waits in the socket's send ring
            final int offered = 3 * TX_FRAMES;
            for (int sequence = 1; sequence <= offered; sequence++)
            {
                assertEquals(0, sendTo(socket, bAddress, sequence), "offered " + sequence);
            }
            await(() -> port.get(PacketCounter.FRAMES_OUT) == 1 + TX_FRAMES &&
                port.get(PacketCounter.SOCKET_ERRORS) > 0, () -> "TX ring full of frames the kernel refused: " + port);
            assertTrue(socket.sendQueuedBytes() > 0, "the rest waits in the send ring");
            assertNull(receiveOne(peer), "nothing crosses a link that is down");

            // the stage is held while B comes up: a kick between B's carrier and B's routes coming back would
            // lose a datagram in B's IP stack, not here
            try (StageStall ignored = StageStall.begin(hosts.runtime))
            {
                link(hosts.b, "up");
            }

            awaitPeerReceived(peer, received, 1 + offered, "every datagram once the link is back; " + port);
            assertEquals(IntStream.rangeClosed(0, offered).boxed().toList(), received, "each once, in order");
            Thread.sleep(100);
            assertNull(receiveOne(peer), "no duplicate");
            assertEquals(1 + offered, port.get(PacketCounter.FRAMES_OUT), port.toString());

            hosts.closeSocketsAndStack();
            assertEquals(0, port.get(PacketCounter.TX_UNSENT_AT_CLOSE), port.toString());
            assertEquals(0, socket.counters().dropsClosed().get(), describe(socket.counters()));
        }
    }

    @Test
    void shouldCountTxFramesUnsentWhenStackClosedWhileLinkDown() throws Exception
    {
        try (UdpHosts hosts = new UdpHosts(packetPort(RX_FRAMES, TX_FRAMES)))
        {
            final OobSocket socket = senderInA(hosts);
            final PacketCounters port = hosts.stack.ports().get(0).packetCounters();
            final DatagramChannel peer = kernelSocketInB(hosts, true);
            final int bAddress = Ipv4Flyweight.parseAddress(hosts.b.address());

            link(hosts.b, "down");
            final int offered = 10;
            for (int sequence = 0; sequence < offered; sequence++)
            {
                assertEquals(0, sendTo(socket, bAddress, sequence), "offered " + sequence);
            }
            await(() -> port.get(PacketCounter.FRAMES_OUT) == offered && port.get(PacketCounter.SOCKET_ERRORS) > 0,
                () -> "frames in the TX ring, kick refused: " + port);

            hosts.closeSocketsAndStack();

            assertEquals(offered, port.get(PacketCounter.TX_UNSENT_AT_CLOSE), port.toString());
            assertEquals(0, socket.counters().dropsClosed().get(),
                "none left in the send ring: " + describe(socket.counters()));
            // they really were never sent: the ring went with the port
            link(hosts.b, "up");
            Thread.sleep(300);
            assertNull(receiveOne(peer), "a datagram the port counted as unsent arrived");
        }
    }

    @Test
    void shouldCountKernelTransportBatchStillQueuedAsDropsClosedWhenSocketClosed() throws Exception
    {
        final String tc = IpCommand.which("tc");
        if (null == tc)
        {
            if (Privileges.isPrivilegeRequired())
            {
                fail("tc (iproute2) is not installed");
            }
            Assumptions.abort("tc (iproute2) is not installed");
        }
        try (UdpHosts hosts = new UdpHosts(UdpTransport.KERNEL))
        {
            final OobSocket socket = senderInA(hosts);
            final DatagramChannel peer = kernelSocketInB(hosts, true);
            final int bAddress = Ipv4Flyweight.parseAddress(hosts.b.address());
            // a slow qdisc holds what the kernel took, charged to the socket's small send buffer: the kernel soon
            // refuses more (EAGAIN) and the transport's batch stays full
            hosts.inA(() ->
            {
                socket.ksocket().setOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_SNDBUF, 4096);
                return null;
            });
            IpCommand.exec(List.of(tc, "-n", hosts.a.namespace(), "qdisc", "replace", "dev", hosts.a.interfaceName(),
                "root", "tbf", "rate", "16kbit", "burst", "1600", "limit", "1000000"));
            final int offered = 200;
            for (int sequence = 0; sequence < offered; sequence++)
            {
                assertEquals(0, sendTo(socket, bAddress, sequence), "offered " + sequence);
            }
            final KernelBusyPollTransport kernel = UdpSockets.state(socket).kernelTransport();
            await(() -> kernel.pending() == hosts.stack.config().kernelBatch(),
                () -> "the kernel transport's batch full of datagrams the kernel does not take; " + kernel.pending() +
                    " pending, " + describe(socket.counters()));

            hosts.closeSocketsAndStack();

            // packets out counts what the stage moved into the batch; the send ring's rest was counted as drops
            // closed by the core, and what the batch still held after its last flush by the protocol
            final long dropsClosed = socket.counters().dropsClosed().get();
            final long leftInSendRing = offered - socket.counters().packetsOut().get();
            assertEquals(kernel.pending(), dropsClosed - leftInSendRing,
                "the batch the kernel still refused at close, counted: " + describe(socket.counters()));
            assertTrue(kernel.pending() > 0, "the qdisc still held the send buffer at close");
            // what the kernel took drains through the qdisc to B
            final List<Integer> received = new ArrayList<>();
            awaitPeerReceived(peer, received, (int)(offered - dropsClosed),
                "received + drops closed == offered; " + describe(socket.counters()));
            assertEquals(IntStream.range(0, received.size()).boxed().toList(), received, "in order, each once");
            Thread.sleep(300);
            assertNull(receiveOne(peer), "more arrived than the counters say: " + describe(socket.counters()));
        }
    }

    private static String describe(final SocketCounters counters)
    {
        return "packets in=" + counters.packetsIn().get() + " packets out=" + counters.packetsOut().get() +
            " drops ring full=" + counters.dropsRingFull().get() + " drops closed=" + counters.dropsClosed().get() +
            " send ring full=" + counters.sendRingFull().get();
    }

    private static Function<String, UdpStackConfig> packetPort(final int rxFrames, final int txFrames)
    {
        return name -> new UdpStackConfig(UdpTransport.PACKET, List.of(new InterfaceConfig(name, rxFrames, 2048,
            txFrames, true)), UdpStackConfig.DEFAULT_KERNEL_BATCH, UdpStackConfig.DEFAULT_RX_POLL_LIMIT, true,
            UdpStackConfig.DEFAULT_REFRESH_INTERVAL_MS);
    }

    // an OOB socket in A that reaches B on the fast path without ARP (the link will go down)
    private static OobSocket senderInA(final UdpHosts hosts) throws Exception
    {
        final OobSocket socket = hosts.oobSocket(hosts.a.address(), A_PORT);
        permanentNeighbour(hosts.a, hosts.b);
        UdpSockets.solicit(socket, Ipv4Flyweight.parseAddress(hosts.b.address()), true);
        return socket;
    }

    // a kernel UDP socket in B; A's MAC is known without ARP
    private static DatagramChannel kernelSocketInB(final UdpHosts hosts, final boolean nonBlocking) throws Exception
    {
        permanentNeighbour(hosts.b, hosts.a);
        final DatagramChannel channel = hosts.closeLater(hosts.inB(() ->
            DatagramChannel.open().bind(new InetSocketAddress(hosts.b.address(), B_PORT))));
        channel.configureBlocking(!nonBlocking);
        return channel;
    }

    private static void permanentNeighbour(final NetnsFixture.Host in, final NetnsFixture.Host of)
    {
        IpCommand.run("-n", in.namespace(), "neigh", "replace", of.address(), "lladdr", of.mac(), "dev",
            in.interfaceName(), "nud", "permanent");
    }

    private static void link(final NetnsFixture.Host host, final String state)
    {
        IpCommand.run("-n", host.namespace(), "link", "set", host.interfaceName(), state);
    }

    // datagrams 0..count-1 from B while the stage is held: A's RX ring fills, the kernel drops the rest
    private static void burstWhileStageHeld(final UdpHosts hosts, final DatagramChannel sender, final int count)
        throws Exception
    {
        try (StageStall ignored = StageStall.begin(hosts.runtime))
        {
            final long before = hosts.ipReceivedInA();
            for (int sequence = 0; sequence < count; sequence++)
            {
                send(hosts, sender, sequence);
            }
            // the sends return once B handed the frames to the veth; A's softirq may still be queueing them
            hosts.awaitIpReceivedInA(before, count);
        }
    }

    private static void send(final UdpHosts hosts, final DatagramChannel sender, final int sequence) throws Exception
    {
        final ByteBuffer payload = ByteBuffer.allocate(PAYLOAD).order(ByteOrder.BIG_ENDIAN).putInt(0, sequence);
        assertEquals(PAYLOAD, (int)hosts.inB(() ->
            sender.send(payload, new InetSocketAddress(hosts.a.address(), A_PORT))));
    }

    private static int sendTo(final OobSocket socket, final int address, final int sequence)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD]);
        payload.putInt(0, sequence, ByteOrder.BIG_ENDIAN);
        return UdpSockets.sendTo(socket, address, B_PORT, payload, 0, PAYLOAD);
    }

    private static void pollInto(final OobSocket socket, final List<Integer> received)
    {
        socket.poll((s, buffer, offset, length) ->
            received.add(buffer.getInt(offset + UdpAddressHeader.LENGTH, ByteOrder.BIG_ENDIAN)), 256);
    }

    private static void awaitReceived(
        final OobSocket socket, final List<Integer> received, final int count, final String what) throws Exception
    {
        await(() ->
        {
            pollInto(socket, received);
            return received.size() >= count;
        }, () -> what + ": received " + received.size() + " " + describe(socket.counters()));
    }

    // every datagram sent to the socket received or counted dropped (kernel ring drops, socket's ring full)
    private static void awaitAccounted(
        final OobSocket socket, final PacketCounters port, final List<Integer> received, final int sent) throws Exception
    {
        await(() ->
        {
            pollInto(socket, received);
            return received.size() + port.get(PacketCounter.KERNEL_DROPS) +
                socket.counters().dropsRingFull().get() == sent;
        }, () -> "received " + received.size() + " + kernel drops + ring full == " + sent + ": " + port + " " +
            describe(socket.counters()));
    }

    private static Integer receiveOne(final DatagramChannel peer) throws Exception
    {
        final ByteBuffer in = ByteBuffer.allocate(2048);
        if (null == peer.receive(in))
        {
            return null;
        }
        assertEquals(PAYLOAD, in.position(), "payload length");
        return in.getInt(0);
    }

    private static void awaitPeerReceived(
        final DatagramChannel peer, final List<Integer> received, final int count, final String what) throws Exception
    {
        await(() ->
        {
            Integer sequence;
            while (received.size() < count && null != (sequence = receiveOne(peer)))
            {
                received.add(sequence);
            }
            return received.size() >= count;
        }, () -> what + ": received " + received.size() + " of " + count);
    }

    private static void await(final Condition condition, final Description what) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        while (!condition.met())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out waiting for: " + what.describe());
            }
            Thread.sleep(1);
        }
    }

    @FunctionalInterface
    private interface Condition
    {
        boolean met() throws Exception;
    }

    @FunctionalInterface
    private interface Description
    {
        String describe() throws Exception;
    }
}
