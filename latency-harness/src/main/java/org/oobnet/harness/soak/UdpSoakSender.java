package org.oobnet.harness.soak;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobSocket;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.udp.UdpAddressHeader;
import org.oobnet.udp.UdpSockets;
import org.oobnet.udp.frame.Ipv4Flyweight;

/**
 * The sending side of a {@link UdpSoakPeer} (namespace A): offers the three streams at a fixed rate, or as fast
 * as the send rings take them during a {@code burst}; a refused offer is retried, never skipped. {@code churn N}
 * opens, binds and closes N OOB UDP sockets.
 * <p>
 * <b>Note:</b> in-band; the commands from the peer's thread, the traffic on {@code soak-udp-sender}.
 */
final class UdpSoakSender implements UdpPeerSide
{
    private static final int PAYLOAD = 46;

    private final int ratePerSecond;
    private final UdpPeerBooks books;
    private final long firstPacketSequence;
    private final long firstKernelSequence;
    private final long firstMcastSequence;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger burst = new AtomicInteger();
    private Thread traffic;

    UdpSoakSender(final int ratePerSecond, final UdpPeerBooks books, final long firstPacketSequence,
        final long firstKernelSequence, final long firstMcastSequence)
    {
        this.ratePerSecond = ratePerSecond;
        this.books = books;
        this.firstPacketSequence = firstPacketSequence;
        this.firstKernelSequence = firstKernelSequence;
        this.firstMcastSequence = firstMcastSequence;
    }

    @Override
    public void bind(final UdpSoakSockets sockets) throws Exception
    {
        sockets.packet().bind(new InetSocketAddress(SoakNetwork.A_ADDRESS, 0));
        sockets.packet().connect(new InetSocketAddress(SoakNetwork.B_ADDRESS, UdpSoakPeer.PACKET_PORT));
        // ENOBUFS from a veth whose peer is down is returned, not swallowed (the transport retries it)
        sockets.kernel().setOption(SocketConstants.SOL_IP, SocketConstants.IP_RECVERR, 1);
        sockets.kernel().bind(new InetSocketAddress(SoakNetwork.A2_ADDRESS, 0));
        sockets.kernel().connect(new InetSocketAddress(SoakNetwork.B2_ADDRESS, UdpSoakPeer.KERNEL_PORT));
        // the group's datagrams leave by pair four; no copy looped back to A (no member there)
        sockets.mcast().bind(new InetSocketAddress(SoakNetwork.A4_ADDRESS, 0));
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment address = arena.allocate(4, 4);
            address.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 0,
                Ipv4Flyweight.parseAddress(SoakNetwork.A4_ADDRESS));
            sockets.mcast().setOption(SocketConstants.SOL_IP, SocketConstants.IP_MULTICAST_IF, address);
        }
        sockets.mcast().setOption(SocketConstants.SOL_IP, SocketConstants.IP_MULTICAST_LOOP, 0);
    }

    @Override
    public void start(final UdpSoakSockets sockets)
    {
        final Outgoing[] streams = {
            new Outgoing(sockets.packetOob(), books.packet, UdpSoakPeer.PACKET_STREAM, firstPacketSequence, 0, 0),
            new Outgoing(sockets.kernelOob(), books.kernel, UdpSoakPeer.KERNEL_STREAM, firstKernelSequence, 0, 0),
            new Outgoing(sockets.mcastOob(), books.mcast, UdpSoakPeer.MCAST_STREAM, firstMcastSequence,
                Ipv4Flyweight.parseAddress(UdpSoakPeer.MCAST_GROUP), UdpSoakPeer.MCAST_PORT) };
        traffic = new Thread(() -> send(streams), "soak-udp-sender");
        traffic.setDaemon(true);
        traffic.start();
    }

    @Override
    public void command(final String command, final long argument) throws Exception
    {
        switch (command)
        {
            case "burst" ->
            {
                burst.set((int)argument);
                final long deadline = System.nanoTime() + 5_000_000_000L;
                while (burst.get() > 0 && System.nanoTime() - deadline < 0)
                {
                    LockSupport.parkNanos(1_000_000L);
                }
                burst.set(0);
            }
            case "churn" -> churn((int)argument);
            // the sender has no receiving to stall: the command takes its time and nothing else
            case "stall" -> LockSupport.parkNanos(argument * 1_000_000L);
            default -> throw new IllegalArgumentException("command=" + command + " is not one of stall, burst, churn");
        }
    }

    @Override
    public void stop(final UdpSoakSockets sockets, final UdpPeerBooks books) throws Exception
    {
        running.set(false);
        traffic.join(5_000);
        awaitSent(sockets.packetOob(), sockets.kernelOob(), sockets.mcastOob());
        books.accountSender(sockets);
    }

    // OOB UDP sockets opened, bound to an ephemeral port (a kernel port reserved, a demux entry), closed
    private static void churn(final int count) throws Exception
    {
        for (int i = 0; i < count; i++)
        {
            final KSocket socket = UdpSockets.open(i % 2 == 0 ? UdpTransport.PACKET : UdpTransport.KERNEL);
            try
            {
                socket.bind(new InetSocketAddress(i % 2 == 0 ? SoakNetwork.A_ADDRESS : SoakNetwork.A2_ADDRESS, 0));
            }
            finally
            {
                socket.close();
            }
        }
    }

    private void send(final Outgoing[] streams)
    {
        final long intervalNs = 1_000_000_000L / ratePerSecond;
        long nextNs = System.nanoTime();
        while (running.get())
        {
            final boolean bursting = burst.get() > 0;
            boolean due = false;
            for (final Outgoing stream : streams)
            {
                due |= stream.due;
            }
            if (!bursting && !due)
            {
                final long waitNs = nextNs - System.nanoTime();
                if (waitNs > 0)
                {
                    LockSupport.parkNanos(waitNs);
                    continue;
                }
                nextNs += intervalNs;
                for (final Outgoing stream : streams)
                {
                    stream.due = true;
                }
            }
            boolean refused = false;
            for (final Outgoing stream : streams)
            {
                if (bursting || stream.due)
                {
                    refused |= !stream.offer();
                }
            }
            if (bursting)
            {
                burst.decrementAndGet();
                Thread.yield();
            }
            else if (refused)
            {
                // a full send ring (a link held down): retried after a short pause, never skipped
                LockSupport.parkNanos(100_000L);
            }
        }
    }

    private static void awaitSent(final OobSocket packetSocket, final OobSocket kernelSocket,
        final OobSocket mcastSocket)
    {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while ((packetSocket.sendQueuedBytes() > 0 || kernelSocket.sendQueuedBytes() > 0 ||
            mcastSocket.sendQueuedBytes() > 0) && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(1_000_000L);
        }
        // the stage's last cycle kicks the TX ring and the kernel batch
        LockSupport.parkNanos(100_000_000L);
    }

    /** One stream's sending side: its socket, books and next sequence. */
    private static final class Outgoing
    {
        private final OobSocket socket;
        private final StreamLedger ledger;
        private final int stream;
        private final long firstSequence;
        private final SoakMessage message = new SoakMessage();
        private final UnsafeBuffer record = new UnsafeBuffer(new byte[256]);
        private long sequence;
        boolean due;

        /**
         * @param address the destination (host order), 0 for the connected peer.
         * @param port    the destination port, 0 for the connected peer.
         */
        Outgoing(final OobSocket socket, final StreamLedger ledger, final int stream, final long firstSequence,
            final int address, final int port)
        {
            this.socket = socket;
            this.ledger = ledger;
            this.stream = stream;
            this.firstSequence = firstSequence;
            this.sequence = firstSequence;
            UdpAddressHeader.write(record, 0, address, port);
        }

        // the next message, offered once: true when the send ring took it
        boolean offer()
        {
            final int length = UdpAddressHeader.LENGTH +
                message.write(record, UdpAddressHeader.LENGTH, stream, sequence, PAYLOAD);
            if (socket.offer(record, 0, length) >= 0)
            {
                sequence++;
                ledger.sent = sequence - firstSequence;
                due = false;
                return true;
            }
            ledger.refused++;
            return false;
        }
    }
}
