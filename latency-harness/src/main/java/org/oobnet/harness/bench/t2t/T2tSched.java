package org.oobnet.harness.bench.t2t;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.oobnet.core.RealtimeNanoClock;
import org.oobnet.harness.bench.run.RowSched;
import org.oobnet.harness.env.ProcTasks;
import org.oobnet.harness.env.SchedTrace;
import org.oobnet.harness.report.RunJson;
import org.oobnet.harness.report.SchedBlock;
import org.oobnet.harness.report.SchedSide;

/**
 * Records one round of a tick-to-trade row for {@link T2tSchedRound}. The two CPUs' context switches are
 * {@code latency compare}'s {@link RowSched}, with the exchange as its measuring side (its {@code RTD|} lines place
 * the measured phase; it runs on the peer CPU) and the trader as its reflecting side (the trading CPU); the sides are
 * then named {@code exchange} and {@code trader}. A second tracefs instance watches the trading CPU alone for its
 * interrupts and softirqs, and its switches again, to name what each slow tick met ({@link SlowTicks}).
 * The measured phase is RowSched's window: the exchange's measured time up to its last {@code RTD|} line, which comes
 * after it has waited for the last orders (a few ms late on a quiet machine).
 * <p>
 * <b>Note:</b> in-band; the line hook runs on the exchange's output thread, the rest on the runner's thread.
 */
final class T2tSched implements AutoCloseable
{
    /** The exchange's side. */
    static final String EXCHANGE = "exchange";
    /** The trader's side: the trading thread. */
    static final String TRADER = "trader";

    private final RowSched row;
    private final SchedTrace cpuTrace;
    private final String cpuAbsent;
    private final int cpu;
    private final long offsetNs = new RealtimeNanoClock().offsetNs();
    private final Map<Long, String> pids = new HashMap<>();
    private final Map<Integer, String> owners = new HashMap<>();
    private volatile long lastMarkNs = -1;

    private T2tSched(final RowSched row, final SchedTrace cpuTrace, final String cpuAbsent, final int cpu)
    {
        this.row = row;
        this.cpuTrace = cpuTrace;
        this.cpuAbsent = cpuAbsent;
        this.cpu = cpu;
    }

    /**
     * Starts both traces, or notes why one cannot run.
     *
     * @param cpu     the trading CPU.
     * @param peerCpu the exchange's CPU.
     * @return the round's recording; close it.
     */
    static T2tSched start(final int cpu, final int peerCpu)
    {
        final RowSched row = RowSched.start(peerCpu, cpu);
        if (cpu < 0)
        {
            return new T2tSched(row, null, "cpu=" + cpu + ": the trading thread is not pinned", cpu);
        }
        final BitSet cpus = new BitSet();
        cpus.set(cpu);
        final List<String> events = new ArrayList<>(TradingCpuTrace.EVENTS);
        events.addAll(TradingCpuTrace.x86Events());
        try
        {
            return new T2tSched(row, SchedTrace.start(cpus, events), null, cpu);
        }
        catch (final IOException withVectors)
        {
            try
            {
                // not x86 (no irq_vectors): the device interrupts and softirqs alone
                return new T2tSched(row, SchedTrace.start(cpus, TradingCpuTrace.EVENTS), null, cpu);
            }
            catch (final IOException ex)
            {
                return new T2tSched(row, null, ex.getMessage(), cpu);
            }
        }
    }

    /**
     * @param lines the exchange's own output consumer.
     * @return the consumer to give the exchange: its {@code RTD|} lines mark the phase.
     */
    Consumer<String> watchExchange(final Consumer<String> lines)
    {
        return row.watchLines(RowSched.CLIENT, line ->
        {
            if (line.startsWith("RTD|"))
            {
                lastMarkNs = System.nanoTime();
                listThreads();
            }
            lines.accept(line);
        });
    }

    /** @param pid the exchange's process. */
    synchronized void exchange(final long pid)
    {
        row.process(RowSched.CLIENT, pid);
        pids.put(pid, EXCHANGE);
    }

    /** @param pid the trader's process. */
    synchronized void trader(final long pid)
    {
        row.process(RowSched.REFLECTOR, pid);
        pids.put(pid, TRADER);
    }

    // while the phase runs (and at its end): the two processes' threads, whatever their names
    private synchronized void listThreads()
    {
        final Map<Long, String> all = new HashMap<>(pids);
        all.put(ProcessHandle.current().pid(), RowSched.HARNESS);
        all.forEach((pid, owner) ->
        {
            owners.put(pid.intValue(), owner);
            try
            {
                for (final Path task : ProcTasks.of(pid))
                {
                    owners.put(ProcTasks.tid(task), owner);
                }
            }
            catch (final IOException | NumberFormatException ignored)
            {
                // gone: the threads listed earlier stand
            }
        });
    }

    /**
     * Stops both traces and reads them with the round's files.
     *
     * @param round  the round.
     * @param output the round's path prefix: the exchange's {@code .run.json} and {@code .exchange.stamps}, the
     *               trader's {@code .trader.json} and {@code .trader.stamps}.
     * @return the round.
     * @throws IOException when a file is missing.
     */
    T2tSchedRound finish(final int round, final Path output) throws IOException
    {
        final long measuredNs = RunJson.read(Path.of(output + ".run.json")).path("measured_ns").asLong();
        final JsonNode tradingThread = RunJson.read(Path.of(output + ".trader.json")).path(TraderRun.TRADING_THREAD);
        final SchedBlock block = relabel(row.finish(measuredNs));
        if (cpuTrace == null)
        {
            return new T2tSchedRound(round, block, tradingThread, cpu, cpuAbsent, Map.of(), null);
        }
        final long endNs = lastMarkNs;
        if (endNs < 0)
        {
            return new T2tSchedRound(round, block, tradingThread, cpu, "the exchange printed no RTD| line to " +
                "place the measured phase by", Map.of(), null);
        }
        final TradingCpuTrace trace = new TradingCpuTrace();
        final SchedTrace.Capture capture = cpuTrace.stop(trace);
        final long startNs = endNs - measuredNs;
        if (capture.oldestNs() > startNs)
        {
            return new T2tSchedRound(round, block, tradingThread, cpu, String.format(Locale.ROOT, "the trace " +
                "buffer overran (%d events lost): it starts %.1f ms into the measured phase", capture.lost(),
                (capture.oldestNs() - startNs) / 1e6), Map.of(), null);
        }
        listThreads();
        final int tid = tradingThread.has("tid") ? tradingThread.get("tid").asInt() : spinningThread(block);
        // no trading thread known (neither the trader's counters nor the trace found it): no tick can be charged
        final SlowTicks slow = tid < 0 ? null : SlowTicks.of(TickStamps.read(Path.of(output + ".exchange.stamps")),
            TickStamps.read(Path.of(output + ".trader.stamps")), offsetNs, trace, tid, Map.copyOf(owners));
        return new T2tSchedRound(round, block, tradingThread, cpu, null, trace.timeByName(startNs, endNs), slow);
    }

    // without the trader's own counters: the trader side's spinning thread as the trace found it ("<comm>/<tid>")
    private static int spinningThread(final SchedBlock block)
    {
        for (final SchedSide side : block.sides())
        {
            if (side.side().equals(TRADER) && !side.threads().isEmpty())
            {
                final String thread = side.threads().getFirst();
                return Integer.parseInt(thread.substring(thread.lastIndexOf('/') + 1));
            }
        }
        return -1;
    }

    // RowSched's sides and owners are the measuring client (here the exchange) and the reflector (the trader)
    private static SchedBlock relabel(final SchedBlock block)
    {
        final List<SchedSide> sides = new ArrayList<>();
        for (final SchedSide s : block.sides())
        {
            final List<SchedSide.Preemptor> byComm = new ArrayList<>();
            s.byComm().forEach(p -> byComm.add(new SchedSide.Preemptor(owner(p.comm()), p.own(), p.ns(), p.count())));
            sides.add(new SchedSide(owner(s.side()), s.cpu(), s.threads(), s.windowNs(), s.switchedOut(),
                s.preempted(), s.offNs(), s.maxOffNs(), List.copyOf(byComm)));
        }
        sides.sort((a, b) -> a.side().equals(TRADER) ? -1 : b.side().equals(TRADER) ? 1 : 0);
        return new SchedBlock(block.roundsTraced(), block.roundsAbsent(), block.absent(), block.windowNs(),
            block.lostEvents(), block.malformedLines(), List.copyOf(sides));
    }

    private static String owner(final String name)
    {
        if (name.equals(RowSched.CLIENT) || name.startsWith(RowSched.CLIENT + SchedSide.OWNER_SEPARATOR))
        {
            return EXCHANGE + name.substring(RowSched.CLIENT.length());
        }
        if (name.equals(RowSched.REFLECTOR) || name.startsWith(RowSched.REFLECTOR + SchedSide.OWNER_SEPARATOR))
        {
            return TRADER + name.substring(RowSched.REFLECTOR.length());
        }
        return name;
    }

    @Override
    public void close()
    {
        row.close();
        if (cpuTrace != null)
        {
            cpuTrace.close();
        }
    }
}
