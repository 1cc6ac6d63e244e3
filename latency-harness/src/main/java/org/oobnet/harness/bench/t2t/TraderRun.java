package org.oobnet.harness.bench.t2t;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.oobnet.harness.bench.run.StageAllocation;
import org.oobnet.harness.bench.run.StageSamples;
import org.oobnet.harness.report.LatencyRecorder;
import org.oobnet.harness.report.RunJson;

/**
 * The in-band side of a trader, whatever row: waits for the first measured tick, reads the trading thread's (or
 * stage's) allocated bytes there and at the end of the feed's session, takes the in-process samples off the
 * trading side every millisecond, and writes {@code <output>.inproc.hlog} and {@code <output>.trader.json}.
 * <p>
 * <b>Note:</b> in-band, on the trader's main thread; it sleeps (never spins).
 */
final class TraderRun
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
    /** The trader gives up when the feed has not ended this long after the exchange's run should have. */
    private static final long SLACK_NS = TimeUnit.SECONDS.toNanos(30);
    /** The trading side is taken as idle once its feed's position has not moved this long. */
    private static final long SETTLE_NS = TimeUnit.MILLISECONDS.toNanos(50);
    /** At most this long. */
    private static final long SETTLE_LIMIT_NS = TimeUnit.SECONDS.toNanos(2);

    /** The trader's json object with the trading thread's scheduler counters over the measured phase. */
    static final String TRADING_THREAD = "trading_thread";

    private final TickAnswer answer;
    private final StageSamples samples;
    private final LatencyRecorder recorder = new LatencyRecorder();

    /**
     * @param answer  the trading logic.
     * @param samples its in-process samples.
     */
    TraderRun(final TickAnswer answer, final StageSamples samples)
    {
        this.answer = answer;
        this.samples = samples;
    }

    // The feed did not end (the trader missed its end, or is stopped): the trading side may still be taking what its
    // feed held. Its figures are read once its position has not moved for SETTLE_NS (nothing new comes once the
    // exchange is gone), so that they add up: every tick received, reported lost or never reached.
    private void settle()
    {
        final long deadline = System.nanoTime() + SETTLE_LIMIT_NS;
        long last = answer.feedNext();
        long since = System.nanoTime();
        while (System.nanoTime() - deadline < 0 && System.nanoTime() - since < SETTLE_NS)
        {
            LockSupport.parkNanos(1_000_000L);
            final long next = answer.feedNext();
            if (next != last)
            {
                last = next;
                since = System.nanoTime();
            }
        }
    }

    // the trading thread's counters now (found by its affinity when tid is -1), null when there is none
    private static TradingThreadStat schedNow(final int cpu, final int tid)
    {
        try
        {
            final int thread = tid >= 0 ? tid : TradingThreadStat.find(cpu);
            return thread < 0 ? null : TradingThreadStat.read(thread);
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            return null;
        }
    }

    /**
     * Waits for the end of the feed's session (or {@code stop}) and writes the trader's files.
     *
     * @param tradingThread   the id of the stage's or trading thread, whose allocated bytes are read.
     * @param stalls          the stage's stalls so far, -1 without a stage.
     * @param onStage         whether the trading side is a stage ({@code stage_alloc_bytes}) or a thread
     *                        ({@code client_alloc_bytes}).
     * @param cpu             the trading CPU, -1 for none.
     * @param pinned          whether the stage or trading thread runs on {@code cpu} alone (read at the end).
     * @param expectedNs      how long the exchange's run should take.
     * @param stop            true once the trader must stop (its parent is gone).
     * @param output          the path prefix of the files.
     * @param out             where the trader says what happened.
     * @param feedFields      puts the row's own figures of its feed ({@link TraderFeed}) in the trader's json.
     * @throws IOException when a file cannot be written.
     */
    void awaitAndWrite(
        final long tradingThread, final LongSupplier stalls, final boolean onStage, final int cpu,
        final BooleanSupplier pinned, final long expectedNs, final BooleanSupplier stop, final Path output,
        final PrintStream out, final Consumer<ObjectNode> feedFields) throws IOException
    {
        final long deadline = System.nanoTime() + expectedNs + SLACK_NS;
        while (!answer.isMeasuring() && !answer.hasEnded() && !stop.getAsBoolean() &&
            System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(1_000_000L);
            samples.drainTo(recorder);
        }
        recorder.restart(); // warm-up samples do not count
        // the classes the warm-up loaded (HdrHistogram's too): a later first C2 compile on the stage finds their
        // literals resolved
        StageAllocation.resolveStageStrings();
        final long allocStart = THREADS.getThreadAllocatedBytes(tradingThread);
        final long stallsStart = stalls.getAsLong();
        final TradingThreadStat schedStart = schedNow(cpu, -1);
        while (!answer.hasEnded() && !stop.getAsBoolean() && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(1_000_000L);
            samples.drainTo(recorder);
        }
        if (!answer.hasEnded())
        {
            settle();
        }
        final long allocated = THREADS.getThreadAllocatedBytes(tradingThread) - allocStart;
        final long stallsEnd = stalls.getAsLong();
        final TradingThreadStat schedEnd = schedStart == null ? null : schedNow(cpu, schedStart.tid());
        samples.drainTo(recorder);
        final Histogram inProcess = recorder.swapInterval();
        try (PrintStream logStream = new PrintStream(Path.of(output + ".inproc.hlog").toFile()))
        {
            final HistogramLogWriter log = new HistogramLogWriter(logStream);
            log.outputLogFormatVersion();
            log.outputLegend();
            log.outputIntervalHistogram(inProcess);
        }
        final long feedNext = answer.feedNext(); // acquire: the totals below are at least as new
        final long[] totals = answer.totals();
        final ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("ended", answer.hasEnded());
        json.put("ticks", totals[0]);
        json.put("orders_sent", answer.sent());
        json.put("send_failures", totals[1]);
        json.put("ticks_lost", totals[2]);
        json.put("without_rx_timestamp", totals[3]);
        json.put("not_ticks", totals[4]);
        // where the feed stood: the ticks from there on never reached the trader (named in the books, T2tLosses)
        json.put(TraderFeed.NEXT_SEQUENCE, feedNext);
        feedFields.accept(json);
        json.put("samples_dropped", samples.dropped());
        json.put(onStage ? "stage_alloc_bytes" : "client_alloc_bytes", allocated);
        json.put("stalls", stallsEnd < 0 ? -1 : stallsEnd - stallsStart);
        json.set("pinning", TraderPinning.observed(cpu, pinned.getAsBoolean()));
        json.set(TRADING_THREAD, schedEnd == null ? TradingThreadStat.absent("no thread of the trader runs on cpu=" +
            cpu + " alone, or it ended") : schedEnd.minus(schedStart).toJson());
        RunJson.write(Path.of(output + ".trader.json"), json);
        answer.stamps().write(Path.of(output + ".trader.stamps"));
        out.println("oobnet: trader answered " + answer.sent() + " ticks" + (answer.hasEnded() ? "" :
            " (the feed's session did not end: it stopped at sequence " + feedNext + ")"));
        out.flush();
    }
}
