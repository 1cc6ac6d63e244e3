package org.oobnet.harness.bench.reflect;

import java.io.PrintStream;
import java.util.List;

import org.oobnet.core.counters.HopSnapshot;
import org.oobnet.core.counters.StageHops;
import org.oobnet.harness.bench.run.PhaseRelay;
import org.oobnet.harness.report.HopLines;
import org.oobnet.harness.report.HopsReport;

/**
 * A reflector stage's hops over the client's measured phase: {@value PhaseRelay#HOPS_BEGIN} on standard input
 * reads the stage's hops, {@value PhaseRelay#HOPS_END} reads them again and prints the difference as
 * {@link HopLines} (none, just {@value HopLines#DONE}, when the stage does not record hops).
 * <p>
 * <b>Note:</b> in-band: {@link #onLine} on the thread watching standard input; the readings are the stage's
 * counters (single writer, read from any thread), nothing here runs on the stage.
 */
public final class ReflectorHops
{
    private final PrintStream out;
    private volatile StageHops hops;
    private HopSnapshot[] begin;

    /**
     * @param out where the hop lines go.
     */
    public ReflectorHops(final PrintStream out)
    {
        this.out = out;
    }

    /**
     * @param stageHops the reflector stage's hops, once its runtime runs.
     */
    public void attach(final StageHops stageHops)
    {
        hops = stageHops;
    }

    /**
     * @param line a line the parent sent.
     */
    public synchronized void onLine(final String line)
    {
        final StageHops stageHops = hops;
        if (PhaseRelay.HOPS_BEGIN.equals(line))
        {
            begin = null == stageHops || !stageHops.enabled() ? null : stageHops.snapshot();
        }
        else if (PhaseRelay.HOPS_END.equals(line))
        {
            final List<HopSnapshot> window = null != begin && null != stageHops
                ? HopsReport.window(begin, stageHops.snapshot()) : List.of();
            begin = null;
            synchronized (out)
            {
                HopLines.format(window).forEach(out::println);
                out.flush();
            }
        }
    }
}
