package org.oobnet.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The tasks of one stage: two lists edited in-band, handed to the stage as fresh arrays by a command (the stage
 * swaps them in; it never sees a list being edited).
 * <p>
 * <b>Note:</b> in-band only; thread safe (one lock).
 */
final class StageTasks
{
    private final StageProxy proxy;
    private final List<OobTask> cycleTasks = new ArrayList<>();
    private final List<OobTask> eventTasks = new ArrayList<>();

    StageTasks(final StageProxy proxy)
    {
        this.proxy = proxy;
    }

    synchronized void add(final OobTask task, final OobTask.Schedule schedule)
    {
        Objects.requireNonNull(task, "task");
        if (cycleTasks.contains(task) || eventTasks.contains(task))
        {
            throw new IllegalArgumentException("task=" + task + " is already added");
        }
        if (schedule != OobTask.Schedule.ON_EVENTS)
        {
            cycleTasks.add(task);
        }
        if (schedule != OobTask.Schedule.EVERY_CYCLE)
        {
            eventTasks.add(task);
        }
        proxy.tasks(cycleTasks.toArray(new OobTask[0]), eventTasks.toArray(new OobTask[0]), task, null);
    }

    synchronized boolean remove(final OobTask task)
    {
        final boolean removed = cycleTasks.remove(task) | eventTasks.remove(task);
        if (removed)
        {
            proxy.tasks(cycleTasks.toArray(new OobTask[0]), eventTasks.toArray(new OobTask[0]), null, task);
        }
        return removed;
    }

    synchronized void clear()
    {
        cycleTasks.clear();
        eventTasks.clear();
    }
}
