package org.oobnet.harness.bench.t2t;

import java.util.BitSet;
import java.util.List;

import net.openhft.affinity.Affinity;
import org.oobnet.harness.env.CpuSet;
import org.oobnet.netns.IpCommand;

/**
 * Keeps the harness's own threads (this JVM: its JIT compilers, GC and service threads, the children's output
 * readers, the progress line) off the trading CPU while a tick-to-trade run lasts, as {@link TraderPinning} keeps the
 * trader's. The harness ran unpinned: the rows' {@code sched} lines showed {@code harness:C1 CompilerThre},
 * {@code harness:C2 CompilerThre}, {@code harness:Service Thread} and {@code harness:VM Periodic Tas} taking the
 * trading thread's CPU (BENCHMARKS.md, "Session 13 — tick-to-trade's scheduler evidence"). Every thread is moved at
 * once ({@code taskset -a -p}); threads started later inherit their creator's mask; the children set their own
 * ({@code taskset -c}, the stage's affinity). {@link #close()} gives the threads the process's mask back.
 * {@code -Doobnet.t2t.harnessOffTradingCpu=false} leaves them where they are (for an A/B).
 * <p>
 * <b>Note:</b> in-band, on the runner's thread.
 */
final class HarnessPinning implements AutoCloseable
{
    /** The property that turns it off. */
    static final String PROPERTY = "oobnet.t2t.harnessOffTradingCpu";

    private final String restore;
    private final String note;

    private HarnessPinning(final String restore, final String note)
    {
        this.restore = restore;
        this.note = note;
    }

    /**
     * Moves this process's threads to the online CPUs other than {@code tradingCpu}.
     *
     * @param tradingCpu the trading CPU, -1 for none.
     * @return the pinning; close it. It did nothing when turned off, when there is no trading CPU or no other CPU,
     *         or when taskset is missing or fails ({@link #note()} says which).
     */
    static HarnessPinning apply(final int tradingCpu)
    {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true")))
        {
            return new HarnessPinning(null, PROPERTY + "=false: the harness's threads may run on the trading CPU");
        }
        final BitSet others = CpuSet.online();
        if (tradingCpu < 0 || !others.get(tradingCpu) || others.cardinality() < 2)
        {
            return new HarnessPinning(null, "cpu=" + tradingCpu + ": no other CPU to keep the harness on");
        }
        others.clear(tradingCpu);
        final String taskset = IpCommand.which("taskset");
        if (taskset == null)
        {
            return new HarnessPinning(null, "taskset is not installed: the harness's threads may run on the " +
                "trading CPU");
        }
        final String original = CpuSet.format(Affinity.getAffinity());
        final IpCommand.Result result = set(taskset, CpuSet.format(others));
        if (result.exitCode() != 0)
        {
            return new HarnessPinning(null, "taskset failed (" + result.output().trim() + "): the harness's " +
                "threads may run on the trading CPU");
        }
        return new HarnessPinning(original, "the harness's threads run on CPUs " + CpuSet.format(others) +
            ", off the trading CPU " + tradingCpu);
    }

    private static IpCommand.Result set(final String taskset, final String cpus)
    {
        return IpCommand.tryExec(List.of(taskset, "-a", "-p", "-c", cpus,
            Long.toString(ProcessHandle.current().pid())), IpCommand.DEFAULT_TIMEOUT_MS);
    }

    /** @return what it did, or why it did nothing. */
    String note()
    {
        return note;
    }

    @Override
    public void close()
    {
        final String taskset = IpCommand.which("taskset");
        if (restore != null && taskset != null)
        {
            set(taskset, restore);
        }
    }
}
