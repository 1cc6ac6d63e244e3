package org.oobnet.harness.bench.run;

import java.lang.management.ManagementFactory;

import org.oobnet.core.OobRuntime;
import org.oobnet.core.StringConstants;
import org.oobnet.harness.report.GcDelta;

/**
 * What the OOB stage did during a measured phase: the bytes its thread allocated, its stalls and the JVM's GC
 * activity, read at the start and at the end of the phase.
 * <p>
 * <b>Note:</b> in-band, on the measuring thread; one instance per phase.
 */
public final class StagePhase
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private final OobRuntime runtime;
    private final long stageThreadId;
    private final GcDelta gcStart;
    private final long stallsStart;
    private final long allocStart;

    private StagePhase(final OobRuntime runtime)
    {
        this.runtime = runtime;
        // the classes the warm-up loaded: a later first C2 compile on the stage finds their literals resolved
        StringConstants.resolveLoaded();
        this.stageThreadId = runtime.stageThread().threadId();
        this.gcStart = GcDelta.snapshot();
        this.stallsStart = runtime.counters().stalls().get();
        this.allocStart = THREADS.getThreadAllocatedBytes(stageThreadId);
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
     * @return what the stage allocated, its stalls and the GC activity since {@link #begin}.
     */
    public Result end()
    {
        return new Result(
            THREADS.getThreadAllocatedBytes(stageThreadId) - allocStart,
            runtime.counters().stalls().get() - stallsStart,
            GcDelta.snapshot().minus(gcStart));
    }

    /**
     * A measured phase's stage figures.
     *
     * @param allocatedBytes bytes the stage thread allocated.
     * @param stalls         stage cycles over the stall threshold.
     * @param gc             collections and their times.
     */
    public record Result(long allocatedBytes, long stalls, GcDelta gc)
    {
    }
}
