package org.oobnet.harness.bench.run;

import java.util.List;

import org.oobnet.core.OobRuntime;
import org.oobnet.core.counters.HopSnapshot;
import org.oobnet.harness.report.GcDelta;
import org.oobnet.harness.report.HopsReport;
import org.oobnet.harness.report.JitDelta;

/**
 * What the OOB stage did during a measured phase: the bytes its thread allocated, its stalls, its per-hop
 * timestamps, the JVM's GC activity and its JIT's work ({@link PhaseJvm}, which also lowers the JVM's other threads
 * for the phase when asked to), read at the start and at the end of the phase.
 * <p>
 * <b>Note:</b> in-band, on the measuring thread; one instance per phase.
 */
public final class StagePhase
{
    private final OobRuntime runtime;
    private final GcDelta gcStart;
    private final long stallsStart;
    private final StageAllocation allocation;
    private final HopSnapshot[] hopsStart;
    private final PhaseJvm jvm;

    private StagePhase(final OobRuntime runtime)
    {
        this.runtime = runtime;
        // first: it resolves the string constants of the classes the warm-up loaded
        this.allocation = StageAllocation.mark(runtime);
        this.gcStart = GcDelta.snapshot();
        this.stallsStart = runtime.counters().stalls().get();
        this.hopsStart = runtime.counters().hops().snapshot();
        // last: the threads it lowers include this one
        this.jvm = PhaseJvm.begin();
    }

    /**
     * Starts a measured phase of the runtime's stage.
     *
     * @param runtime the running runtime.
     * @return the phase, to {@link #end()} when measuring stops.
     */
    public static StagePhase begin(final OobRuntime runtime)
    {
        return new StagePhase(runtime);
    }

    /**
     * Ends the phase.
     *
     * @return what the stage allocated, its stalls, the GC activity and the JIT's work since {@link #begin}.
     */
    public Result end()
    {
        final JitDelta jit = jvm.end(System.err);
        final long allocated = allocation.bytesSince();
        final List<HopSnapshot> hops = HopsReport.window(hopsStart, runtime.counters().hops().snapshot());
        return new Result(allocated, runtime.counters().stalls().get() - stallsStart,
            GcDelta.snapshot().minus(gcStart), runtime.counters().hops().enabled() ? hops : List.of(), jit);
    }

    /**
     * A measured phase's stage figures.
     *
     * @param allocatedBytes bytes the stage threads allocated, -1 when one ended.
     * @param stalls         stage cycles over the stall threshold.
     * @param gc             collections and their times.
     * @param hops           the stage's per-hop timestamps over the phase, one per hop; empty when recording is off.
     * @param jit            what this JVM's JIT compiled in the phase.
     */
    public record Result(long allocatedBytes, long stalls, GcDelta gc, List<HopSnapshot> hops, JitDelta jit)
    {
    }
}
