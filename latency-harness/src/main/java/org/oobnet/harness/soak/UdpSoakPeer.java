package org.oobnet.harness.soak;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.udp.PacketPort;
import org.oobnet.udp.UdpAddressHeader;
import org.oobnet.udp.UdpSockets;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;
import org.oobnet.udp.frame.DropReason;
import org.oobnet.udp.frame.Ipv4Flyweight;
import org.oobnet.udp.transport.KernelBusyPollTransport;

/**
 * One side of the soak's three oob-udp streams, run in a child JVM inside its namespace (the OOB hooks are one per
 * JVM and a {@link UdpStack} serves one namespace): in A the sender offers every stream at a fixed rate, in B the
 * receiver checks every message. Stream {@value #PACKET_STREAM} uses the packet transport over pair one, stream
 * {@value #KERNEL_STREAM} the kernel busy-poll transport over pair two, stream {@value #MCAST_STREAM} multicast to
 * group {@value #MCAST_GROUP} over pair four (packet transport), which the receiver leaves for
 * {@value #LEFT_MS} ms every {@value #JOINED_MS} ms under traffic: what arrives while it is out is counted by B's
 * port as not joined.
 * <p>
 * Commands arrive on standard input, one per line: {@code stall MS} (receiver), {@code burst N} and
 * {@code churn N} (sender), {@code stop}. Answers on standard output: {@code READY} once the sockets are open,
 * {@code DONE <command>} after each command, and at {@code stop} one {@code RESULT <json>} line with each stream's
 * counts, every drop under its reason, and the process's resources before and after. End of input stops the peer
 * too (the parent went away).
 * <p>
 * <b>Note:</b> in-band; threads: the command reader (this one), one traffic thread, the OOB stage.
 */
// FIXME(issue 18): over 400 lines: split the sender, the receiver and the accounting (accountSender,
// accountReceiver) into classes of their own.
public final class UdpSoakPeer
{
    static final int PACKET_PORT = 7101;
    static final int KERNEL_PORT = 7102;
    static final int PACKET_STREAM = 3;
    static final int KERNEL_STREAM = 4;
    static final int MCAST_PORT = 7103;
    static final int MCAST_STREAM = 5;
    static final String MCAST_GROUP = "239.251.103.1";
    static final long JOINED_MS = 400;
    static final long LEFT_MS = 100;
    private static final int PAYLOAD = 46;

    private final boolean sender;
    private final int ratePerSecond;
    private final PrintStream out;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean stalled = new AtomicBoolean();
    private final AtomicInteger burst = new AtomicInteger();
    private final StreamLedger packet = new StreamLedger("udp-packet", true);
    private final StreamLedger kernel = new StreamLedger("udp-kernel", true);
    private final StreamLedger mcast = new StreamLedger("udp-mcast", true);
    private long leaves;
    private long kernelAccepted;
    private long packetTapped;
    private long firstPacketSequence;
    private long firstKernelSequence;
    private long firstMcastSequence;

    public UdpSoakPeer(final boolean sender, final int ratePerSecond, final PrintStream out)
    {
        this.sender = sender;
        this.ratePerSecond = ratePerSecond;
        this.out = out;
    }

    /**
     * Where the sender's sequences start (they go on across the children of one soak).
     *
     * @param packetSequence the packet stream's first sequence.
     * @param kernelSequence the kernel stream's first sequence.
     * @param mcastSequence  the multicast stream's first sequence.
     * @return this.
     */
    public UdpSoakPeer firstSequences(final long packetSequence, final long kernelSequence, final long mcastSequence)
    {
        this.firstPacketSequence = packetSequence;
        this.firstKernelSequence = kernelSequence;
        this.firstMcastSequence = mcastSequence;
        return this;
    }

    /**
     * Runs until {@code stop} or end of input.
     *
     * @param in the commands.
     * @return 0 when the peer ran and reported.
     * @throws Exception when it could not set up.
     */
    public int run(final java.io.InputStream in) throws Exception
    {
        final Path countersDir = Files.createTempDirectory("oobnet-soak-peer-");
        SoakRun.warmUp(countersDir);
        final ProcessResources before = ProcessResources.awaitSettled();
        final String packetInterface = sender ? SoakNetwork.A_INTERFACE : SoakNetwork.B_INTERFACE;
        final String mcastInterface = sender ? SoakNetwork.A4_INTERFACE : SoakNetwork.B4_INTERFACE;
        final UdpStack stack = UdpStack.open(UdpStackConfig.of(UdpTransport.PACKET, packetInterface, mcastInterface));
        final List<PacketPort> ports = stack.ports();
        final OobRuntime runtime;
        try
        {
            runtime = OobRuntime.start(OobConfig.builder()
                .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
                .countersDir(countersDir)
                .countersValuesBytes(4 * 1024 * 1024)
                .build(), new ProtocolRegistry().register(SocketConstants.AF_INET, stack.protocol()));
        }
        catch (final RuntimeException ex)
        {
            stack.close();
            throw ex;
        }
        final Map<String, Object> result = new LinkedHashMap<>();
        final long stallsBefore;
        try
        {
            final KSocket packetSocket = UdpSockets.open(UdpTransport.PACKET);
            final KSocket kernelSocket = UdpSockets.open(UdpTransport.KERNEL);
            final KSocket mcastSocket = UdpSockets.open(UdpTransport.PACKET);
            final int group = Ipv4Flyweight.parseAddress(MCAST_GROUP);
            final int mcastAddress = Ipv4Flyweight.parseAddress(sender ? SoakNetwork.A4_ADDRESS : SoakNetwork.B4_ADDRESS);
            Thread membership = null;
            if (sender)
            {
                packetSocket.bind(new InetSocketAddress(SoakNetwork.A_ADDRESS, 0));
                packetSocket.connect(new InetSocketAddress(SoakNetwork.B_ADDRESS, PACKET_PORT));
                // ENOBUFS from a veth whose peer is down is returned, not swallowed (the transport retries it)
                kernelSocket.setOption(SocketConstants.SOL_IP, SocketConstants.IP_RECVERR, 1);
                kernelSocket.bind(new InetSocketAddress(SoakNetwork.A2_ADDRESS, 0));
                kernelSocket.connect(new InetSocketAddress(SoakNetwork.B2_ADDRESS, KERNEL_PORT));
                // the group's datagrams leave by pair four; no copy looped back to A (no member there)
                mcastSocket.bind(new InetSocketAddress(SoakNetwork.A4_ADDRESS, 0));
                try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined())
                {
                    final java.lang.foreign.MemorySegment address = arena.allocate(4, 4);
                    address.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN),
                        0, mcastAddress);
                    mcastSocket.setOption(SocketConstants.SOL_IP, SocketConstants.IP_MULTICAST_IF, address);
                }
                mcastSocket.setOption(SocketConstants.SOL_IP, SocketConstants.IP_MULTICAST_LOOP, 0);
            }
            else
            {
                packetSocket.bind(new InetSocketAddress(SoakNetwork.B_ADDRESS, PACKET_PORT));
                kernelSocket.bind(new InetSocketAddress(SoakNetwork.B2_ADDRESS, KERNEL_PORT));
                mcastSocket.bind(new InetSocketAddress(MCAST_GROUP, MCAST_PORT));
                UdpSockets.membership(mcastSocket, true, group, mcastAddress, 0);
                membership = new Thread(() -> leaveAndJoin(mcastSocket, group, mcastAddress), "soak-udp-membership");
                membership.setDaemon(true);
            }
            final OobSocket packetOob = OobSocket.of(packetSocket);
            final OobSocket kernelOob = OobSocket.of(kernelSocket);
            final OobSocket mcastOob = OobSocket.of(mcastSocket);
            stallsBefore = runtime.counters().stalls().get();
            final Thread traffic = new Thread(sender ? () -> send(packetOob, kernelOob, mcastOob, group) :
                () -> receive(packetOob, kernelOob, mcastOob), sender ? "soak-udp-sender" : "soak-udp-receiver");
            traffic.setDaemon(true);
            traffic.start();
            if (null != membership)
            {
                membership.start();
            }
            out.println("READY");

            commands(in);

            if (sender)
            {
                running.set(false);
                traffic.join(5_000);
                awaitSent(packetOob, kernelOob, mcastOob);
                accountSender(packetOob, kernelOob, packetSocket, kernelSocket);
                mcastSocket.close();
                mcast.dropSender(mcastOob.counters());
            }
            else
            {
                SoakRun.awaitQuiet(() -> packet.received + kernel.received + mcast.received, 300_000_000L);
                running.set(false);
                traffic.join(5_000);
                membership.join(5_000);
                accountReceiver(packetOob, kernelOob, packetSocket, kernelSocket);
                mcastSocket.close();
                mcast.note("of receive-full, the socket's receive ring was full", mcastOob.counters().dropsRingFull().get());
                mcast.note("times the receiver left the group and joined it again under traffic", leaves);
            }
            result.put("stageAlive", runtime.stageThread().isAlive());
            result.put("stageErrors", runtime.counters().errors().get());
            result.put("stalls", runtime.counters().stalls().get() - stallsBefore);
        }
        finally
        {
            runtime.close();
            stack.close();
            SoakRun.deleteTree(countersDir);
        }
        // the port counts at close what its TX ring still held and its RX ring's last drops; each pair's port
        // carries one stream
        for (final PacketPort port : ports)
        {
            final boolean pairOne = packetInterface.equals(port.name());
            final StreamLedger ledger = pairOne ? packet : mcast;
            if (sender)
            {
                ledger.dropPacketSender(port.packetCounters());
            }
            else
            {
                if (pairOne)
                {
                    packetTapped += SoakRun.tapped(port.packetCounters());
                }
                ledger.dropPacketReceiver(port.packetCounters());
                for (final DropReason reason : DropReason.values())
                {
                    if (reason != DropReason.NONE)
                    {
                        ledger.drop("receiver: " + reason.label(), port.drops().drops(reason));
                    }
                }
            }
        }
        final ProcessResources after = ProcessResources.awaitBack(before);
        result.put("descriptors", List.of(before.descriptors(), after.descriptors()));
        result.put("socketMappings", List.of(before.socketMappings(), after.socketMappings()));
        result.put("streams", List.of(PeerResult.of(packet), PeerResult.of(kernel), PeerResult.of(mcast)));
        result.put("kernelAccepted", kernelAccepted);
        result.put("packetTapped", packetTapped);
        out.println("RESULT " + new ObjectMapper().writeValueAsString(result));
        return 0;
    }

    private void commands(final java.io.InputStream in) throws Exception
    {
        final BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null)
        {
            final String[] words = line.trim().split("\\s+");
            switch (words[0])
            {
                case "stop" ->
                {
                    return;
                }
                case "stall" ->
                {
                    stalled.set(true);
                    LockSupport.parkNanos(Long.parseLong(words[1]) * 1_000_000L);
                    stalled.set(false);
                }
                case "burst" ->
                {
                    burst.set(Integer.parseInt(words[1]));
                    final long deadline = System.nanoTime() + 5_000_000_000L;
                    while (burst.get() > 0 && System.nanoTime() - deadline < 0)
                    {
                        LockSupport.parkNanos(1_000_000L);
                    }
                    burst.set(0);
                }
                case "churn" -> churn(Integer.parseInt(words[1]));
                default -> throw new IllegalArgumentException("command=" + line +
                    " is not one of stall MS, burst N, churn N, stop");
            }
            out.println("DONE " + words[0]);
        }
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

    // ---------------------------------------------------------------------------------------------------------
    // Sender

    private void send(final OobSocket packetSocket, final OobSocket kernelSocket, final OobSocket mcastSocket,
        final int group)
    {
        final Outgoing[] streams = {
            new Outgoing(packetSocket, packet, PACKET_STREAM, firstPacketSequence, 0, 0),
            new Outgoing(kernelSocket, kernel, KERNEL_STREAM, firstKernelSequence, 0, 0),
            new Outgoing(mcastSocket, mcast, MCAST_STREAM, firstMcastSequence, group, MCAST_PORT) };
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

    private void accountSender(final OobSocket packetOob, final OobSocket kernelOob, final KSocket packetSocket,
        final KSocket kernelSocket) throws org.oobnet.inband.ErrnoException
    {
        final KernelBusyPollTransport transport = UdpSockets.state(kernelOob).kernelTransport();
        kernel.drop("sender: refused by the kernel (sendmmsg)", null == transport ? 0 : transport.sendErrorCount());
        kernelAccepted = null == transport ? 0 : transport.acceptedCount();
        final long inband = UdpSockets.state(packetOob).inbandSends();
        packetSocket.close();
        kernelSocket.close();
        // read after close: what release found still queued
        packet.dropSender(packetOob.counters());
        kernel.dropSender(kernelOob.counters());
        if (inband > 0)
        {
            // not a drop, but beyond this soak's books: a message that took the kernel's path may be lost uncounted
            packet.note("sent through the kernel's in-band path (route or neighbour cache miss)", inband);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Receiver

    private void receive(final OobSocket packetSocket, final OobSocket kernelSocket, final OobSocket mcastSocket)
    {
        final SoakMessage check = new SoakMessage();
        final OobReceiveHandler onPacket = (socket, buffer, offset, length) -> onRecord(packet, PACKET_STREAM, check,
            buffer, offset, length);
        final OobReceiveHandler onKernel = (socket, buffer, offset, length) -> onRecord(kernel, KERNEL_STREAM, check,
            buffer, offset, length);
        final OobReceiveHandler onMcast = (socket, buffer, offset, length) -> onRecord(mcast, MCAST_STREAM, check,
            buffer, offset, length);
        while (running.get())
        {
            if (stalled.get())
            {
                LockSupport.parkNanos(1_000_000L);
                continue;
            }
            final int work = packetSocket.poll(onPacket, 256) + kernelSocket.poll(onKernel, 256) +
                mcastSocket.poll(onMcast, 256);
            if (0 == work)
            {
                LockSupport.parkNanos(50_000L);
            }
        }
        // what the stage already queued is taken before the books are read
        while (packetSocket.poll(onPacket, 256) + kernelSocket.poll(onKernel, 256) + mcastSocket.poll(onMcast, 256) > 0)
        {
            Thread.onSpinWait();
        }
    }

    // membership churn under traffic: out of the group for LEFT_MS every JOINED_MS, back in at the end; B's port
    // counts what arrives meanwhile as not joined
    private void leaveAndJoin(final KSocket socket, final int group, final int interfaceAddress)
    {
        try
        {
            while (running.get())
            {
                LockSupport.parkNanos(JOINED_MS * 1_000_000L);
                UdpSockets.membership(socket, false, group, interfaceAddress, 0);
                leaves++;
                LockSupport.parkNanos(LEFT_MS * 1_000_000L);
                UdpSockets.membership(socket, true, group, interfaceAddress, 0);
            }
        }
        catch (final org.oobnet.inband.ErrnoException ex)
        {
            throw new IllegalStateException("soak multicast membership: " + ex.getMessage(), ex);
        }
    }

    private static void onRecord(final StreamLedger ledger, final int stream, final SoakMessage check,
        final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        final int message = offset + UdpAddressHeader.LENGTH;
        if (length < UdpAddressHeader.LENGTH + SoakMessage.HEADER_LENGTH)
        {
            ledger.corrupt++;
            return;
        }
        ledger.onReceived(SoakMessage.sequence(buffer, message),
            SoakMessage.stream(buffer, message) == stream && check.isIntact(buffer, message, length - UdpAddressHeader.LENGTH));
    }

    private void accountReceiver(final OobSocket packetOob, final OobSocket kernelOob, final KSocket packetSocket,
        final KSocket kernelSocket) throws org.oobnet.inband.ErrnoException
    {
        final KernelBusyPollTransport transport = UdpSockets.state(kernelOob).kernelTransport();
        kernel.drop("receiver: truncated", null == transport ? 0 : transport.truncatedCount());
        kernel.drop("receiver: kernel socket buffer full (SO_MEMINFO drops)", kernelSocketDrops(kernelSocket));
        packetSocket.close();
        kernelSocket.close();
        // the packet transport's port counts every datagram its socket could not take (receive-full: the ring was
        // full, the socket not on the stage, or shut for reading), so that socket's own drops are not added again
        packet.note("of receive-full, the socket's receive ring was full", packetOob.counters().dropsRingFull().get());
        kernel.dropReceiver(kernelOob.counters());
    }

    // the kernel's drops on the kernel transport's socket (its receive buffer was full: the stage fell behind)
    private static long kernelSocketDrops(final KSocket socket)
    {
        try
        {
            return UdpSockets.kernelReceiveDrops(socket);
        }
        catch (final org.oobnet.inband.ErrnoException ex)
        {
            throw new IllegalStateException("getsockopt(SO_MEMINFO) on the kernel transport's socket: " +
                ex.getMessage(), ex);
        }
    }

    /** One stream's books as the child reports them. */
    record PeerResult(String stream, long sent, long refused, long received, long corrupt, long duplicates,
        long reordered, Map<String, Long> drops, Map<String, Long> notes, String gaps)
    {
        static PeerResult of(final StreamLedger ledger)
        {
            return new PeerResult(ledger.name, ledger.sent, ledger.refused, ledger.received, ledger.corrupt,
                ledger.duplicates, ledger.reordered, ledger.drops, ledger.notes, ledger.gaps(8));
        }
    }
}
