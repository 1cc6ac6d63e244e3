package org.oobnet.harness.bench.reflect;

import java.io.PrintStream;

import org.oobnet.harness.bench.run.PhaseJvm;
import org.oobnet.harness.bench.run.PhaseRelay;
import org.oobnet.harness.report.JitDelta;

/**
 * A stage reflector's side of the client's measured phase, as the parent relays it on standard input: at
 * {@value PhaseRelay#HOPS_BEGIN} its JVM lowers its other threads and reads its JIT's counters ({@link PhaseJvm}),
 * at {@value PhaseRelay#HOPS_END} it prints its JIT's work ({@link JitDelta#line()}) and then its hops
 * ({@link ReflectorHops}, whose last line tells the parent the reflector's report is complete).
 * <p>
 * <b>Note:</b> in-band: {@link #onLine} on the thread watching standard input.
 */
public final class ReflectorPhase
{
    private final ReflectorHops hops;
    private final PrintStream out;
    private PhaseJvm jvm;

    /**
     * @param hops the reflector's hops.
     * @param out  where the JIT line goes (the hops' stream).
     */
    public ReflectorPhase(final ReflectorHops hops, final PrintStream out)
    {
        this.hops = hops;
        this.out = out;
    }

    /**
     * @param line a line the parent sent.
     */
    public synchronized void onLine(final String line)
    {
        if (PhaseRelay.HOPS_BEGIN.equals(line))
        {
            // the hops first: the phase has begun already (the line came through the parent), and reading the JIT's
            // counters and lowering threads takes milliseconds of exchanges the hops would miss
            hops.onLine(line);
            if (null != jvm)
            {
                // a phase begun anew: the earlier one's threads go back first
                jvm.end(System.err);
            }
            jvm = PhaseJvm.begin();
            return;
        }
        if (PhaseRelay.HOPS_END.equals(line) && null != jvm)
        {
            final JitDelta jit = jvm.end(System.err);
            jvm = null;
            synchronized (out)
            {
                out.println(jit.line());
                out.flush();
            }
        }
        // the hops last at the end: their last line tells the parent the reflector's report is complete
        hops.onLine(line);
    }
}
