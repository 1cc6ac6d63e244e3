package org.oobnet.core;

import java.util.concurrent.locks.LockSupport;

import org.jctools.queues.MpscArrayQueue;
import org.oobnet.core.counters.DeviceCounters;
import org.oobnet.inband.KSocketEvent;

/**
 * The in-band → stage command path, as Aeron's {@code ReceiverProxy}: one typed method per command, each command
 * made in-band with its target (the {@link StageAgent}) and queued on the MPSC queue the stage drains at the start
 * of its cycle. {@link #callOnStage} waits for the stage's acknowledgement (a stage crossing); once the stage has
 * stopped, queued commands run on the calling thread, one thread at a time.
 * <p>
 * A command wakes a stage whose idle strategy parks ({@code backoff}): without it the command waited for the
 * stage's current park to end (up to a millisecond), and so did every socket close. The caller waits for the answer
 * with an {@link InbandWait} (spin, yield, short parks; bounded by {@link OobConfig#stageAnswerTimeoutNs()}, not
 * ended by an interrupt).
 * <p>
 * <b>Note:</b> in-band only; thread safe.
 */
final class StageProxy
{
    private final MpscArrayQueue<StageCommand> commands;
    private final StageAgent stage;
    private final boolean stageParks;
    private final String stageName;
    private final long answerTimeoutNs;
    private final Object inlineLock = new Object();
    private volatile boolean stageStopped;

    /**
     * @param commands   the queue the stage drains.
     * @param stage      the stage.
     * @param stageParks true when the stage's idle strategy parks its thread: each command then unparks it.
     * @param stageName  the stage's name, for a timeout's message.
     * @param answerTimeoutNs the longest wait for the stage's answer or room on its queue
     *                   ({@link OobConfig#stageAnswerTimeoutNs()}).
     */
    StageProxy(
        final MpscArrayQueue<StageCommand> commands,
        final StageAgent stage,
        final boolean stageParks,
        final String stageName,
        final long answerTimeoutNs)
    {
        this.commands = commands;
        this.stage = stage;
        this.stageParks = stageParks;
        this.stageName = stageName;
        this.answerTimeoutNs = answerTimeoutNs;
    }

    /**
     * Runs a command on the stage and waits until the stage acknowledged it.
     *
     * @param command the command, used once.
     * @return its result.
     * @throws IllegalStateException when called from the stage thread (it would wait for itself).
     * @throws StageTimeoutException when the stage runs but did not answer within the timeout (the command stays
     *                               queued: the stage may still run it).
     */
    int callOnStage(final StageCommand command)
    {
        submit(command);
        return await(command);
    }

    /**
     * Waits until the stage acknowledged a command already submitted.
     *
     * @param command the command.
     * @return its result.
     * @throws StageTimeoutException as {@link #callOnStage}.
     */
    int await(final StageCommand command)
    {
        InbandWait wait = null;
        while (!command.isAcknowledged())
        {
            if (stageStopped)
            {
                drainInline();
                continue;
            }
            if (null == wait)
            {
                wait = new InbandWait(stageName, command.getClass().getSimpleName(),
                    answerTimeoutNs + command.waitAllowanceNs());
            }
            wait.idle();
        }
        if (null != wait)
        {
            wait.done();
        }
        return command.result();
    }

    /**
     * Queues a command for the stage without waiting.
     *
     * @param command the command, used once.
     * @throws IllegalStateException when called from the stage thread.
     */
    void submit(final StageCommand command)
    {
        if (stage.isStageThread())
        {
            throw new IllegalStateException("a stage command cannot be submitted from the stage thread");
        }
        InbandWait wait = null;
        while (!commands.offer(command))
        {
            if (stageStopped)
            {
                drainInline();
                continue;
            }
            // the queue is full: the stage may be parked with it full
            wakeStage();
            if (null == wait)
            {
                wait = new InbandWait(stageName, command.getClass().getSimpleName() + " (room on the command queue)",
                    answerTimeoutNs);
            }
            wait.idle();
        }
        if (null != wait)
        {
            wait.done();
        }
        if (stageStopped)
        {
            drainInline();
        }
        else
        {
            wakeStage();
        }
    }

    // after the offer (the queue's store is ordered before it): a park that began before it returns now, one that
    // begins after it returns at once (the permit), and the stage's next cycle drains the queue
    private void wakeStage()
    {
        if (stageParks)
        {
            // null before the stage's thread started: its first cycle drains the queue anyway
            final Thread thread = stage.stageThread();
            if (null != thread)
            {
                LockSupport.unpark(thread);
            }
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // Typed commands

    void attach(final OobSocket socket)
    {
        submit(new AttachCommand(stage, socket));
    }

    // waits until the stage drained the socket's send ring (or the drain timed out) and let go of it
    void detach(final OobSocket socket, final long drainTimeoutNs)
    {
        callOnStage(new DetachCommand(stage, socket, drainTimeoutNs));
    }

    // queues a detach without waiting (KSocket.closeAll's batch): await(command) for the stage's answer
    StageCommand submitDetach(final OobSocket socket, final long drainTimeoutNs)
    {
        final DetachCommand command = new DetachCommand(stage, socket, drainTimeoutNs);
        submit(command);
        return command;
    }

    // waits until this stage let go of a socket that moves to another stage (no DISCONNECTED event)
    int moveOut(final OobSocket socket)
    {
        return callOnStage(new MoveOutCommand(stage, socket));
    }

    int addDevice(final StageDevice device, final DeviceCounters counters)
    {
        return callOnStage(new DeviceCommand(stage, device, counters, true));
    }

    int removeDevice(final StageDevice device)
    {
        return callOnStage(new DeviceCommand(stage, device, null, false));
    }

    void tasks(final OobTask[] cycleTasks, final OobTask[] eventTasks, final OobTask started, final OobTask removed)
    {
        callOnStage(new TasksCommand(stage, cycleTasks, eventTasks, started, removed));
    }

    void raise(final OobSocket socket, final KSocketEvent event, final long arg)
    {
        submit(new RaiseCommand(socket, event, arg));
    }

    long oobIoctl(final OobSocket socket, final int request, final long arg)
    {
        final IoctlCommand command = new IoctlCommand(socket, request, arg);
        callOnStage(command);
        return command.value;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Stopping

    /**
     * After the stage's thread was joined: ends every drain the stage had begun, then runs what is still queued
     * here; from now on commands run on the caller's thread.
     */
    void stageStopped()
    {
        stageStopped = true;
        synchronized (inlineLock)
        {
            stage.abortPendingDetaches();
        }
        drainInline();
    }

    // after the stage stopped (its thread joined): run what is queued on this thread, one thread at a time
    private void drainInline()
    {
        synchronized (inlineLock)
        {
            StageCommand command;
            while (null != (command = commands.poll()))
            {
                try
                {
                    command.run(stage, System.nanoTime());
                }
                catch (final Throwable t)
                {
                    stage.recordError(t);
                }
                if (command.isDeferred())
                {
                    command.finishWithoutStage(stage);
                }
                command.acknowledge();
            }
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // The commands: each carries its typed target, no cast of the OobStage argument

    private static final class AttachCommand extends StageCommand
    {
        private final StageAgent target;
        private final OobSocket socket;

        AttachCommand(final StageAgent target, final OobSocket socket)
        {
            this.target = target;
            this.socket = socket;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            return target.addSocket(socket);
        }
    }

    private static final class MoveOutCommand extends StageCommand
    {
        private final StageAgent target;
        private final OobSocket socket;

        MoveOutCommand(final StageAgent target, final OobSocket socket)
        {
            this.target = target;
            this.socket = socket;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            return target.moveOut(socket);
        }
    }

    static final class DetachCommand extends StageCommand
    {
        private final StageAgent target;
        private final OobSocket socket;
        private final long drainTimeoutNs;

        DetachCommand(final StageAgent target, final OobSocket socket, final long drainTimeoutNs)
        {
            this.target = target;
            this.socket = socket;
            this.drainTimeoutNs = drainTimeoutNs;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            if (target.beginDetach(socket, this, nowNs + drainTimeoutNs))
            {
                // completed by the stage once the socket's send ring drained (StageAgent.finishDetaches)
                defer();
            }
            return 0;
        }

        // the stage may take the drain timeout to answer, on top of the answer timeout
        @Override
        long waitAllowanceNs()
        {
            return drainTimeoutNs;
        }

        // no stage left to drain the ring: what it holds is counted as dropped, the socket leaves the table now
        @Override
        void finishWithoutStage(final StageAgent stage)
        {
            stage.forceDetach(socket);
            complete(0);
        }
    }

    private static final class DeviceCommand extends StageCommand
    {
        private final StageAgent target;
        private final StageDevice device;
        private final DeviceCounters counters;
        private final boolean add;

        DeviceCommand(
            final StageAgent target, final StageDevice device, final DeviceCounters counters, final boolean add)
        {
            this.target = target;
            this.device = device;
            this.counters = counters;
            this.add = add;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            return add ? target.addDevice(device, counters) : target.removeDevice(device);
        }
    }

    private static final class TasksCommand extends StageCommand
    {
        private final StageAgent target;
        private final OobTask[] cycleTasks;
        private final OobTask[] eventTasks;
        private final OobTask started;
        private final OobTask removed;

        TasksCommand(
            final StageAgent target,
            final OobTask[] cycleTasks,
            final OobTask[] eventTasks,
            final OobTask started,
            final OobTask removed)
        {
            this.target = target;
            this.cycleTasks = cycleTasks;
            this.eventTasks = eventTasks;
            this.started = started;
            this.removed = removed;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            target.tasks(cycleTasks, eventTasks, started, removed);
            return 0;
        }
    }

    private static final class RaiseCommand extends StageCommand
    {
        private final OobSocket socket;
        private final KSocketEvent event;
        private final long arg;

        RaiseCommand(final OobSocket socket, final KSocketEvent event, final long arg)
        {
            this.socket = socket;
            this.event = event;
            this.arg = arg;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            if (socket.isOnStage())
            {
                socket.raise(event, arg);
            }
            return 0;
        }
    }

    private static final class IoctlCommand extends StageCommand
    {
        private final OobSocket socket;
        private final int request;
        private final long arg;
        volatile long value;

        IoctlCommand(final OobSocket socket, final int request, final long arg)
        {
            this.socket = socket;
            this.request = request;
            this.arg = arg;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            value = socket.oobIoctl(request, arg);
            return 0;
        }
    }
}
