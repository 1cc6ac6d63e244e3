package org.oobnet.harness.bench.run;

import java.io.PrintStream;

import org.oobnet.harness.report.JitDelta;

/**
 * What a stage's JVM does around a measured phase besides the stage: lowers its other threads
 * ({@link PhaseThreads}, as {@value PhaseThreads#PROPERTY} says) and reads its JIT's work ({@link JitDelta}), on the
 * measuring side ({@link StagePhase}) and on the reflecting side (over the client's phase, as relayed).
 * <p>
 * <b>Note:</b> in-band, at the phase's edges; one instance per phase.
 */
public final class PhaseJvm
{
    private final JitDelta.Mark jitStart;
    private final PhaseThreads threads;

    private PhaseJvm(final JitDelta.Mark jitStart, final PhaseThreads threads)
    {
        this.jitStart = jitStart;
        this.threads = threads;
    }

    /**
     * @return the phase, begun: the JIT's counters read, then the threads lowered.
     */
    public static PhaseJvm begin()
    {
        final JitDelta.Mark jit = JitDelta.mark();
        return new PhaseJvm(jit, PhaseThreads.lower(PhaseThreads.mode()));
    }

    /**
     * Ends the phase: puts the threads back, then reads the JIT's counters again.
     *
     * @param err where a thread that could not be lowered or put back is said.
     * @return the JIT's work in the phase.
     */
    public JitDelta end(final PrintStream err)
    {
        // the threads first: the rest runs at the calling thread's normal priority
        for (final String problem : threads.restore())
        {
            err.println("oobnet: " + PhaseThreads.PROPERTY + ": " + problem);
        }
        return jitStart.delta();
    }
}
