package org.oobnet.core;

/**
 * What the OOB stage offers to code running on it (protocols, tasks, stage commands).
 * <p>
 * <b>Note:</b> every method is stage only: call it from the stage thread, inside a hook marked "stage" or a
 * task. None allocates in steady state.
 */
public interface OobStage
{
    /**
     * The current cycle's clock: {@code System.nanoTime()} read once at the start of the cycle.
     *
     * @return the cycle's time in ns.
     */
    long nowNs();

    /**
     * Schedules a one-shot timer, fired in the timer phase of the first cycle at or after the deadline.
     *
     * @param deadlineNs absolute {@code System.nanoTime()} deadline.
     * @param timer      what to call.
     * @return the timer id (for {@link #cancelTimer}).
     */
    long scheduleTimer(long deadlineNs, OobTimer timer);

    /**
     * Cancels a pending timer.
     *
     * @param timerId the id {@link #scheduleTimer} returned.
     * @return true when it was pending.
     */
    boolean cancelTimer(long timerId);

    /**
     * @return true when called from the stage thread.
     */
    boolean isStageThread();

    /**
     * Records an error without throwing: the distinct error log and the {@code stage errors} counter.
     * Allocates (the error text), so only for faults, never in steady state.
     *
     * @param error what went wrong.
     */
    void recordError(Throwable error);
}
