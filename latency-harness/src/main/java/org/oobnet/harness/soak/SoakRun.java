package org.oobnet.harness.soak;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.core.bus.OobBusAddress;
import org.oobnet.core.bus.OobBusProtocol;
import org.oobnet.harness.env.NamespaceThread;
import org.oobnet.harness.env.TempTree;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.packet.PacketConfig;
import org.oobnet.packet.PacketProtocol;

/**
 * One soak: two namespaces, traffic at a fixed rate on the AF_OOB bus and on oob-packet between the
 * namespaces, each message carrying stream id, sequence and payload checksum; faults injected on a schedule
 * (socket churn by the thousand, a stalled receiver, bursts that overflow the rings, the receiving link taken down
 * and up, the veth pair deleted and recreated); at the end every stream's books must balance exactly and the
 * process must hold the descriptors and mappings it held before. The parts: {@link SoakTraffic} (bus and raw
 * frames), {@link UdpSoakStreams} and {@link MoldSoakStream} (oob-udp and MoldUDP64, in child JVMs and threads),
 * {@link SoakFaults} (the schedule), {@link SoakLedgers} (the books and problems), {@link SoakTable} (the report).
 * <p>
 * <b>Note:</b> in-band; one run per instance. Threads: this one (schedule, faults), one sender, one receiver,
 * the OOB stage.
 */
public final class SoakRun
{
    private final long durationNs;
    private final int ratePerSecond;
    private final PrintStream out;
    private final SoakLedgers ledgers = new SoakLedgers();
    private SoakFaults faults = new SoakFaults(String.join(",", SoakFaults.KNOWN));
    private int stageCount = 1;

    /**
     * @param durationNs    how long the traffic runs.
     * @param ratePerSecond messages per second and stream.
     * @param out           progress lines.
     */
    public SoakRun(final long durationNs, final int ratePerSecond, final PrintStream out)
    {
        this.durationNs = durationNs;
        this.ratePerSecond = ratePerSecond;
        this.out = out;
    }

    /**
     * Only these faults, in this order (comma separated: churn, stall, burst, flap, recreate); all by default.
     *
     * @param selection the faults.
     * @return this.
     */
    public SoakRun faults(final String selection)
    {
        this.faults = new SoakFaults(selection);
        return this;
    }

    /**
     * The soak JVM's runtime with one stage (the default) or two: {@code main} for the AF_OOB bus and
     * {@code wire} serving pair five's interfaces (the raw stream's), so that the raw packet sockets land on their own
     * stage.
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

    /**
     * @return how many times each fault was injected so far, by name.
     */
    public Map<String, Integer> faultCounts()
    {
        return new TreeMap<>(faults.injected);
    }

    /**
     * Runs the soak: set up, traffic under faults, the closing accounts.
     *
     * @return whether every invariant held (else {@link SoakTable} lists the problems).
     * @throws Exception when the soak could not be set up.
     */
    public boolean run() throws Exception
    {
        final Path countersDir = Files.createTempDirectory("oobnet-soak-");
        warmUp(countersDir);
        final ProcessResources before = ProcessResources.awaitSettled();
        try (SoakNetwork network = SoakNetwork.create();
            NamespaceThread inA = new NamespaceThread(network.namespaceA);
            NamespaceThread inB = new NamespaceThread(network.namespaceB);
            UdpSoakStreams udp = new UdpSoakStreams(network, ratePerSecond, ledgers);
            MoldSoakStream feed = new MoldSoakStream(network, ratePerSecond, durationNs, ledgers);
            OobRuntime runtime = startRuntime(countersDir))
        {
            final KSocket busRx = busSocket("soak-rx", null);
            final KSocket busTx = busSocket("soak-tx", "soak-rx");
            final OobSocket busSender = OobSocket.of(busTx);
            final OobSocket busReceiver = OobSocket.of(busRx);
            final SoakTraffic traffic = new SoakTraffic(ratePerSecond, ledgers.bus, ledgers.packet);
            traffic.openPacketSockets(inA, inB);
            traffic.start(busSender, busReceiver);
            udp.start();
            feed.start();

            faults.schedule(new SoakFaults.Target(runtime, network, inA, inB, traffic, udp, ledgers), durationNs, out);

            traffic.stopSending();
            udp.stop();
            feed.stop();
            traffic.stopReceiving();
            ledgers.stageAllocated("soak JVM (bus, raw packet)",
                null == faults.afterWarmUp ? -1 : faults.afterWarmUp.bytesSince());

            ledgers.checkStages(runtime);
            if (2 == stageCount)
            {
                ledgers.checkPlacement(traffic.packetSender(), traffic.packetReceiver(), busSender);
            }
            traffic.closePacketSockets();
            ledgers.accountUntapped(network, traffic.rawTapped(), udp.receiverTapped());
            ledgers.accountBus(busSender, busReceiver);
            busTx.close();
            busRx.close();
        }
        finally
        {
            TempTree.delete(countersDir);
        }
        ledgers.checkResources(before, ProcessResources.awaitBack(before));
        ledgers.checkBooks();
        ledgers.checkStageAllocation();
        return ledgers.problems.isEmpty();
    }

    /** @return the soak JVM runtime's stage count. */
    int stageCount()
    {
        return stageCount;
    }

    /** @return the books, problems and resources line. */
    SoakLedgers ledgers()
    {
        return ledgers;
    }

    /** @return the fault counts and stalls. */
    SoakFaults faultInjection()
    {
        return faults;
    }

    /**
     * Every stream's books, in the table's order.
     *
     * @return the ledgers.
     */
    List<StreamLedger> streams()
    {
        return ledgers.streams();
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

    // one end of the bus stream: bound to its name, connected to the other end's when given
    private static KSocket busSocket(final String name, final String peer) throws Exception
    {
        final KSocket socket = KSocket.socket(OobRuntime.AF_OOB, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_OOB, 0);
        try (Arena arena = Arena.ofConfined())
        {
            socket.bind(OobBusAddress.encode(name, arena));
            if (null != peer)
            {
                socket.connect(OobBusAddress.encode(peer, arena));
            }
        }
        return socket;
    }

    // the soak JVM's runtime: the bus and oob-packet, room for churn's sockets, one stage or "main" and "wire"
    private OobRuntime startRuntime(final Path countersDir) throws Exception
    {
        final PacketConfig packetConfig = PacketConfig.fromProperties(Map.of(
            PacketConfig.RX_FRAMES_KEY, "256", PacketConfig.TX_FRAMES_KEY, "256",
            PacketConfig.IGNORE_OUTGOING_KEY, "true"));
        return OobRuntime.start(OobConfig.builder()
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
                    OobConfig.DEFAULT_STALL_THRESHOLD_NS, List.of(SoakNetwork.A5_INTERFACE, SoakNetwork.B5_INTERFACE)))
                : List.of())
            .build(), new ProtocolRegistry()
            .register(OobRuntime.AF_OOB, new OobBusProtocol())
            .register(SocketConstants.AF_PACKET, new PacketProtocol(packetConfig)));
    }
}
