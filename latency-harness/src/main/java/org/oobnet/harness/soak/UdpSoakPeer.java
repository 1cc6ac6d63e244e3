package org.oobnet.harness.soak;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.harness.bench.run.StageAllocation;
import org.oobnet.harness.env.TempTree;
import org.oobnet.inband.SocketConstants;
import org.oobnet.udp.PacketPort;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;

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
 * counts, every drop under its reason, the process's resources before and after, and the bytes its stage allocated
 * from the first command on (the quiet time before it is the warm-up; -1 when none came). End of input stops the peer
 * too (the parent went away).
 * <p>
 * The parts: {@link UdpSoakSender} or {@link UdpSoakReceiver} (the traffic), {@link UdpPeerBooks} (the accounting).
 * <p>
 * <b>Note:</b> in-band; threads: the command reader (this one), the side's traffic threads, the OOB stage.
 */
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

    private final boolean sender;
    private final int ratePerSecond;
    private final PrintStream out;
    private final UdpPeerBooks books = new UdpPeerBooks();
    private long firstPacketSequence;
    private long firstKernelSequence;
    private long firstMcastSequence;
    // the stage's allocation from the first fault on: the soak's quiet half period before it is the warm-up
    private StageAllocation afterWarmUp;

    /**
     * @param sender        the sending side (namespace A), else the receiving one (B).
     * @param ratePerSecond messages per second and stream.
     * @param out           the answers to the parent.
     */
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
    public int run(final InputStream in) throws Exception
    {
        final Path countersDir = Files.createTempDirectory("oobnet-soak-peer-");
        SoakRun.warmUp(countersDir);
        final ProcessResources before = ProcessResources.awaitSettled();
        final String packetInterface = sender ? SoakNetwork.A_INTERFACE : SoakNetwork.B_INTERFACE;
        final String mcastInterface = sender ? SoakNetwork.A4_INTERFACE : SoakNetwork.B4_INTERFACE;
        final UdpStack stack = UdpStack.open(UdpStackConfig.of(UdpTransport.PACKET, packetInterface, mcastInterface));
        final List<PacketPort> ports = stack.ports();
        final OobRuntime runtime = startRuntime(stack, countersDir);
        final Map<String, Object> result = new LinkedHashMap<>();
        try
        {
            final UdpPeerSide side = sender ?
                new UdpSoakSender(ratePerSecond, books, firstPacketSequence, firstKernelSequence, firstMcastSequence) :
                new UdpSoakReceiver(books);
            final UdpSoakSockets sockets = UdpSoakSockets.open();
            side.bind(sockets);
            final long stallsBefore = runtime.counters().stalls().get();
            side.start(sockets);
            out.println("READY");

            commands(in, side, runtime);

            side.stop(sockets, books);
            result.put("stageAllocBytes", null == afterWarmUp ? -1 : afterWarmUp.bytesSince());
            result.put("stageAlive", runtime.stageThread().isAlive());
            result.put("stageErrors", runtime.counters().errors().get());
            result.put("stalls", runtime.counters().stalls().get() - stallsBefore);
        }
        finally
        {
            runtime.close();
            stack.close();
            TempTree.delete(countersDir);
        }
        books.accountPorts(ports, packetInterface, sender);
        books.putResult(result, before, ProcessResources.awaitBack(before));
        out.println("RESULT " + new ObjectMapper().writeValueAsString(result));
        return 0;
    }

    // the child's runtime over its stack; the stack closes when the runtime cannot start
    private static OobRuntime startRuntime(final UdpStack stack, final Path countersDir)
    {
        try
        {
            return OobRuntime.start(OobConfig.builder()
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
    }

    private void commands(final InputStream in, final UdpPeerSide side, final OobRuntime runtime) throws Exception
    {
        final BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null)
        {
            final String[] words = line.trim().split("\\s+");
            if ("stop".equals(words[0]))
            {
                return;
            }
            if (words.length != 2 || !List.of("stall", "burst", "churn").contains(words[0]))
            {
                throw new IllegalArgumentException("command=" + line + " is not one of stall MS, burst N, churn N, stop");
            }
            if (null == afterWarmUp)
            {
                afterWarmUp = StageAllocation.mark(runtime);
            }
            side.command(words[0], Long.parseLong(words[1]));
            out.println("DONE " + words[0]);
        }
    }
}
