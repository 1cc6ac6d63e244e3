package org.oobnet.harness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.oobnet.harness.bench.floor.FloorProgram;
import org.oobnet.harness.bench.throughput.StageSendChild;
import org.oobnet.harness.bench.throughput.ThroughputRun;
import org.oobnet.harness.env.CpuSet;
import org.oobnet.harness.env.ParentWatch;
import org.oobnet.harness.report.ResultFolder;
import org.oobnet.harness.report.RunJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code oobnet latency throughput}: frames per second one sender pushes through one core, 64-byte payloads between
 * two namespaces, in one run: {@code oob-packet} (an OOB stage filling oob-packet's TX ring, one kick per cycle)
 * against {@code kernel-sendmmsg} (the same frames through {@code sendmmsg(2)} on a plain packet socket, 64 per call,
 * the C floor program). The receiver, the same for both, is the C floor program counting from its RX ring in the
 * other namespace; what it could not take is the kernel's {@code tp_drops}, and whatever is left is reported as
 * {@code unaccounted} (frames lost on the way, e.g. by veth).
 * <p>
 * {@link ThroughputRun} runs the rows (and {@link StageSendChild} is a stage row's child, {@code --send-oob}); this
 * command checks the options and prints the table.
 * <p>
 * <b>Note:</b> in-band command; the stage rows' sender runs in a child JVM whose stage spins for the run, after an
 * uncounted warm-up of another EtherType.
 */
@Command(name = "throughput", mixinStandardHelpOptions = true,
    description = "Frames per second through one core: the OOB stage's TX ring (oob-packet) against a kernel " +
        "sendmmsg loop (kernel-sendmmsg), counted by one receiver in another namespace.")
public final class ThroughputCommand implements Callable<Integer>
{
    @Option(names = "--duration", defaultValue = "3s", paramLabel = "TIME",
        description = "How long each row sends (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--size", defaultValue = "64", paramLabel = "BYTES",
        description = "Payload bytes per frame, after the Ethernet header (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the rows to FILE (a JSON array).")
    Path json;

    @Option(names = "--out", paramLabel = "DIR",
        description = "Result folder (default: results/throughput-<timestamp>).")
    Path out;

    @Option(names = "--cpu", defaultValue = "-2", paramLabel = "CPU",
        description = "The sender's CPU (default: as the latency runs).")
    int cpu;

    @Option(names = "--peer-cpu", defaultValue = "-2", paramLabel = "CPU",
        description = "The receiver's CPU (default: as the latency runs).")
    int peerCpu;

    @Option(names = "--warmup", defaultValue = "1s", paramLabel = "TIME",
        description = "Stage rows: uncounted sending first, so that the JIT has compiled the path (default: " +
            "${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "N",
        description = "Interleaved rounds; each runs every row for the duration (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--ablation",
        description = "Also run the sized ring's batch on the default 2048-byte TX frames (oob-packet-batch-only), " +
            "to separate the batch's effect from the frame size's.")
    boolean ablation;

    @Option(names = "--send-oob", hidden = true)
    boolean sendOob;

    @Option(names = "--interface", hidden = true)
    String interfaceName;

    @Option(names = "--batch", hidden = true, defaultValue = "64")
    int batch;

    @Option(names = "--tx-frames", hidden = true, defaultValue = "0")
    int txFrames;

    @Option(names = "--tx-frame-size", hidden = true, defaultValue = "0")
    int txFrameSize;

    private long warmupNs;

    @Override
    public Integer call() throws Exception
    {
        final long durationNs;
        try
        {
            durationNs = Durations.parseNs("duration", duration);
            warmupNs = Durations.parseNs("warmup", warmup);
            if (durationNs <= 0 || warmupNs < 0 || size < 16 || size > 1400 || rounds < 1)
            {
                throw new IllegalArgumentException("duration=" + duration + " must be positive, size=" + size +
                    " between 16 and 1400 and rounds=" + rounds + " at least 1");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("oobnet latency throughput: " + ex.getMessage());
            return 2;
        }
        final int sender = cpu >= -1 ? cpu : CpuSet.defaultCpu();
        final int receiver = peerCpu >= -1 ? peerCpu : CpuSet.defaultPeerCpu(sender);
        return sendOob ? sendOnStage(sender, durationNs) : orchestrate(sender, receiver, durationNs);
    }

    // the child JVM of a stage row: its one result line on standard output
    private int sendOnStage(final int sender, final long durationNs) throws Exception
    {
        final AtomicBoolean parentGone = new AtomicBoolean();
        ParentWatch.onEndOfInput(System.in, () -> parentGone.set(true));
        System.out.println(new StageSendChild(interfaceName, sender, size, batch, txFrames, txFrameSize, warmupNs,
            durationNs).run(parentGone::get));
        System.out.flush();
        return 0;
    }

    private int orchestrate(final int sender, final int receiver, final long durationNs) throws IOException
    {
        final FloorProgram program = FloorProgram.build();
        if (!program.isAvailable())
        {
            System.err.println("oobnet latency throughput: the receiver and the kernel row are the C floor " +
                "program: " + program.unavailableReason());
            return 2;
        }
        final Path dir = out != null ? out : ResultFolder.timestamped(Path.of("results"), "throughput");
        final ArrayNode rows;
        try
        {
            rows = new ThroughputRun(new ThroughputRun.Settings(durationNs, warmupNs, size, rounds, sender, receiver,
                ablation, dir), program).run();
        }
        catch (final IOException ex)
        {
            System.err.println("oobnet latency throughput: " + ex.getMessage());
            return 1;
        }
        printTable(rows);
        RunJson.write(dir.resolve("throughput.json"), rows);
        if (json != null)
        {
            RunJson.write(json, rows);
        }
        System.out.println("oobnet: results in " + dir.resolve("throughput.json") +
            (json != null ? "; JSON in " + json : ""));
        return 0;
    }

    private static void printTable(final ArrayNode rows)
    {
        System.out.println(String.format(Locale.ROOT, "%-21s %10s %10s %10s %6s %9s %9s %6s %13s %7s %7s %7s",
            "run", "sent", "received", "rx_drops", "unacc", "frames/s", "recv/s", "x_kern", "x_kern/round",
            "fr/call", "ns/f_us", "ns/f_k"));
        for (final var r : rows)
        {
            final ObjectNode o = (ObjectNode)r;
            final StringBuilder spread = new StringBuilder();
            for (final var ratio : o.get("ratio_to_kernel_per_round"))
            {
                spread.append(spread.isEmpty() ? "" : "/").append(String.format(Locale.ROOT, "%.2f", ratio.asDouble()));
            }
            System.out.println(String.format(Locale.ROOT,
                "%-21s %10d %10d %10d %6d %9.0f %9.0f %6.2f %13s %7.0f %7.0f %7.0f",
                o.get("label").asText(), o.get("sent").asLong(), o.get("received").asLong(),
                o.get("receiver_drops").asLong(), o.get("unaccounted").asLong(), o.get("frames_per_s").asDouble(),
                o.get("received_per_s").asDouble(), o.get("ratio_to_kernel").asDouble(), spread,
                o.get("frames_per_kick").asDouble(), o.get("fill_ns_per_frame").asDouble(),
                o.get("kernel_ns_per_frame").asDouble()));
        }
        System.out.println("(x_kern: frames/s over kernel-sendmmsg's, all rounds and each round; fr/call: frames " +
            "per send(2) kick or sendmmsg(2) call; ns/f_us: ns per frame outside the kernel call (the stage task " +
            "filling frames, or the C loop); ns/f_k: ns per frame in the kick and the stage's duty cycle, or inside " +
            "sendmmsg(2))");
    }
}
