package org.oobnet.harness.soak;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

import org.oobnet.core.OobRuntime;
import org.oobnet.core.RuntimeStage;
import org.oobnet.core.bus.OobBusAddress;
import org.oobnet.harness.bench.run.StageAllocation;
import org.oobnet.harness.env.NamespaceThread;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;

/**
 * The soak's fault injection: the schedule (a quiet half period, then the next chosen fault, until the duration is
 * over, a progress line every 10 s) and each fault (socket churn, stalled receivers, bursts, a link flapped, the veth
 * pairs recreated), with what it counts: faults injected, sockets churn was refused, stage stalls inside and
 * outside fault windows.
 * <p>
 * <b>Note:</b> in-band; the soak's own thread.
 */
final class SoakFaults
{
    /** The faults {@link #schedule} knows, in their default order. */
    static final List<String> KNOWN = List.of("churn", "stall", "burst", "flap", "recreate");
    private static final int UDP_CHURN = 500;
    private static final long PERIOD_NS = 5_000_000_000L;

    final Map<String, Integer> injected = new TreeMap<>();
    final Map<String, Integer> churnRefused = new TreeMap<>();
    long stallsInFaults;
    long stallsOutsideFaults;
    /** The soak JVM's stages' allocation from the end of the first quiet period (the warm-up) on; null before. */
    StageAllocation afterWarmUp;

    private final String selection;

    /**
     * @param selection the faults, comma separated, each one of {@link #KNOWN}.
     * @throws IllegalArgumentException naming the first unknown fault.
     */
    SoakFaults(final String selection)
    {
        // checked here, before anything starts, so that a typo is one line and not a failed run
        for (final String fault : selection.split(","))
        {
            if (!KNOWN.contains(fault.trim()))
            {
                throw new IllegalArgumentException("fault=" + fault.trim() + " is not one of " +
                    String.join(", ", KNOWN));
            }
        }
        this.selection = selection;
    }

    /** The world the faults act on. */
    record Target(OobRuntime runtime, SoakNetwork network, NamespaceThread inA, NamespaceThread inB,
        SoakTraffic traffic, UdpSoakStreams udp, SoakLedgers ledgers)
    {
    }

    /**
     * Injects the chosen faults in turn until {@code durationNs} is over.
     *
     * @param target     what they act on.
     * @param durationNs the soak's duration.
     * @param out        the progress lines.
     * @throws Exception when a fault cannot be injected.
     */
    void schedule(final Target target, final long durationNs, final PrintStream out) throws Exception
    {
        final long start = System.nanoTime();
        long end = start + durationNs;
        int next = 0;
        long lastProgress = start;
        out.printf("soak: %d s of traffic with faults %s; a progress line every 10 s%n", durationNs / 1_000_000_000L,
            selection);
        final String[] selected = selection.split(",");
        while (System.nanoTime() - end < 0)
        {
            final long stallsBefore = stalls(target.runtime());
            quiet(Math.min(PERIOD_NS / 2, end - System.nanoTime()));
            stallsOutsideFaults += stalls(target.runtime()) - stallsBefore;
            if (System.nanoTime() - end >= 0)
            {
                break;
            }
            if (null == afterWarmUp)
            {
                final long markStart = System.nanoTime();
                afterWarmUp = StageAllocation.mark(target.runtime());
                // the mark resolves string constants for up to a second: fault time is not spent on it
                end += System.nanoTime() - markStart;
            }
            final long inFault = stalls(target.runtime());
            final String fault = inject(selected[next++ % selected.length].trim(), target);
            injected.merge(fault, 1, Integer::sum);
            stallsInFaults += stalls(target.runtime()) - inFault;
            if (System.nanoTime() - lastProgress > 10_000_000_000L)
            {
                lastProgress = System.nanoTime();
                out.printf("soak: %3.0f%% bus sent=%d received=%d, packet sent=%d received=%d%n",
                    Math.min(100.0, 100.0 * (lastProgress - start) / durationNs), target.ledgers().bus.sent,
                    target.ledgers().bus.received, target.ledgers().packet.sent, target.ledgers().packet.received);
            }
        }
    }

    // one fault; returns its description, the key it is counted under
    private String inject(final String fault, final Target target) throws Exception
    {
        return switch (fault)
        {
            case "churn" -> churn(target);
            case "stall" -> stallReceivers(target);
            case "burst" -> burst(target);
            case "flap" -> flapLink(target);
            case "recreate" -> recreatePairs(target);
            default -> throw new IllegalArgumentException("fault=" + fault + " is not one of " + String.join(", ", KNOWN));
        };
    }

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

    private static void quiet(final long ns)
    {
        if (ns > 0)
        {
            LockSupport.parkNanos(ns);
        }
    }

    private String churn(final Target target) throws Exception
    {
        target.udp().toSender("churn " + UDP_CHURN);
        try (Arena arena = Arena.ofConfined())
        {
            for (int i = 0; i < 1000; i++)
            {
                final KSocket socket;
                try
                {
                    socket = KSocket.socket(OobRuntime.AF_OOB, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_OOB, 0);
                }
                catch (final ErrnoException ex)
                {
                    churnRefused.merge(ex.errnoName(), 1, Integer::sum);
                    continue;
                }
                socket.bind(OobBusAddress.encode("churn-" + i, arena));
                socket.close();
            }
        }
        target.inA().call(() ->
        {
            for (int i = 0; i < 50; i++)
            {
                final KSocket socket = SoakTraffic.openPacket(SoakNetwork.A5_INTERFACE);
                socket.close();
            }
            return null;
        });
        target.udp().senderDone("churn");
        return "socket churn (1000 bus + 50 packet + " + UDP_CHURN + " udp sockets opened, bound, closed)";
    }

    private static String stallReceivers(final Target target) throws Exception
    {
        target.udp().toReceiver("stall 500");
        target.traffic().stallReceiver(true);
        LockSupport.parkNanos(500_000_000L);
        target.traffic().stallReceiver(false);
        target.udp().receiverDone("stall");
        return "receivers stalled 500 ms";
    }

    private static String burst(final Target target) throws Exception
    {
        target.udp().toSender("burst 5000");
        target.traffic().burst(5_000);
        target.udp().senderDone("burst");
        return "burst of 5000 messages per stream (RX rings 256 frames)";
    }

    private static String flapLink(final Target target) throws Exception
    {
        // with the carrier down the kernel refuses A's TX frames and they wait in the ring (qdisc bypass), the
        // send ring fills behind them: nothing is lost, the messages are late
        target.network().linkB(false);
        LockSupport.parkNanos(300_000_000L);
        target.network().linkB(true);
        return "links B down 300 ms and up";
    }

    private static String recreatePairs(final Target target) throws Exception
    {
        final SoakTraffic traffic = target.traffic();
        traffic.pauseSending(true);
        target.udp().stop();
        traffic.closePacketSockets();
        target.ledgers().accountUntapped(target.network(), traffic.rawTapped(), target.udp().receiverTapped());
        target.network().recreatePair();
        traffic.openPacketSockets(target.inA(), target.inB());
        target.udp().start();
        traffic.pauseSending(false);
        return "veth pairs deleted and recreated (packet sockets and udp children restarted)";
    }
}
