package org.oobnet.harness.bench.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.oobnet.harness.env.ProcTasks;
import org.oobnet.harness.env.SchedEvents;
import org.oobnet.harness.env.SchedTrace;
import org.oobnet.harness.report.SchedAnalysis;
import org.oobnet.harness.report.SchedBlock;
import org.oobnet.harness.report.SchedSide;

/**
 * The scheduler evidence of one round of a row: a {@link SchedTrace} on the row's two CPUs from before its
 * processes start until the round ends, and the two sides' processes, whose threads are listed while the
 * measured phase runs. The measured phase is taken as the {@code measuredNs} before the last line the client
 * printed at the end of an interval or of the phase ({@code RTD|} of a JVM client, {@code FLOOR} of the C one), as
 * the parent saw it: the window is late by the pipe's delay (well under a millisecond on a quiet machine).
 * <p>
 * <b>Note:</b> in-band; the line hooks run on the children's output threads, the rest on the runner's thread.
 */
public final class RowSched implements AutoCloseable
{
    /** The measuring side. */
    public static final String CLIENT = "client";
    /** The reflecting side. */
    public static final String REFLECTOR = "reflector";
    /** This process, which starts the sides and reads their output. */
    public static final String HARNESS = "harness";

    private final SchedTrace trace;
    private final String absent;
    private final int cpu;
    private final int peerCpu;
    private final List<Long> clientPids = new ArrayList<>();
    private final List<Long> reflectorPids = new ArrayList<>();
    private final Set<Integer> clientTids = new HashSet<>();
    private final Set<Integer> reflectorTids = new HashSet<>();
    private final Set<Integer> harnessTids = new HashSet<>();
    private volatile long lastMarkNs = -1;

    private RowSched(final SchedTrace trace, final String absent, final int cpu, final int peerCpu)
    {
        this.trace = trace;
        this.absent = absent;
        this.cpu = cpu;
        this.peerCpu = peerCpu;
    }

    /**
     * Starts tracing the two CPUs, or notes why it cannot (the round then reports that instead).
     *
     * @param cpu     the measuring side's CPU.
     * @param peerCpu the reflector's CPU.
     * @return the round's recording; close it.
     */
    public static RowSched start(final int cpu, final int peerCpu)
    {
        if (cpu < 0 || peerCpu < 0)
        {
            return new RowSched(null, "cpu=" + cpu + " peer_cpu=" + peerCpu + ": a side is not pinned, so there " +
                "is no CPU to watch", cpu, peerCpu);
        }
        final BitSet cpus = new BitSet();
        cpus.set(cpu);
        cpus.set(peerCpu);
        try
        {
            return new RowSched(SchedTrace.start(cpus), null, cpu, peerCpu);
        }
        catch (final IOException ex)
        {
            return new RowSched(null, ex.getMessage(), cpu, peerCpu);
        }
    }

    /**
     * @param stderr where a side's standard error goes: {@code <base>.client.err} or {@code <base>.reflector.err}.
     * @return the side it names.
     */
    public static String sideOf(final Path stderr)
    {
        return stderr.getFileName().toString().endsWith("." + CLIENT + ".err") ? CLIENT : REFLECTOR;
    }

    /**
     * Wraps a side's output consumer so that the client's end-of-interval lines mark the phase.
     *
     * @param side  {@link #CLIENT} or {@link #REFLECTOR}.
     * @param lines the side's own consumer.
     * @return the consumer to give the child.
     */
    public Consumer<String> watchLines(final String side, final Consumer<String> lines)
    {
        if (!CLIENT.equals(side))
        {
            return lines;
        }
        return line ->
        {
            if (line.startsWith("RTD|") || line.startsWith("FLOOR "))
            {
                lastMarkNs = System.nanoTime();
                listThreads();
            }
            lines.accept(line);
        };
    }

    /**
     * @param side {@link #CLIENT} or {@link #REFLECTOR}.
     * @param pid  a process of that side.
     */
    public synchronized void process(final String side, final long pid)
    {
        (CLIENT.equals(side) ? clientPids : reflectorPids).add(pid);
    }

    // while the phase runs: each side's threads, whatever their names (the stage pins itself after start-up)
    private synchronized void listThreads()
    {
        addThreads(clientPids, clientTids);
        addThreads(reflectorPids, reflectorTids);
        addThreads(List.of(ProcessHandle.current().pid()), harnessTids);
    }

    private static void addThreads(final List<Long> pids, final Set<Integer> tids)
    {
        for (final long pid : pids)
        {
            tids.add((int)pid);
            try
            {
                for (final Path task : ProcTasks.of(pid))
                {
                    tids.add(ProcTasks.tid(task));
                }
            }
            catch (final IOException | NumberFormatException ignored)
            {
                // the process is gone: the threads listed earlier stand
            }
        }
    }

    /**
     * Stops the trace and reads it.
     *
     * @param measuredNs the measured phase's length, as the client reported it.
     * @return the round's block: both sides, or why there is none.
     */
    public SchedBlock finish(final long measuredNs)
    {
        if (trace == null)
        {
            return SchedBlock.absent(absent);
        }
        final long endNs = lastMarkNs;
        if (endNs < 0)
        {
            return SchedBlock.absent("the client printed no end-of-interval line to place the measured phase by");
        }
        final SchedEvents events = new SchedEvents();
        final SchedTrace.Capture capture;
        try
        {
            capture = trace.stop(events);
        }
        catch (final IOException ex)
        {
            return SchedBlock.absent("cannot read the trace: " + ex.getMessage());
        }
        final long startNs = endNs - measuredNs;
        if (capture.oldestNs() > startNs)
        {
            return SchedBlock.absent(String.format(Locale.ROOT, "the trace buffer overran (%d events lost): what " +
                "it kept starts %.1f ms into the measured phase", capture.lost() + events.lost(),
                (capture.oldestNs() - startNs) / 1e6));
        }
        final List<SchedSide> sides;
        synchronized (this)
        {
            listThreads();
            final Map<Integer, String> owners = new HashMap<>();
            harnessTids.forEach(tid -> owners.put(tid, HARNESS));
            reflectorTids.forEach(tid -> owners.put(tid, REFLECTOR));
            clientTids.forEach(tid -> owners.put(tid, CLIENT));
            sides = List.of(
                SchedAnalysis.analyse(events.events(), startNs, endNs, CLIENT, cpu, clientTids, owners),
                SchedAnalysis.analyse(events.events(), startNs, endNs, REFLECTOR, peerCpu, reflectorTids, owners));
        }
        return new SchedBlock(1, 0, null, measuredNs, capture.lost() + events.lost(), events.malformed(), sides);
    }

    @Override
    public void close()
    {
        if (trace != null)
        {
            trace.close();
        }
    }
}
