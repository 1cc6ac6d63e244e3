package org.oobnet.harness.bench.udp;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.Histogram;
import org.oobnet.harness.bench.floor.FloorProgram;
import org.oobnet.harness.bench.floor.FloorRound;
import org.oobnet.harness.bench.run.RowSched;
import org.oobnet.harness.bench.run.RowSpec;
import org.oobnet.harness.bench.run.RunSettings;
import org.oobnet.harness.env.ChildJvm;
import org.oobnet.harness.env.LoopbackNetwork;
import org.oobnet.harness.env.NetnsPair;
import org.oobnet.harness.env.RunNetwork;
import org.oobnet.harness.bench.run.MeasurementPlan;
import org.oobnet.harness.bench.run.PhaseRelay;
import org.oobnet.harness.bench.reflect.ReflectorRun;
import org.oobnet.harness.report.ChildOutput;
import org.oobnet.harness.report.HopLines;
import org.oobnet.harness.report.JitBlock;
import org.oobnet.harness.report.JitDelta;
import org.oobnet.harness.report.LatencyRecorder;
import org.oobnet.harness.report.Progress;
import org.oobnet.harness.report.ResultFolder;
import org.oobnet.harness.report.RunJson;
import org.oobnet.harness.report.RunResult;
import org.oobnet.harness.report.SockperfSummary;

/**
 * Orchestrates UDP ping-pong runs as child processes: the reflector in the second namespace (or on loopback) and
 * the measuring client in the first, each its own JVM pinned to its own CPU, with or without the low-latency
 * profile. The parent only sets up the network, starts and stops the children, and collects what the client wrote
 * (its interval log and run file) — so each side's JVM is as quiet as a user's would be. Rows run alternating,
 * round after round, and each row's rounds are merged.
 * <p>
 * <b>Note:</b> in-band only, not thread safe. {@link #close()} ends any child and removes the namespaces.
 */
public final class UdpRunner implements AutoCloseable
{
    private static final long READY_TIMEOUT_S = 60;
    // the reflector prints its hops once told the measured phase ended; on a loaded machine that can take seconds
    private static final long HOPS_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private RunSettings settings;
    private final ResultFolder folder;
    private final PrintStream out;
    private final boolean echo;
    private final Progress progress;
    private final List<ChildJvm> children = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread shutdownHook = new Thread(this::closeChildren, "oobnet-children-cleanup");
    private RunNetwork network;
    private FloorProgram floor;
    private int extraSockets;
    // the round being run's scheduler trace: its children's processes and lines go to it
    private RowSched rowSched;

    /**
     * @param settings the run's settings.
     * @param folder   where results go.
     * @param out      where reports go.
     * @param echo     whether to echo the client's latmus lines as they come.
     * @param progress the progress line.
     */
    public UdpRunner(
        final RunSettings settings,
        final ResultFolder folder,
        final PrintStream out,
        final boolean echo,
        final Progress progress)
    {
        this.settings = settings;
        this.folder = folder;
        this.out = out;
        this.echo = echo;
        this.progress = progress;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Creates the namespaces, or falls back to loopback (and says why) when not privileged or asked to.
     *
     * @return the network the runs use.
     */
    public RunNetwork network()
    {
        if (network == null)
        {
            if (settings.loopback())
            {
                network = new LoopbackNetwork();
            }
            else
            {
                try
                {
                    network = NetnsPair.create();
                }
                catch (final IOException ex)
                {
                    out.println("oobnet: cannot create network namespaces (" + ex.getMessage() + "); not " +
                        "privileged? Using loopback: kernel socket transports only.");
                    network = new LoopbackNetwork();
                }
            }
        }
        return network;
    }

    /**
     * The C floor program, built (or found in its cache) on first use.
     *
     * @return the program, possibly unavailable (it says why).
     */
    public FloorProgram floorProgram()
    {
        if (floor == null)
        {
            floor = FloorProgram.build();
        }
        return floor;
    }

    /**
     * Changes the measured duration of the rows still to run (the demo decides it once it knows the rows).
     *
     * @param durationNs the measured time per row.
     */
    public void length(final long durationNs)
    {
        settings = settings.withDurationNs(durationNs);
    }

    /**
     * Runs every row {@code rounds} times, alternating, and writes each row's files.
     *
     * @param rows   the rows.
     * @param rounds how many alternating rounds; each gets its share of the length.
     * @return the merged rows that produced a result, in row order (failed rows are reported and left out).
     */
    public List<RunResult> run(final List<RowSpec> rows, final int rounds)
    {
        final RunNetwork network = network();
        if (!ChildJvm.canPin())
        {
            out.println("oobnet: taskset (util-linux) not found: the child JVMs run unpinned " +
                "(OOB stages still pin their own thread)");
        }
        final MeasurementPlan plan = settings.plan(rounds);
        final Map<String, RunResult> merged = new LinkedHashMap<>();
        final List<String> failed = new ArrayList<>();
        final int total = rows.size() * rounds;
        int index = 0;
        for (int round = 1; round <= rounds; round++)
        {
            for (final RowSpec row : rows)
            {
                index++;
                if (failed.contains(row.label()))
                {
                    continue;
                }
                if (RowSpec.FLOOR.equals(row.scenario()) && !floorProgram().isAvailable())
                {
                    out.println("oobnet: " + row.label() + " skipped: " + floor.unavailableReason());
                    failed.add(row.label());
                    continue;
                }
                if (row.needsNamespaces() && network instanceof LoopbackNetwork)
                {
                    out.println("oobnet: " + row.label() + " skipped: " + row.scenario() + "/" + row.transport() +
                        " needs two network namespaces (privileges)");
                    failed.add(row.label());
                    continue;
                }
                try
                {
                    final RunResult result = runOne(row, plan, rounds > 1 ? round : 0, index, total);
                    merged.merge(row.label(), result, RunResult::merge);
                }
                catch (final IOException | RuntimeException ex)
                {
                    progress.done();
                    out.println("oobnet: " + row.label() + " failed: " + ex.getMessage());
                    failed.add(row.label());
                    merged.remove(row.label());
                }
            }
        }
        progress.done();
        final List<RunResult> results = new ArrayList<>(merged.values());
        for (final RunResult result : results)
        {
            try
            {
                folder.writeRun(result);
            }
            catch (final IOException ex)
            {
                out.println("oobnet: cannot write " + result.run().label() + "'s files: " + ex.getMessage());
            }
        }
        return results;
    }

    private RunResult runOne(
        final RowSpec row, final MeasurementPlan plan, final int round, final int index, final int total)
        throws IOException
    {
        final String base = ResultFolder.fileName(row.label()) + (round > 0 ? "-r" + round : "");
        final int cpu = settings.cpu();
        final int peerCpu = settings.peerCpu();
        final long expectedS = plan.durationNs() > 0 ? TimeUnit.NANOSECONDS.toSeconds(plan.durationNs()) : 0;
        progress.show(index, total, row.label(), "starting", 0, expectedS);
        try (RowSched sched = RowSched.start(cpu, peerCpu))
        {
            rowSched = sched;
            final RunResult result = runSides(row, plan, base, index, total, expectedS);
            return result.withSched(sched.finish(result.measuredNs()));
        }
        finally
        {
            rowSched = null;
        }
    }

    private RunResult runSides(final RowSpec row, final MeasurementPlan plan, final String base, final int index,
        final int total, final long expectedS) throws IOException
    {
        final int cpu = settings.cpu();
        final int peerCpu = settings.peerCpu();
        if (RowSpec.FLOOR.equals(row.scenario()))
        {
            progress.show(index, total, row.label(), "measuring", 0, expectedS);
            try
            {
                return new FloorRound(floor, network, this::start, out).run(FloorRound.describe(row.label(),
                    row.transport(), settings.size(), cpu, peerCpu, network.kind(), plan), plan,
                    settings.receiveTimeoutNs(), folder.dir().resolve(base));
            }
            finally
            {
                children.removeIf(child -> !child.isAlive());
            }
        }

        final CompletableFuture<String> ready = new CompletableFuture<>();
        // the children resolve `auto` themselves: the raw-frame sides spin, the UDP sides spin only when isolated
        final String peerIdle = settings.idleName();
        final List<String> reflectArgs = RowSpec.PACKET.equals(row.scenario())
            ? List.of("latency", "packet", "--path", row.transport(), "--reflect",
                "--interface", network.interfaceName(true),
                "--idle", peerIdle, "--cpu", Integer.toString(peerCpu), "--exit-with-parent")
            : List.of("latency", "reflect", "--bind", network.reflectorAddress() + ":0",
                "--transport", row.transport(), "--idle", peerIdle, "--cpu", Integer.toString(peerCpu),
                "--interface", network.interfaceName(true), "--exit-with-parent");
        final BitSet busy = new BitSet();
        busy.set(Math.max(0, cpu));
        busy.set(Math.max(0, peerCpu));
        final HopLines.Collector reflectorHops = new HopLines.Collector();
        final AtomicReference<JitDelta> reflectorJit = new AtomicReference<>();
        final ChildJvm reflector = start(ChildJvm.withFlags(row.onStage()
            ? ChildJvm.stageCommand(network.prefix(true), peerCpu, busy, row.profile(), reflectArgs)
            : ChildJvm.command(network.prefix(true), peerCpu, row.profile(), reflectArgs), row.jvmFlags()),
            folder.dir().resolve(base + ".reflector.err"), line ->
            {
                if (line.startsWith(ReflectorRun.READY))
                {
                    ready.complete(line.substring(ReflectorRun.READY.length()).trim());
                }
                else if (line.startsWith(JitDelta.LINE))
                {
                    // printed before the hops, whose last line the result waits for
                    reflectorJit.set(JitDelta.parse(line));
                }
                reflectorHops.accept(line);
            });
        final PhaseRelay phases = new PhaseRelay(reflector);
        ChildJvm client = null;
        try
        {
            // the client's JVM starts while the reflector's does; it waits for the reflector's address on stdin
            final AtomicLong seconds = new AtomicLong();
            final Path output = folder.dir().resolve(base);
            final List<String> clientArgs = clientArgs(row, plan, "-", cpu, peerCpu, output);
            client = start(ChildJvm.withFlags(row.onStage()
                ? ChildJvm.stageCommand(network.prefix(false), cpu, busy, row.profile(), clientArgs)
                : ChildJvm.command(network.prefix(false), cpu, row.profile(), clientArgs), row.jvmFlags()),
                folder.dir().resolve(base + ".client.err"),
                line ->
                {
                    phases.relay(line);
                    if (line.startsWith("RTD|"))
                    {
                        final long s = seconds.incrementAndGet();
                        // the last RTD line is the flush of a partial interval: do not count past the end
                        progress.show(index, total, row.label(), "measuring", expectedS > 0 ? Math.min(s, expectedS) : s,
                            expectedS);
                    }
                    if (echo)
                    {
                        out.println(line);
                    }
                });
            final String peer = reflector.awaitLine(ready, TimeUnit.SECONDS.toNanos(READY_TIMEOUT_S), "reflector");
            client.tell(peer);
            // the client also opens and closes the --extra-sockets: 20 ms each of slack (well under 1 ms each on a
            // quiet machine, but a loaded one stretches every in-band step)
            final long timeoutMs = TimeUnit.NANOSECONDS.toMillis(plan.durationNs() + plan.warmupNs()) +
                (plan.count() + plan.warmupCount()) * 50 + 60_000 + extraSockets * 20L;
            final int exit = client.waitFor(timeoutMs);
            children.remove(client);
            if (exit != 0)
            {
                throw new IOException("measuring client exited with status " + exit + ": " + client.stderrTail());
            }
            final RunResult result = ChildOutput.read(output);
            if (!phases.ended())
            {
                return result;
            }
            final RunResult withHops = result.withPeerHops(reflectorHops.awaitOrSay(HOPS_TIMEOUT_NS, out,
                row.label() + " reflector"));
            final JitDelta peerJit = reflectorJit.get();
            return null == peerJit ? withHops : withHops.withJit(null == result.jit()
                ? new JitBlock(null, peerJit) : result.jit().withReflector(peerJit));
        }
        finally
        {
            if (client != null)
            {
                client.close();
                children.remove(client);
            }
            reflector.close();
            children.remove(reflector);
            removeIfEmpty(folder.dir().resolve(base + ".reflector.err"));
            removeIfEmpty(folder.dir().resolve(base + ".client.err"));
        }
    }

    /**
     * In-band, before {@link #run}: the measuring side of each UDP row opens this many more OOB UDP sockets, bound
     * and idle on its stage and interface ({@code oobnet latency udp --extra-sockets}).
     *
     * @param count the sockets, 0 for none.
     */
    public void extraSockets(final int count)
    {
        extraSockets = count;
    }

    private List<String> clientArgs(
        final RowSpec row, final MeasurementPlan plan, final String peer, final int cpu, final int peerCpu,
        final Path output)
    {
        final boolean packet = RowSpec.PACKET.equals(row.scenario());
        final List<String> args = new ArrayList<>(packet
            ? List.of("latency", "packet", "--path", row.transport(), "--interface", network.interfaceName(false),
                "--await-go")
            : List.of("latency", "udp", "--peer", peer, "--peer-kind", "oobnet", "--transport", row.transport(),
                "--interface", network.interfaceName(false)));
        args.addAll(List.of(
            "--size", Integer.toString(settings.size()),
            "--warmup", plan.warmupNs() > 0 ? plan.warmupNs() + "ns" : Long.toString(plan.warmupCount()),
            "--rate", Long.toString(plan.rateHz()),
            "--cpu", Integer.toString(cpu), "--peer-cpu", Integer.toString(peerCpu),
            "--idle", settings.idleName(),
            "--receive-timeout", settings.receiveTimeoutNs() + "ns",
            "--label", row.label(), "--network", network.kind(), "--child-output", output.toString(),
            "--exit-with-parent"));
        if (extraSockets > 0 && !packet)
        {
            args.add("--extra-sockets");
            args.add(Integer.toString(extraSockets));
        }
        if (plan.durationNs() > 0)
        {
            args.add("--duration");
            args.add(plan.durationNs() + "ns");
        }
        else
        {
            args.add("--count");
            args.add(Long.toString(plan.count()));
        }
        return args;
    }

    private ChildJvm start(final List<String> command, final Path stderr, final java.util.function.Consumer<String> lines)
        throws IOException
    {
        final RowSched sched = rowSched;
        final String side = RowSched.sideOf(stderr);
        final ChildJvm child = ChildJvm.start(command, stderr, sched == null ? lines : sched.watchLines(side, lines));
        if (sched != null)
        {
            sched.process(side, child.pid());
        }
        children.add(child);
        return child;
    }

    /**
     * Prints each row's sockperf-style summary.
     *
     * @param results the rows.
     */
    public void printSummaries(final List<RunResult> results)
    {
        for (final RunResult result : results)
        {
            SockperfSummary.lines(result).forEach(out::println);
        }
    }

    private static void removeIfEmpty(final Path file)
    {
        try
        {
            if (Files.exists(file) && Files.size(file) == 0)
            {
                Files.delete(file);
            }
        }
        catch (final IOException ignored)
        {
            // best effort: an empty error file is harmless
        }
    }

    private void closeChildren()
    {
        for (final ChildJvm child : children)
        {
            child.close();
        }
        children.clear();
    }

    @Override
    public void close()
    {
        closeChildren();
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException ignored)
        {
            // the JVM is shutting down: the hook is running
        }
        if (network != null)
        {
            try
            {
                network.close();
            }
            catch (final IOException ex)
            {
                out.println("oobnet: cannot remove the namespaces: " + ex.getMessage());
            }
        }
    }
}
