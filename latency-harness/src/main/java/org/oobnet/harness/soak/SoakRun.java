package org.oobnet.harness.soak;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.OobConfig;
import org.oobnet.core.RuntimeStage;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.core.bus.OobBusAddress;
import org.oobnet.core.bus.OobBusProtocol;
import org.oobnet.packet.port.InterfaceInfo;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SockAddr;
import org.oobnet.inband.SocketConstants;
import org.oobnet.packet.PacketConfig;
import org.oobnet.packet.PacketProtocol;
import org.oobnet.packet.PacketSocketState;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.packet.stats.PacketCounters;

/**
 * One soak: two namespaces, traffic at a fixed rate on the AF_OOB bus and on oob-packet between the
 * namespaces, each message carrying stream id, sequence and payload checksum; faults injected on a schedule
 * (socket churn by the thousand, a stalled receiver, bursts that overflow the rings, the receiving link taken down
 * and up, the veth pair deleted and recreated); at the end every stream's books must balance exactly and the
 * process must hold the descriptors and mappings it held before.
 * <p>
 * <b>Note:</b> in-band; one run per instance. Threads: this one (schedule, faults), one sender, one receiver,
 * the OOB stage.
 */
// FIXME(issue 18): over 400 lines: split into fault injection (schedule, churn, stall, burst, flap, recreate),
// traffic (send, receive) and ledger accounting (accountBus, accountUntapped); the table is SoakTable.
public final class SoakRun
{
    static final int ETHER_TYPE = 0x88b5;
    private static final int UDP_CHURN = 500;
    private static final long A_MAC = 0x020b05000001L;
    private static final long B_MAC = 0x020b05000002L;
    private static final int PAYLOAD = 46;
    private static final int BUS_STREAM = 1;
    private static final int PACKET_STREAM = 2;

    private final long durationNs;
    private final int ratePerSecond;
    private final PrintStream out;

    final StreamLedger bus = new StreamLedger("bus (AF_OOB, in-process)", true);
    final StreamLedger packet = new StreamLedger("packet (AF_PACKET rings, netns A->B)", true);
    final StreamLedger udpPacket = new StreamLedger("udp, packet transport (oob-udp, A->B)", true);
    final StreamLedger udpKernel = new StreamLedger("udp, kernel transport (oob-udp, A->B)", true);
    final StreamLedger udpMcast = new StreamLedger("udp multicast, joins and leaves (oob-udp, A->B)", true);
    final StreamLedger mold = new StreamLedger("moldudp64, lines A+B, 1% loss on B (feed socket, A->B)", true);
    final Map<String, AtomicInteger> faults = new java.util.TreeMap<>();
    final List<String> problems = new ArrayList<>();
    final Map<String, Integer> churnRefused = new java.util.TreeMap<>();
    long stallsInFaults;
    long stallsOutsideFaults;
    String resourcesLine = "";

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean sendPaused = new AtomicBoolean();
    private final AtomicBoolean receiverStalled = new AtomicBoolean();
    private final AtomicInteger burst = new AtomicInteger();
    private volatile OobSocket packetSender;
    private volatile OobSocket packetReceiver;
    private KSocket packetSenderSocket;
    private KSocket packetReceiverSocket;

    // the faults schedule() knows, in their default order
    private static final java.util.List<String> KNOWN_FAULTS = java.util.List.of("churn", "stall", "burst", "flap",
        "recreate");
    private String faultSelection = String.join(",", KNOWN_FAULTS);
    private int stageCount = 1;
    private UdpSoakStreams udp;
    private long rawTapped;

    /**
     * @return how many times each fault was injected so far, by name.
     */
    public Map<String, Integer> faultCounts()
    {
        final Map<String, Integer> counts = new java.util.TreeMap<>();
        faults.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    /**
     * Only these faults, in this order (comma separated: churn, stall, burst, flap, recreate); all by default.
     *
     * @param selection the faults.
     * @return this.
     */
    public SoakRun faults(final String selection)
    {
        // checked here, before anything starts, so that a typo is one line and not a failed run
        for (final String fault : selection.split(","))
        {
            if (!KNOWN_FAULTS.contains(fault.trim()))
            {
                throw new IllegalArgumentException("fault=" + fault.trim() + " is not one of " +
                    String.join(", ", KNOWN_FAULTS));
            }
        }
        this.faultSelection = selection;
        return this;
    }

    /**
     * The soak JVM's runtime with one stage (the default) or two: {@code main} for the AF_OOB bus and
     * {@code wire} serving pair one's interfaces, so that the raw packet sockets land on their own stage.
     *
     * @param count 1 or 2.
     * @return this.
     */
    public SoakRun stages(final int count)
    {
        if (count < 1 || count > 2)
        {
            throw new IllegalArgumentException("stages=" + count + " must be 1 or 2");
        }
        this.stageCount = count;
        return this;
    }

    /** @return the soak JVM runtime's stage count. */
    int stageCount()
    {
        return stageCount;
    }

    public SoakRun(final long durationNs, final int ratePerSecond, final PrintStream out)
    {
        this.durationNs = durationNs;
        this.ratePerSecond = ratePerSecond;
        this.out = out;
    }

    public boolean run() throws Exception
    {
        final Path countersDir = Files.createTempDirectory("oobnet-soak-");
        warmUp(countersDir);
        final ProcessResources before = ProcessResources.awaitSettled();
        try (SoakNetwork network = SoakNetwork.create();
            NamespaceThread inA = new NamespaceThread(network.namespaceA);
            NamespaceThread inB = new NamespaceThread(network.namespaceB);
            UdpSoakStreams udp = new UdpSoakStreams(network, ratePerSecond, udpPacket, udpKernel, udpMcast, problems);
            MoldSoakStream feed = new MoldSoakStream(network, ratePerSecond, durationNs, mold, problems))
        {
            this.udp = udp;
            final PacketConfig packetConfig = PacketConfig.fromProperties(Map.of(
                PacketConfig.RX_FRAMES_KEY, "256", PacketConfig.TX_FRAMES_KEY, "256",
                PacketConfig.IGNORE_OUTGOING_KEY, "true"));
            final OobRuntime runtime = OobRuntime.start(OobConfig.builder()
                .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
                .countersDir(countersDir)
                // churn frees a thousand sockets' counters at once and Agrona reuses a freed counter only after
                // a second: room for a few thousand sockets' counters
                .countersValuesBytes(4 * 1024 * 1024)
                .maxSockets(8192)
                .stages(2 == stageCount ? List.of(
                    new OobConfig.StageSpec("main", OobConfig.CPU_AUTO, OobConfig.IdleStrategyKind.BACKOFF,
                        OobConfig.DEFAULT_STALL_THRESHOLD_NS, List.of()),
                    new OobConfig.StageSpec("wire", OobConfig.CPU_AUTO, OobConfig.IdleStrategyKind.BACKOFF,
                        OobConfig.DEFAULT_STALL_THRESHOLD_NS, List.of(SoakNetwork.A_INTERFACE, SoakNetwork.B_INTERFACE)))
                    : List.of())
                .build(), new ProtocolRegistry()
                .register(OobRuntime.AF_OOB, new OobBusProtocol())
                .register(SocketConstants.AF_PACKET, new PacketProtocol(packetConfig)));
            try (runtime)
            {
                final KSocket busRx = KSocket.socket(OobRuntime.AF_OOB, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_OOB, 0);
                final KSocket busTx = KSocket.socket(OobRuntime.AF_OOB, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_OOB, 0);
                try (Arena arena = Arena.ofConfined())
                {
                    busRx.bind(OobBusAddress.encode("soak-rx", arena));
                    busTx.bind(OobBusAddress.encode("soak-tx", arena));
                    busTx.connect(OobBusAddress.encode("soak-rx", arena));
                }
                final OobSocket busSender = OobSocket.of(busTx);
                final OobSocket busReceiver = OobSocket.of(busRx);
                openPacketSockets(inA, inB);

                final Thread sender = new Thread(() -> send(busSender), "soak-sender");
                final Thread receiver = new Thread(() -> receive(busReceiver), "soak-receiver");
                sender.setDaemon(true);
                receiver.setDaemon(true);
                sender.start();
                receiver.start();
                udp.start();
                feed.start();

                schedule(runtime, network, inA, inB);

                running.set(false);
                sender.join(5_000);
                udp.stop();
                feed.stop();
                awaitQuiet(() -> bus.received + packet.received, 500_000_000L);
                receiverDone.set(true);
                receiver.join(5_000);

                for (final RuntimeStage stage : runtime.stages())
                {
                    if (!stage.thread().isAlive())
                    {
                        problems.add("the thread of stage " + stage.name() + " died");
                    }
                    if (stage.counters().errors().get() != 0)
                    {
                        problems.add("stage " + stage.name() + " errors=" + stage.counters().errors().get());
                    }
                }
                if (2 == stageCount && (!"wire".equals(packetSender.runtimeStage().name()) ||
                    !"wire".equals(packetReceiver.runtimeStage().name()) ||
                    !"main".equals(busSender.runtimeStage().name())))
                {
                    problems.add("placement: packet sockets on " + packetSender.runtimeStage().name() + "/" +
                        packetReceiver.runtimeStage().name() + ", bus on " + busSender.runtimeStage().name());
                }
                closePacketSockets();
                accountUntapped(network);
                accountBus(busSender, busReceiver);
                busTx.close();
                busRx.close();
            }
        }
        finally
        {
            deleteTree(countersDir);
        }
        final ProcessResources after = ProcessResources.awaitBack(before);
        resourcesLine = "descriptors " + before.descriptors() + " -> " + after.descriptors() +
            ", socket mappings " + before.socketMappings() + " -> " + after.socketMappings() +
            ", direct buffers " + before.directBytes() + " B -> " + after.directBytes() + " B" +
            ", mapped buffers " + before.mappedCount() + " -> " + after.mappedCount();
        // mapped and direct buffers are reported, not judged: the JDK frees them when the collector runs
        if (after.descriptors() != before.descriptors() || after.socketMappings() != before.socketMappings())
        {
            problems.add("resources not back: " + resourcesLine);
        }
        for (final StreamLedger ledger : streams())
        {
            if (!ledger.holds())
            {
                problems.add(ledger.name + ": books do not balance");
            }
        }
        return problems.isEmpty();
    }

    private final AtomicBoolean receiverDone = new AtomicBoolean();

    // every stage's stalls
    private static long stalls(final OobRuntime runtime)
    {
        long stalls = 0;
        for (final RuntimeStage stage : runtime.stages())
        {
            stalls += stage.counters().stalls().get();
        }
        return stalls;
    }

    /**
     * Every stream's books, in the table's order.
     *
     * @return the ledgers.
     */
    List<StreamLedger> streams()
    {
        return List.of(bus, packet, udpPacket, udpKernel, udpMcast, mold);
    }

    /**
     * One runtime started and closed and one bus socket opened and closed first, so that what lives once per
     * process (the in-band event thread's epoll set, class loading, the JIT) is in the baseline, not counted as
     * a leak of the soak.
     */
    static void warmUp(final Path countersDir) throws Exception
    {
        try (OobRuntime runtime = OobRuntime.start(OobConfig.builder()
            .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
            .countersDir(countersDir)
            .build(), new ProtocolRegistry().register(OobRuntime.AF_OOB, new OobBusProtocol())))
        {
            KSocket.socket(OobRuntime.AF_OOB, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_OOB, 0).close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Schedule

    private void schedule(final OobRuntime runtime, final SoakNetwork network, final NamespaceThread inA,
        final NamespaceThread inB) throws Exception
    {
        final long start = System.nanoTime();
        final long end = start + durationNs;
        final long period = 5_000_000_000L;
        int next = 0;
        long lastProgress = start;
        out.printf("soak: %d s of traffic with faults %s; a progress line every 10 s%n", durationNs / 1_000_000_000L,
            faultSelection);
        while (System.nanoTime() - end < 0)
        {
            final long stallsBefore = stalls(runtime);
            quiet(Math.min(period / 2, end - System.nanoTime()));
            stallsOutsideFaults += stalls(runtime) - stallsBefore;
            if (System.nanoTime() - end >= 0)
            {
                break;
            }
            final long inFault = stalls(runtime);
            final String[] selected = faultSelection.split(",");
            final String fault = switch (selected[next++ % selected.length].trim())
            {
                case "churn" -> churn(inA);
                case "stall" -> stallReceiver();
                case "burst" -> burst();
                case "flap" -> flapLink(network, inA, inB);
                case "recreate" -> recreatePair(network, inA, inB);
                default -> throw new IllegalArgumentException("fault=" + selected[(next - 1) % selected.length] +
                    " is not one of churn, stall, burst, flap, recreate");
            };
            faults.computeIfAbsent(fault, k -> new AtomicInteger()).incrementAndGet();
            stallsInFaults += stalls(runtime) - inFault;
            if (System.nanoTime() - lastProgress > 10_000_000_000L)
            {
                lastProgress = System.nanoTime();
                out.printf("soak: %3.0f%% bus sent=%d received=%d, packet sent=%d received=%d%n",
                    Math.min(100.0, 100.0 * (lastProgress - start) / durationNs), bus.sent, bus.received, packet.sent, packet.received);
            }
        }
    }

    private static void quiet(final long ns)
    {
        if (ns > 0)
        {
            LockSupport.parkNanos(ns);
        }
    }

    private String churn(final NamespaceThread inA) throws Exception
    {
        udp.toSender("churn " + UDP_CHURN);
        try (Arena arena = Arena.ofConfined())
        {
            for (int i = 0; i < 1000; i++)
            {
                final KSocket socket;
                try
                {
                    socket = KSocket.socket(OobRuntime.AF_OOB, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_OOB, 0);
                }
                catch (final org.oobnet.inband.ErrnoException ex)
                {
                    churnRefused.merge(ex.errnoName(), 1, Integer::sum);
                    continue;
                }
                socket.bind(OobBusAddress.encode("churn-" + i, arena));
                socket.close();
            }
        }
        inA.call(() ->
        {
            for (int i = 0; i < 50; i++)
            {
                final KSocket socket = openPacket(SoakNetwork.A_INTERFACE);
                socket.close();
            }
            return null;
        });
        udp.senderDone("churn");
        return "socket churn (1000 bus + 50 packet + " + UDP_CHURN + " udp sockets opened, bound, closed)";
    }

    private String stallReceiver() throws Exception
    {
        udp.toReceiver("stall 500");
        receiverStalled.set(true);
        LockSupport.parkNanos(500_000_000L);
        receiverStalled.set(false);
        udp.receiverDone("stall");
        return "receivers stalled 500 ms";
    }

    private String burst() throws Exception
    {
        udp.toSender("burst 5000");
        burst.set(5_000);
        final long deadline = System.nanoTime() + 2_000_000_000L;
        while (burst.get() > 0 && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(1_000_000L);
        }
        udp.senderDone("burst");
        return "burst of 5000 messages per stream (RX rings 256 frames)";
    }

    private String flapLink(final SoakNetwork network, final NamespaceThread inA, final NamespaceThread inB)
        throws Exception
    {
        // with the carrier down the kernel refuses A's TX frames and they wait in the ring (qdisc bypass), the
        // send ring fills behind them: nothing is lost, the messages are late
        network.linkB(false);
        LockSupport.parkNanos(300_000_000L);
        network.linkB(true);
        return "links B down 300 ms and up";
    }

    private String recreatePair(final SoakNetwork network, final NamespaceThread inA, final NamespaceThread inB)
        throws Exception
    {
        sendPaused.set(true);
        udp.stop();
        closePacketSockets();
        accountUntapped(network);
        network.recreatePair();
        openPacketSockets(inA, inB);
        udp.start();
        sendPaused.set(false);
        return "veth pairs deleted and recreated (packet sockets and udp children restarted)";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sockets

    private void openPacketSockets(final NamespaceThread inA, final NamespaceThread inB) throws Exception
    {
        packetReceiverSocket = inB.call(() -> openPacket(SoakNetwork.B_INTERFACE));
        packetSenderSocket = inA.call(() -> openPacket(SoakNetwork.A_INTERFACE));
        packetReceiver = OobSocket.of(packetReceiverSocket);
        packetSender = OobSocket.of(packetSenderSocket);
    }

    private void closePacketSockets() throws Exception
    {
        final OobSocket sender = packetSender;
        final OobSocket receiver = packetReceiver;
        packetSender = null;
        // the sender's send ring drains into the TX ring, and the TX ring to the wire, before it closes
        final long deadline = System.nanoTime() + 2_000_000_000L;
        while (sender.sendQueuedBytes() > 0 && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(1_000_000L);
        }
        LockSupport.parkNanos(100_000_000L);
        packetSenderSocket.close();
        // read after close: what release found still queued in the send ring and in the TX ring (frames the kernel
        // still refused); a freed counter is not reused before the last reference went
        packet.dropSender(sender.counters());
        packet.dropPacketSender(PacketSocketState.of(sender).counters());
        LockSupport.parkNanos(100_000_000L);
        packetReceiver = null;
        LockSupport.parkNanos(10_000_000L);
        // the receiver thread no longer polls this socket: what the stage already queued is taken here
        final SoakMessage check = new SoakMessage();
        final OobReceiveHandler drain = (socket, buffer, offset, length) -> onFrame(check, buffer, offset, length);
        while (receiver.poll(drain, 256) > 0)
        {
            LockSupport.parkNanos(1_000L);
        }
        packetReceiverSocket.close();
        // read after close: the stage took the kernel's last RX drops as the socket left it
        final PacketCounters received = PacketSocketState.of(receiver).counters();
        rawTapped = tapped(received);
        packet.dropPacketReceiver(received);
        packet.dropReceiver(receiver.counters());
    }

    /**
     * Frames a packet socket's RX ring handed over or dropped with a reason: every frame it was given.
     *
     * @param counters the socket's (or port's) counters.
     * @return frames.
     */
    static long tapped(final PacketCounters counters)
    {
        return counters.get(PacketCounter.FRAMES_IN) + counters.get(PacketCounter.KERNEL_DROPS) +
            counters.get(PacketCounter.RUNTS) + counters.get(PacketCounter.TRUNCATED) +
            counters.get(PacketCounter.FILTER_MISSES);
    }

    /**
     * Once per incarnation of the pairs, after its sockets closed and before it is deleted: frames that reached B's
     * end of pair one but no packet socket. When B's interface comes up it is up (A's frames arrive) a moment before
     * the NETDEV_UP notifier hooks the packet sockets bound to it back in; what arrives in between goes past them.
     * The raw stream's frames then have no handler ({@code rx_nohandler}); the UDP stream's go to B's IP stack only.
     */
    private void accountUntapped(final SoakNetwork network) throws java.io.IOException
    {
        final long arrived = network.pairOneReceived("rx_packets");
        final long rawUntapped = network.pairOneReceived("rx_nohandler");
        final long udpUntapped = arrived - rawTapped - rawUntapped - udp.receiverTapped();
        packet.drop("receiver: arrived as B's link came up, before the socket was hooked in again (rx_nohandler)",
            rawUntapped);
        udpPacket.drop("receiver: arrived as B's link came up, before the port was hooked in again (rx_packets " +
            "less frames the taps took)", Math.max(0, udpUntapped));
        if (udpUntapped < 0)
        {
            problems.add("pair one: rx_packets=" + arrived + " fewer than the frames the taps took (raw " + rawTapped +
                ", udp " + udp.receiverTapped() + ") and rx_nohandler=" + rawUntapped);
        }
    }

    private static KSocket openPacket(final String interfaceName) throws Exception
    {
        final KSocket socket = KSocket.socket(SocketConstants.AF_PACKET,
            SocketConstants.SOCK_RAW | SocketConstants.SOCK_OOB, SocketConstants.htons(ETHER_TYPE));
        try (Arena arena = Arena.ofConfined())
        {
            final int ifIndex = InterfaceInfo.indexOf(interfaceName);
            final MemorySegment ll = SockAddr.encodeLinkLayer(ifIndex, ETHER_TYPE, null, arena);
            socket.bind(ll);
        }
        catch (final Exception | Error ex)
        {
            socket.close();
            throw ex;
        }
        return socket;
    }

    private void accountBus(final OobSocket sender, final OobSocket receiver)
    {
        bus.dropSender(sender.counters());
        bus.dropReceiver(receiver.counters());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Traffic

    private void send(final OobSocket busSender)
    {
        final SoakMessage message = new SoakMessage();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final long intervalNs = 1_000_000_000L / ratePerSecond;
        long busSequence = 0;
        long packetSequence = 0;
        long nextNs = System.nanoTime();
        while (running.get())
        {
            final int burstLeft = burst.get();
            if (burstLeft == 0)
            {
                final long waitNs = nextNs - System.nanoTime();
                if (waitNs > 0)
                {
                    LockSupport.parkNanos(waitNs);
                    continue;
                }
                nextNs += intervalNs;
                final int length = message.write(frame, 0, BUS_STREAM, busSequence, PAYLOAD);
                if (busSender.offer(frame, 0, length) >= 0)
                {
                    busSequence++;
                    bus.sent = busSequence;
                }
                else
                {
                    bus.refused++;
                }
            }
            if (sendPaused.get())
            {
                continue;
            }
            final OobSocket sender = packetSender;
            if (null == sender)
            {
                continue;
            }
            frame.putLong(0, B_MAC << 16, ByteOrder.BIG_ENDIAN); // dst (6 bytes) then src
            frame.putLong(6, A_MAC << 16, ByteOrder.BIG_ENDIAN);
            frame.putShort(12, (short)ETHER_TYPE, ByteOrder.BIG_ENDIAN);
            final int length = 14 + message.write(frame, 14, PACKET_STREAM, packetSequence, PAYLOAD);
            if (sender.offer(frame, 0, length) >= 0)
            {
                packetSequence++;
                packet.sent = packetSequence;
                if (burstLeft > 0)
                {
                    burst.decrementAndGet();
                }
            }
            else
            {
                packet.refused++;
                if (burstLeft > 0)
                {
                    Thread.yield();
                }
            }
        }
    }

    private void receive(final OobSocket busReceiver)
    {
        final SoakMessage busCheck = new SoakMessage();
        final SoakMessage packetCheck = new SoakMessage();
        final OobReceiveHandler onBus = (socket, buffer, offset, length) ->
            bus.onReceived(SoakMessage.sequence(buffer, offset),
                SoakMessage.stream(buffer, offset) == BUS_STREAM && busCheck.isIntact(buffer, offset, length));
        final OobReceiveHandler onPacket = (socket, buffer, offset, length) -> onFrame(packetCheck, buffer, offset, length);
        while (!receiverDone.get())
        {
            if (receiverStalled.get())
            {
                LockSupport.parkNanos(1_000_000L);
                continue;
            }
            int work = busReceiver.poll(onBus, 256);
            final OobSocket receiver = packetReceiver;
            if (null != receiver)
            {
                work += receiver.poll(onPacket, 256);
            }
            if (0 == work)
            {
                LockSupport.parkNanos(50_000L);
            }
        }
    }

    private void onFrame(final SoakMessage check, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 14 + SoakMessage.HEADER_LENGTH ||
            (buffer.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xffff) != ETHER_TYPE)
        {
            packet.corrupt++;
            return;
        }
        packet.onReceived(SoakMessage.sequence(buffer, offset + 14),
            SoakMessage.stream(buffer, offset + 14) == PACKET_STREAM && check.isIntact(buffer, offset + 14, length - 14));
    }

    /**
     * Waits until a receive count stops moving for a period (at most 10 s): what was sent has arrived or is lost.
     *
     * @param received the count.
     * @param periodNs how long it must stay still.
     */
    static void awaitQuiet(final java.util.function.LongSupplier received, final long periodNs)
    {
        long lastCount = -1;
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() - deadline < 0)
        {
            final long count = received.getAsLong();
            if (count == lastCount)
            {
                return;
            }
            lastCount = count;
            LockSupport.parkNanos(periodNs);
        }
    }

    static void deleteTree(final Path dir)
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final java.io.IOException ignore)
        {
            // best effort: a temp dir
        }
    }
}
