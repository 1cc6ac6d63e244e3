package org.oobnet.core;

import org.oobnet.core.counters.StageHops;

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
     * Stage: adds a device to this stage's cycle (from a stage command or a stage hook, e.g. when a socket's rings
     * are installed); it is polled and flushed from the next cycle on.
     *
     * @param device the device.
     * @return 0; {@code -EEXIST} when already added, {@code -ENOSPC} when the stage's device table is full.
     */
    int addDevice(StageDevice device);

    /**
     * Stage: removes a device; the stage never calls it again, and the in-band side learns it when the command or
     * hook that removed it is acknowledged (then its rings may be unmapped).
     *
     * @param device the device.
     * @return 0, or {@code -ENOENT} when it was not added.
     */
    int removeDevice(StageDevice device);

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

    /**
     * The stage's per-hop timestamps, which the devices that deliver frames record into.
     *
     * @return the stage's hops; {@link StageHops#OFF} for a stage that keeps none.
     */
    default StageHops hops()
    {
        return StageHops.OFF;
    }
}
