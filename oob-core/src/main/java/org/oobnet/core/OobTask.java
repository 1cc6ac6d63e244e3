package org.oobnet.core;

import org.oobnet.inband.KSocketEvent;

/**
 * User code that runs on the OOB stage: a control loop, a trading strategy, a protocol's shared work.
 * <p>
 * Registered with {@link OobRuntime#addTask(OobTask, OobTask.Schedule)}; {@link #doWork} is called once per
 * duty cycle, {@link #onEvent} for every event of every OOB socket of the runtime, or both.
 * <b>Note:</b> stage only. A task must not block, take a lock, make a blocking call or allocate in steady
 * state; time spent here counts in the cycle and a long call shows as a stall. A {@code Throwable} escaping a
 * task is recorded in the distinct error log and counted; the stage goes on.
 */
public interface OobTask
{
    /**
     * One duty cycle's work.
     *
     * @param nowNs the cycle's clock ({@code System.nanoTime()}, read once at the start of the cycle).
     * @return how much work was done (0 lets the idle strategy idle).
     */
    default int doWork(final long nowNs)
    {
        return 0;
    }

    /**
     * An event of an OOB socket of this runtime.
     *
     * @param socket the socket.
     * @param event  the event.
     * @param arg    the event's argument.
     */
    default void onEvent(final OobSocket socket, final KSocketEvent event, final long arg)
    {
    }

    /**
     * On the stage, once, when the task joins the stage (before its first {@link #doWork}).
     */
    default void onStart()
    {
    }

    /**
     * On the stage, once, when the task is removed or the runtime closes.
     */
    default void onClose()
    {
    }

    /**
     * When the stage calls a task.
     */
    enum Schedule
    {
        /** {@link #doWork} every cycle. */
        EVERY_CYCLE,
        /** {@link #onEvent} for every socket event. */
        ON_EVENTS,
        /** Both. */
        EVERY_CYCLE_AND_EVENTS
    }
}
