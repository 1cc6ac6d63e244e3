package org.oobnet.harness.bench.t2t;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.oobnet.harness.env.ProcTasks;

/**
 * The trading thread's own scheduler counters over the measured phase, read by the trader from
 * {@code /proc/self/task/<tid>}: its voluntary and involuntary context switches ({@code status}) and its time on the
 * CPU and waiting on the run queue ({@code schedstat}). The trading thread is found as the trader's one thread whose
 * affinity is the trading CPU alone ({@link TraderPinning}: the stage pins itself there, the thread rows' trading
 * thread too, the JVM's other threads run elsewhere).
 * <p>
 * <b>Note:</b> in-band, on the trader's main thread.
 *
 * @param tid         the thread's id.
 * @param comm        its name.
 * @param voluntary   times it gave up the CPU (blocked).
 * @param involuntary times it was taken off the CPU while runnable (preempted; a {@code sched_yield} counts here).
 * @param onCpuNs     its time on the CPU.
 * @param runDelayNs  its time runnable but waiting for the CPU (the run-queue wait).
 */
record TradingThreadStat(int tid, String comm, long voluntary, long involuntary, long onCpuNs, long runDelayNs)
{
    /**
     * @param cpu the trading CPU.
     * @return the id of this process's one thread allowed on {@code cpu} alone, -1 when there is none or more than one.
     * @throws IOException when {@code /proc/self/task} cannot be listed.
     */
    static int find(final int cpu) throws IOException
    {
        if (cpu < 0)
        {
            return -1;
        }
        int found = -1;
        for (final Path task : ProcTasks.self())
        {
            final String allowed;
            try
            {
                allowed = field(Files.readString(task.resolve("status")), "Cpus_allowed_list:");
            }
            catch (final IOException ex)
            {
                continue; // the thread ended meanwhile
            }
            if (Integer.toString(cpu).equals(allowed))
            {
                if (found >= 0)
                {
                    return -1;
                }
                found = ProcTasks.tid(task);
            }
        }
        return found;
    }

    /**
     * @param tid a thread of this process.
     * @return its counters now.
     * @throws IOException when the thread has gone.
     */
    static TradingThreadStat read(final int tid) throws IOException
    {
        final Path task = Path.of("/proc/self/task", Integer.toString(tid));
        return parse(tid, Files.readString(task.resolve("comm")).trim(), Files.readString(task.resolve("status")),
            Files.readString(task.resolve("schedstat")));
    }

    /**
     * @param tid       the thread's id.
     * @param comm      its name.
     * @param status    its {@code status} file.
     * @param schedstat its {@code schedstat} file: on-CPU ns, run-queue wait ns, timeslices.
     * @return the counters.
     * @throws IllegalArgumentException naming what is missing.
     */
    static TradingThreadStat parse(final int tid, final String comm, final String status, final String schedstat)
    {
        final String[] sched = schedstat.trim().split("\\s+");
        final String voluntary = field(status, "voluntary_ctxt_switches:");
        final String involuntary = field(status, "nonvoluntary_ctxt_switches:");
        if (sched.length < 2 || voluntary == null || involuntary == null)
        {
            throw new IllegalArgumentException("tid=" + tid + ": schedstat '" + schedstat.trim() + "' or the " +
                "status's context switch lines are missing");
        }
        return new TradingThreadStat(tid, comm, Long.parseLong(voluntary), Long.parseLong(involuntary),
            Long.parseLong(sched[0]), Long.parseLong(sched[1]));
    }

    /**
     * @param start the same thread's counters earlier.
     * @return what changed since.
     */
    TradingThreadStat minus(final TradingThreadStat start)
    {
        return new TradingThreadStat(tid, comm, voluntary - start.voluntary, involuntary - start.involuntary,
            onCpuNs - start.onCpuNs, runDelayNs - start.runDelayNs);
    }

    /**
     * @return the trader's {@code trading_thread} object.
     */
    ObjectNode toJson()
    {
        final ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("tid", tid);
        o.put("comm", comm);
        o.put("voluntary_switches", voluntary);
        o.put("involuntary_switches", involuntary);
        o.put("on_cpu_ns", onCpuNs);
        o.put("run_delay_ns", runDelayNs);
        return o;
    }

    /**
     * @param why why the trader has no counters.
     * @return the trader's {@code trading_thread} object then.
     */
    static ObjectNode absent(final String why)
    {
        return JsonNodeFactory.instance.objectNode().put("absent", why);
    }

    // "Name:\tvalue" of a /proc status file, null when absent
    private static String field(final String status, final String name)
    {
        for (final String line : status.split("\n"))
        {
            if (line.startsWith(name))
            {
                return line.substring(name.length()).trim();
            }
        }
        return null;
    }
}
