package org.oobnet.harness.bench.t2t;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;
import org.oobnet.core.counters.StageHops;
import org.oobnet.harness.bench.run.RunSettings;
import org.oobnet.harness.bench.udp.UdpRunner;
import org.oobnet.harness.env.ChildJvm;
import org.oobnet.harness.env.NetnsPair;
import org.oobnet.harness.bench.run.MeasurementPlan;
import org.oobnet.harness.report.Progress;
import org.oobnet.harness.report.ResultFolder;
import org.oobnet.harness.report.RunJson;
import org.oobnet.harness.report.RunResult;
import org.oobnet.harness.report.ChildOutput;

/**
 * Orchestrates a tick-to-trade run as child processes, as {@link UdpRunner} does the UDP runs: for each row and
 * round, the exchange simulator in the second namespace (its JVM pinned to the peer CPU) and the trader in the
 * first, pinned the same way whatever its row ({@link TraderPinning}: only the trading thread, stage or not, on the
 * measuring CPU, the JVM's other threads elsewhere). Rows alternate round after round; each row's rounds are kept
 * (the targets are judged round by round, {@link T2tTargets}) and merged.
 * <p>
 * <b>Note:</b> in-band only, not thread safe. {@link #close()} ends any child and removes the namespaces.
 */
public final class T2tRunner implements AutoCloseable
{
    private static final long READY_TIMEOUT_S = 60;
    private static final long TRADER_EXIT_MS = 30_000;

    private final RunSettings options;
    private final ResultFolder folder;
    private final PrintStream out;
    private final String transport;
    private final String exchangeIdle;
    private final long orderReceiveIntervalNs;
    private final boolean keepStamps;
    private final boolean stageSteps;
    private final Progress progress;
    private final List<ChildJvm> children = new ArrayList<>();
    private final NetnsPair network;
    private final Thread shutdownHook = new Thread(this::closeAll, "oobnet-t2t-cleanup");

    /**
     * Creates the namespaces.
     *
     * @param options   the run's settings.
     * @param folder    where results go.
     * @param out       where reports go.
     * @param transport oob-udp's transport for the stage row's feed socket.
     * @param exchangeIdle the exchange stage's idle strategy: spin, yield or backoff.
     * @param orderReceiveIntervalNs how often the stage trader receives from its quiet order connection.
     * @param keepStamps keep each row's per-tick times in the folder once joined (else they are deleted).
     * @param stageSteps whether the stage trader keeps its tick side's steps ({@code -Doobnet.hops.steps=true}).
     * @param progress  the progress line.
     * @throws IOException when the namespaces cannot be made (not privileged).
     */
    public T2tRunner(final RunSettings options, final ResultFolder folder, final PrintStream out, final String transport,
        final String exchangeIdle, final long orderReceiveIntervalNs, final boolean keepStamps,
        final boolean stageSteps, final Progress progress)
        throws IOException
    {
        this.stageSteps = stageSteps;
        this.orderReceiveIntervalNs = orderReceiveIntervalNs;
        this.keepStamps = keepStamps;
        this.exchangeIdle = exchangeIdle;
        this.options = options;
        this.folder = folder;
        this.out = out;
        this.transport = transport;
        this.progress = progress;
        this.network = NetnsPair.create();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Runs every row {@code rounds} times, alternating, and writes each row's files.
     *
     * @param rows   the rows.
     * @param rounds how many alternating rounds; each gets its share of the length.
     * @param rateHz ticks per second.
     * @return the rows that produced a result, merged and round by round, in row order (failed rows are reported
     * and left out).
     */
    public T2tRun run(final List<T2tRow> rows, final int rounds, final long rateHz)
    {
        final MeasurementPlan plan = options.plan(rounds);
        final Map<T2tRow, List<T2tResult>> byRound = new LinkedHashMap<>();
        final List<T2tRow> failed = new ArrayList<>();
        final int total = rows.size() * rounds;
        try (HarnessPinning pinning = HarnessPinning.apply(options.cpu()))
        {
            out.println("oobnet: " + pinning.note());
            runRounds(rows, rounds, rateHz, plan, byRound, failed, total);
        }
        progress.done();
        // each row's rounds kept as they ran (the targets round by round), and merged (the tables)
        final List<T2tResult> results = new ArrayList<>();
        byRound.values().forEach(r -> results.add(r.stream().reduce(T2tResult::merge).orElseThrow()));
        for (final T2tResult result : results)
        {
            try
            {
                folder.writeRun(result.tickToTrade());
            }
            catch (final IOException ex)
            {
                out.println("oobnet: cannot write " + result.row().label() + "'s files: " + ex.getMessage());
            }
        }
        return new T2tRun(results, byRound);
    }

    private void runRounds(final List<T2tRow> rows, final int rounds, final long rateHz, final MeasurementPlan plan,
        final Map<T2tRow, List<T2tResult>> byRound, final List<T2tRow> failed, final int total)
    {
        int index = 0;
        for (int round = 1; round <= rounds; round++)
        {
            for (final T2tRow row : rows)
            {
                index++;
                if (failed.contains(row))
                {
                    continue;
                }
                try
                {
                    final T2tResult result = runOne(row, plan, rateHz, rounds > 1 ? round : 0, index, total);
                    byRound.computeIfAbsent(row, r -> new ArrayList<>()).add(result);
                }
                catch (final IOException | RuntimeException ex)
                {
                    progress.done();
                    out.println("oobnet: " + row.label() + " failed: " + ex.getMessage());
                    failed.add(row);
                    byRound.remove(row);
                }
            }
        }
    }

    private T2tResult runOne(
        final T2tRow row, final MeasurementPlan plan, final long rateHz, final int round, final int index,
        final int total) throws IOException
    {
        try (T2tSched sched = T2tSched.start(options.cpu(), options.peerCpu()))
        {
            return runSides(row, plan, rateHz, round, index, total, sched);
        }
    }

    private T2tResult runSides(
        final T2tRow row, final MeasurementPlan plan, final long rateHz, final int round, final int index,
        final int total, final T2tSched sched) throws IOException
    {
        final String base = ResultFolder.fileName(row.label()) + (round > 0 ? "-r" + round : "");
        final Path output = folder.dir().resolve(base);
        final int cpu = options.cpu();
        final int peerCpu = options.peerCpu();
        final long expectedS = TimeUnit.NANOSECONDS.toSeconds(plan.durationNs());
        progress.show(index, total, row.label(), "starting", 0, expectedS);
        final List<String> length = lengthArgs(plan, rateHz);
        final List<String> exchangeArgs = new ArrayList<>(List.of("latency", "tick-to-trade", "--role", "exchange",
            "--bind", network.reflectorAddress(), "--interface", network.interfaceName(true),
            "--cpu", Integer.toString(peerCpu), "--peer-cpu", Integer.toString(cpu),
            "--receive-timeout", options.receiveTimeoutNs() + "ns", "--label", row.label(),
            "--exchange-idle", exchangeIdle,
            "--network", network.kind(), "--child-output", output.toString(), "--exit-with-parent"));
        exchangeArgs.addAll(length);
        final CompletableFuture<String> ready = new CompletableFuture<>();
        final AtomicLong seconds = new AtomicLong();
        final ChildJvm exchange = start(ChildJvm.command(network.prefix(true), peerCpu, true, exchangeArgs),
            folder.dir().resolve(base + ".exchange.err"), sched.watchExchange(line ->
            {
                if (line.startsWith(ExchangeSimulator.READY))
                {
                    ready.complete(line.substring(ExchangeSimulator.READY.length()).trim());
                }
                else if (line.startsWith("RTD|"))
                {
                    progress.show(index, total, row.label(), "measuring",
                        Math.min(seconds.incrementAndGet(), expectedS), expectedS);
                }
            }));
        sched.exchange(exchange.pid());
        ChildJvm trader = null;
        try
        {
            final String address = exchange.awaitLine(ready, TimeUnit.SECONDS.toNanos(READY_TIMEOUT_S), "exchange");
            final List<String> traderArgs = new ArrayList<>(List.of("latency", "tick-to-trade", "--role", "trader",
                "--trader", row.mode(), "--exchange", address, "--interface", network.interfaceName(false),
                "--transport", transport, "--idle", options.idleName(), "--cpu", Integer.toString(cpu),
                "--order-receive-interval", orderReceiveIntervalNs + "ns",
                "--child-output", output.toString(), "--exit-with-parent"));
            traderArgs.addAll(length);
            // every row alike: only the trading thread on the trading CPU (TraderPinning)
            final List<String> traderCommand = TraderPinning.traderCommand(network.prefix(false), cpu, peerCpu, traderArgs);
            trader = start(stageSteps && T2tRow.STAGE == row ? ChildJvm.withFlags(traderCommand,
                    List.of("-D" + StageHops.STEPS_PROPERTY + "=true")) : traderCommand,
                folder.dir().resolve(base + ".trader.err"), line -> { });
            sched.trader(trader.pid());
            final long timeoutMs = TimeUnit.NANOSECONDS.toMillis(plan.durationNs() + plan.warmupNs()) +
                (plan.count() + plan.warmupCount()) * 1000 / Math.max(1, rateHz) + 90_000;
            final int exit = exchange.waitFor(timeoutMs);
            if (exit != 0)
            {
                throw new IOException("the exchange exited with status " + exit + ": " + exchange.stderrTail() +
                    (trader.isAlive() ? "" : "; trader: " + trader.stderrTail()));
            }
            // the exchange is done: a trader still waiting for the feed's end (it missed it) writes what it has
            trader.endInput();
            final int traderExit = trader.waitFor(TRADER_EXIT_MS);
            if (traderExit != 0)
            {
                throw new IOException("the trader exited with status " + traderExit + ": " + trader.stderrTail());
            }
            final T2tSchedRound schedRound = sched.finish(Math.max(1, round), output);
            return read(row, output, keepStamps, schedRound);
        }
        finally
        {
            if (trader != null)
            {
                trader.close();
            }
            exchange.close();
            children.clear();
            removeIfEmpty(folder.dir().resolve(base + ".exchange.err"));
            removeIfEmpty(folder.dir().resolve(base + ".trader.err"));
        }
    }

    private static List<String> lengthArgs(final MeasurementPlan plan, final long rateHz)
    {
        return List.of("--rate", Long.toString(rateHz),
            "--warmup", plan.warmupNs() > 0 ? plan.warmupNs() + "ns" : Long.toString(plan.warmupCount()),
            plan.durationNs() > 0 ? "--duration" : "--count",
            plan.durationNs() > 0 ? plan.durationNs() + "ns" : Long.toString(plan.count()));
    }

    /**
     * Reads what the exchange and the trader of one row and round wrote.
     *
     * @param row    the row.
     * @param output their path prefix.
     * @param keepStamps keep the per-tick times' files (else deleted once joined).
     * @param sched  the round's scheduler evidence.
     * @return the row's result.
     * @throws IOException when a file is missing or unreadable.
     */
    static T2tResult read(final T2tRow row, final Path output, final boolean keepStamps, final T2tSchedRound sched)
        throws IOException
    {
        final JsonNode exchange = RunJson.read(Path.of(output + ".run.json"));
        final RunResult measured = RunJson.fromJson(exchange, ChildOutput.readIntervalLog(Path.of(output + ".hlog")));
        final JsonNode trader = RunJson.read(Path.of(output + ".trader.json"));
        final Histogram inProcess = ChildOutput.readIntervalLog(Path.of(output + ".inproc.hlog"));
        final long stalls = trader.path("stalls").asLong(-1);
        // the trading side's figures: the stage's allocation (or the trading thread's), its stalls
        final RunResult tickToTrade = new RunResult(measured.run(), measured.histogram(), measured.warmupCount(),
            measured.warmupNs(), measured.lost(), measured.overruns(), stalls,
            trader.has("stage_alloc_bytes") ? trader.path("stage_alloc_bytes").asLong() : -1,
            trader.path("client_alloc_bytes").asLong(0), measured.gc(), measured.measuredNs(), measured.clamped());
        final Path exchangeStamps = Path.of(output + ".exchange.stamps");
        final Path traderStamps = Path.of(output + ".trader.stamps");
        final T2tHops hops = T2tHops.join(TickStamps.read(exchangeStamps), TickStamps.read(traderStamps));
        // joined: the per-tick times (32-48 bytes a tick a side) are kept only when asked, to look at single ticks
        if (!keepStamps)
        {
            Files.delete(exchangeStamps);
            Files.delete(traderStamps);
        }
        final OrderBooks.Books books = T2tJson.books(exchange);
        return new T2tResult(row, tickToTrade, inProcess, books, trader.path("send_failures").asLong(),
            trader.path("ticks_lost").asLong(), TraderFeed.of(trader, books.ticks()), hops, trader.path("pinning"),
            List.of(sched));
    }

    private ChildJvm start(final List<String> command, final Path stderr, final java.util.function.Consumer<String> lines)
        throws IOException
    {
        final ChildJvm child = ChildJvm.start(command, stderr, lines);
        children.add(child);
        return child;
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

    @Override
    public void close()
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException ignored)
        {
            // the JVM is shutting down: the hook is running
        }
        closeAll();
    }

    private synchronized void closeAll()
    {
        for (final ChildJvm child : children)
        {
            child.close();
        }
        children.clear();
        network.close();
    }
}
