package org.oobnet.harness.soak;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.RuntimeStage;

/**
 * The soak's books: one {@link StreamLedger} per stream, the closing accounts that need the network or the sockets
 * (frames no socket was hooked in for, the bus sockets' counters) and the problems found, each a line of the table.
 * <p>
 * <b>Note:</b> in-band; a ledger's counts are written by the stream's own sender and receiver threads.
 */
final class SoakLedgers
{
    final StreamLedger bus = new StreamLedger("bus (AF_OOB, in-process)", true);
    final StreamLedger packet = new StreamLedger("packet (AF_PACKET rings, netns A->B)", true);
    final StreamLedger udpPacket = new StreamLedger("udp, packet transport (oob-udp, A->B)", true);
    final StreamLedger udpKernel = new StreamLedger("udp, kernel transport (oob-udp, A->B)", true);
    final StreamLedger udpMcast = new StreamLedger("udp multicast, joins and leaves (oob-udp, A->B)", true);
    final StreamLedger mold = new StreamLedger("moldudp64, lines A+B, 1% loss on B (feed socket, A->B)", true);
    /** How a stage allocation problem starts. */
    static final String STAGE_ALLOCATION_PROBLEM = "stage allocation after warm-up: ";

    final List<String> problems = new ArrayList<>();
    /** Bytes the stages allocated after their warm-up, by the JVM they ran in; -1 when one was not measured. */
    final Map<String, Long> stageAllocation = new TreeMap<>();
    String resourcesLine = "";

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
     * Books what a JVM's stages allocated after their warm-up (summed over the incarnations of the same part).
     *
     * @param who   the JVM, e.g. {@code udp receiver children}.
     * @param bytes the bytes, -1 when not measured (the part ended before its warm-up did).
     */
    void stageAllocated(final String who, final long bytes)
    {
        stageAllocation.merge(who, bytes, (was, more) -> was < 0 || more < 0 ? Math.max(was, more) : was + more);
    }

    /**
     * Once per incarnation of the pairs, after their sockets closed and before they are deleted: frames that reached
     * B's end of a stream's pair but no socket, booked to that stream. When B's interface comes up it is up (A's
     * frames arrive) a moment before the NETDEV_UP notifier hooks the packet sockets bound to it back in; what arrives
     * in between goes past them: the raw stream's frames to no handler, the UDP stream's to B's IP stack only. Each
     * stream has its pair (five: raw, one: udp), so a pair's {@code rx_packets} less the frames its stream's ring
     * took are that stream's alone. When both shared pair one, the raw frames that went past the raw socket were
     * taken from {@code rx_nohandler}, which the kernel counts only for an exact-match delivery (a bonding or
     * similar slave): on veth such a frame is counted in {@code rx_dropped}, or nowhere while any {@code ETH_P_ALL}
     * tap is hooked in (oob-udp's port, whose filter then drops it). Either way they were booked to the udp stream.
     *
     * @param network    the pairs.
     * @param rawTapped  frames the raw receiver's ring was given.
     * @param udpTapped  frames B's UDP port's ring was given.
     * @throws IOException when the interfaces' statistics cannot be read.
     */
    void accountUntapped(final SoakNetwork network, final long rawTapped, final long udpTapped) throws IOException
    {
        final long rawArrived = network.rawPairReceived("rx_packets");
        final long rawUntapped = rawArrived - rawTapped;
        packet.drop("receiver: arrived as B's link came up, before the socket was hooked in again (rx_packets " +
            "less frames the ring took)", Math.max(0, rawUntapped));
        // the kernel counts each frame no handler took (rx_dropped; rx_nohandler for an exact-match delivery)
        final long rawUnhandled = network.rawPairReceived("rx_dropped") + network.rawPairReceived("rx_nohandler");
        if (rawUntapped < 0 || rawUntapped > rawUnhandled)
        {
            problems.add("pair five: rx_packets=" + rawArrived + " less the frames the raw ring took (" + rawTapped +
                ") must be within 0..rx_dropped+rx_nohandler=" + rawUnhandled);
        }
        final long udpArrived = network.pairOneReceived("rx_packets");
        final long udpUntapped = udpArrived - udpTapped;
        udpPacket.drop("receiver: arrived as B's link came up, before the port was hooked in again (rx_packets " +
            "less frames the tap took)", Math.max(0, udpUntapped));
        if (udpUntapped < 0)
        {
            problems.add("pair one: rx_packets=" + udpArrived + " fewer than the frames the udp port's ring took (" +
                udpTapped + ")");
        }
    }

    void accountBus(final OobSocket sender, final OobSocket receiver)
    {
        bus.dropSender(sender.counters());
        bus.dropReceiver(receiver.counters());
    }

    /** Every stage's thread still alive and without errors. */
    void checkStages(final OobRuntime runtime)
    {
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
    }

    /** With two stages: the raw packet sockets on "wire", the bus on "main". */
    void checkPlacement(final OobSocket packetSender, final OobSocket packetReceiver, final OobSocket busSender)
    {
        if (!"wire".equals(packetSender.runtimeStage().name()) ||
            !"wire".equals(packetReceiver.runtimeStage().name()) ||
            !"main".equals(busSender.runtimeStage().name()))
        {
            problems.add("placement: packet sockets on " + packetSender.runtimeStage().name() + "/" +
                packetReceiver.runtimeStage().name() + ", bus on " + busSender.runtimeStage().name());
        }
    }

    /** The process holds the descriptors and socket mappings it held before the soak. */
    void checkResources(final ProcessResources before, final ProcessResources after)
    {
        resourcesLine = "descriptors " + before.descriptors() + " -> " + after.descriptors() +
            ", socket mappings " + before.socketMappings() + " -> " + after.socketMappings() +
            ", direct buffers " + before.directBytes() + " B -> " + after.directBytes() + " B" +
            ", mapped buffers " + before.mappedCount() + " -> " + after.mappedCount();
        // mapped and direct buffers are reported, not judged: the JDK frees them when the collector runs
        if (after.descriptors() != before.descriptors() || after.socketMappings() != before.socketMappings())
        {
            problems.add("resources not back: " + resourcesLine);
        }
    }

    /**
     * Every JVM's stages allocated nothing after their warm-up (issue 14 item 4): a JVM that allocated is a
     * problem, named with its bytes. A part that ended before its warm-up did is not measured, and not judged.
     */
    void checkStageAllocation()
    {
        stageAllocation.forEach((who, bytes) ->
        {
            if (bytes > 0)
            {
                problems.add(STAGE_ALLOCATION_PROBLEM + who + " " + bytes + " B, must be 0 B");
            }
        });
    }

    /**
     * The verdict on the stages' allocation after warm-up, for the table: {@code 0 B in every JVM} or the JVMs that
     * allocated.
     *
     * @return the verdict line's text (without its label).
     */
    String stageAllocationVerdict()
    {
        final StringBuilder allocated = new StringBuilder();
        stageAllocation.forEach((who, bytes) ->
        {
            if (bytes > 0)
            {
                allocated.append(allocated.isEmpty() ? "" : ", ").append(who).append(' ').append(bytes).append(" B");
            }
        });
        return allocated.isEmpty() ? "PASSED (0 B in every JVM measured)" : "FAILED (" + allocated + ")";
    }

    /** Every stream's books balance. */
    void checkBooks()
    {
        for (final StreamLedger ledger : streams())
        {
            if (!ledger.holds())
            {
                problems.add(ledger.name + ": books do not balance");
            }
        }
    }
}
