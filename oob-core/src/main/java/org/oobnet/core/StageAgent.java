package org.oobnet.core;

import org.oobnet.inband.KSocketEvent;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.jctools.queues.MpscArrayQueue;
import org.oobnet.core.counters.DeviceCounters;
import org.oobnet.core.counters.StageCounters;
import org.oobnet.core.counters.StageHops;
import org.oobnet.inband.Errno;

/**
 * The OOB stage's duty cycle, an Agrona {@link Agent} run by an {@code AgentRunner} on a pinned thread.
 * <p>
 * One cycle, as Aeron's {@code Receiver.doWork()}: read the clock once; execute up to {@code commandLimit}
 * control commands; poll every {@link StageDevice} (each demultiplexes what it received to its sockets); drain the
 * send rings of the sockets that queued messages ({@link PendingSends}, never the idle ones); flush every device
 * (one TX kick per batch); finish detaches whose ring drained; fire due timers; run the tasks; acknowledge the
 * commands this cycle completed; measure the cycle (stall count and histogram when over the threshold). Returns
 * the work count for the idle strategy. A cycle's cost grows with the devices and the sockets that have work, not
 * with the sockets attached.
 * <b>Note:</b> stage only, apart from construction. Nothing here allocates, locks or blocks in steady state: the
 * socket and device tables are fixed arrays edited in place by commands, the handlers are final fields, timers
 * live in a pre-sized wheel and map.
 */
final class StageAgent implements Agent, OobStage
{
    private static final int TIMER_LIMIT = 64;
    private static final int TIMER_CAPACITY = 1024;
    private static final long COUNTERS_REFRESH_NS = 100_000_000L;

    private final MpscArrayQueue<StageCommand> commands;
    private final int commandLimit;
    private final OobSocket[] sockets;
    private final StageCommand[] acks;
    private final StageCounters counters;
    private final DistinctErrorLog errorLog;
    private final long stallThresholdNs;
    private final DeadlineTimerWheel timerWheel;
    private final Long2ObjectHashMap<OobTimer> timers;
    private final StageDevices devices;
    private final PendingSends pendingSends;
    private final OobSocket[] detaching;
    private final StageProxy.DetachCommand[] detachCommands;
    private final long[] detachDeadlinesNs;
    private final TimerDispatcher timerDispatcher = new TimerDispatcher();
    private final String roleName;

    private int socketCount;
    private int ackCount;
    private int detachingCount;
    private OobTask[] cycleTasks = new OobTask[0];
    private OobTask[] eventTasks = new OobTask[0];
    private long nowNs;
    private long maxCycleNs;
    private long nextRefreshNs;
    private com.sun.management.ThreadMXBean threadBean;
    private long startAllocatedBytes;
    private volatile Thread stageThread;

    StageAgent(
        final MpscArrayQueue<StageCommand> commands,
        final int commandLimit,
        final int maxSockets,
        final StageCounters counters,
        final DistinctErrorLog errorLog,
        final long stallThresholdNs,
        final String roleName)
    {
        this.roleName = roleName;
        this.commands = commands;
        this.commandLimit = commandLimit;
        this.sockets = new OobSocket[maxSockets];
        this.detaching = new OobSocket[maxSockets];
        this.detachCommands = new StageProxy.DetachCommand[maxSockets];
        this.detachDeadlinesNs = new long[maxSockets];
        // a socket's own device (pollsEachSocket) or a kernel socket's: as many as sockets, plus the ports
        this.devices = new StageDevices(maxSockets + 256);
        this.pendingSends = new PendingSends(maxSockets);
        // a cycle acknowledges at most its own commands plus every socket's deferred detach
        this.acks = new StageCommand[commandLimit + maxSockets];
        this.counters = counters;
        this.errorLog = errorLog;
        this.stallThresholdNs = stallThresholdNs;
        final long start = System.nanoTime();
        this.timerWheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, start, 1L << 16, 256, 16);
        this.timers = new Long2ObjectHashMap<>(TIMER_CAPACITY, 0.65f);
        this.nowNs = start;
    }

    @Override
    public String roleName()
    {
        return roleName;
    }

    @Override
    public void onStart()
    {
        // before the first cycle: the bean is looked up (and may allocate) once, here
        if (ManagementFactory.getThreadMXBean() instanceof final com.sun.management.ThreadMXBean bean &&
            bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled())
        {
            threadBean = bean;
            startAllocatedBytes = bean.getCurrentThreadAllocatedBytes();
        }
        stageThread = Thread.currentThread();
    }

    @Override
    public int doWork()
    {
        final long nowNs = System.nanoTime();
        this.nowNs = nowNs;
        int work = executeCommands(nowNs);

        work += pollDevices(nowNs);
        work += pendingSends.serve();
        work += flushDevices(nowNs);

        if (detachingCount > 0)
        {
            work += finishDetaches(nowNs);
        }

        if (timerWheel.timerCount() > 0)
        {
            work += timerWheel.poll(nowNs, timerDispatcher, TIMER_LIMIT);
        }

        final OobTask[] cycleTasks = this.cycleTasks;
        for (final OobTask task : cycleTasks)
        {
            try
            {
                work += task.doWork(nowNs);
            }
            catch (final Throwable t)
            {
                recordError(t);
            }
        }

        if (nowNs - nextRefreshNs >= 0)
        {
            nextRefreshNs = nowNs + COUNTERS_REFRESH_NS;
            refreshCounters();
        }

        acknowledge();
        measure(nowNs);
        return work;
    }

    @Override
    public void onClose()
    {
        for (final OobTask task : cycleTasks)
        {
            closeTask(task);
        }
        for (final OobTask task : eventTasks)
        {
            if (!contains(cycleTasks, task))
            {
                closeTask(task);
            }
        }
    }

    private void closeTask(final OobTask task)
    {
        try
        {
            task.onClose();
        }
        catch (final Throwable t)
        {
            recordError(t);
        }
    }

    private int executeCommands(final long nowNs)
    {
        int executed = 0;
        StageCommand command;
        while (executed < commandLimit && null != (command = commands.relaxedPoll()))
        {
            executed++;
            runCommand(command, nowNs);
        }
        if (executed > 0)
        {
            counters.controlCommands().getAndAddRelease(executed);
        }
        return executed;
    }

    private void runCommand(final StageCommand command, final long nowNs)
    {
        boolean done = true;
        try
        {
            done = command.run(this, nowNs);
        }
        catch (final Throwable t)
        {
            recordError(t);
            command.complete(-Errno.EIO);
        }
        if (done)
        {
            acks[ackCount++] = command;
        }
    }

    private void acknowledge()
    {
        final StageCommand[] acks = this.acks;
        final int ackCount = this.ackCount;
        for (int i = 0; i < ackCount; i++)
        {
            acks[i].acknowledge();
            acks[i] = null;
        }
        this.ackCount = 0;
    }

    private void measure(final long startNs)
    {
        final long durationNs = System.nanoTime() - startNs;
        counters.cycles().incrementRelease();
        if (durationNs > maxCycleNs)
        {
            maxCycleNs = durationNs;
            counters.maxCycleNs().setRelease(durationNs);
        }
        if (durationNs > stallThresholdNs)
        {
            counters.stalls().incrementRelease();
            counters.stallHistogram().record(durationNs);
        }
    }

    private int pollDevices(final long nowNs)
    {
        final StageDevices devices = this.devices;
        int work = 0;
        for (int i = 0, n = devices.count(); i < n; i++)
        {
            try
            {
                work += devices.at(i).poll(nowNs);
            }
            catch (final Throwable t)
            {
                recordError(t);
            }
        }
        return work;
    }

    private int flushDevices(final long nowNs)
    {
        final StageDevices devices = this.devices;
        int work = 0;
        for (int i = 0, n = devices.count(); i < n; i++)
        {
            try
            {
                work += Math.max(0, devices.at(i).flush(nowNs));
            }
            catch (final Throwable t)
            {
                recordError(t);
            }
        }
        return work;
    }

    private int finishDetaches(final long nowNs)
    {
        int finished = 0;
        for (int i = detachingCount - 1; i >= 0; i--)
        {
            final OobSocket socket = detaching[i];
            if (socket.sendRing().size() == 0 || nowNs - detachDeadlinesNs[i] >= 0)
            {
                // drain timeout: what is left will never be sent; count it as dropped
                pendingSends.dropQueued(socket);
                final StageProxy.DetachCommand detach = detachCommands[i];
                removeDetaching(i);
                removeSocket(socket);
                // acknowledged at the end of this cycle, with the commands it executed
                detach.complete(0);
                acks[ackCount++] = detach;
                finished++;
            }
        }
        return finished;
    }

    private void removeDetaching(final int index)
    {
        final int last = --detachingCount;
        detaching[index] = detaching[last];
        detachCommands[index] = detachCommands[last];
        detachDeadlinesNs[index] = detachDeadlinesNs[last];
        detaching[last] = null;
        detachCommands[last] = null;
    }

    private int detachingIndex(final OobSocket socket)
    {
        for (int i = detachingCount - 1; i >= 0; i--)
        {
            if (detaching[i] == socket)
            {
                return i;
            }
        }
        return -1;
    }

    // stage, from AttachCommand
    int addSocket(final OobSocket socket)
    {
        if (socketCount == sockets.length)
        {
            return -Errno.ENFILE;
        }
        final StageDevice own = socket.ownDevice();
        if (null != own)
        {
            final int rc = devices.add(own);
            if (rc < 0)
            {
                return rc;
            }
        }
        socket.joinStage(socketCount);
        sockets[socketCount++] = socket;
        counters.sockets().setRelease(socketCount);
        pendingSends.scheduleOnStage(socket);
        try
        {
            socket.protocol().onStageAttach(socket);
        }
        catch (final Throwable t)
        {
            hookError(socket, t);
        }
        return 0;
    }

    // stage, from DetachCommand: start draining; false when the socket is not on the stage
    boolean beginDetach(final OobSocket socket, final StageProxy.DetachCommand detach, final long deadlineNs)
    {
        if (!socket.isOnStage() || detachingIndex(socket) >= 0)
        {
            return false;
        }
        detaching[detachingCount] = socket;
        detachCommands[detachingCount] = detach;
        detachDeadlinesNs[detachingCount] = deadlineNs;
        detachingCount++;
        pendingSends.scheduleOnStage(socket);
        return true;
    }

    // the stage stopped (its thread joined), under the runtime's inline lock: end every drain now
    void abortPendingDetaches()
    {
        for (int i = detachingCount - 1; i >= 0; i--)
        {
            final StageProxy.DetachCommand detach = detachCommands[i];
            forceDetach(detaching[i]);
            detach.complete(0);
            detach.acknowledge();
        }
    }

    // no stage left to drain: count what is queued as dropped and take the socket off the table
    void forceDetach(final OobSocket socket)
    {
        pendingSends.dropQueued(socket);
        final int detachingIndex = detachingIndex(socket);
        if (detachingIndex >= 0)
        {
            removeDetaching(detachingIndex);
        }
        if (socket.isOnStage())
        {
            removeSocket(socket);
        }
    }

    // stage, from MoveOutCommand: the socket goes to another stage before its first OOB I/O; no DISCONNECTED
    int moveOut(final OobSocket socket)
    {
        if (!socket.isOnStage() || detachingIndex(socket) >= 0)
        {
            return -Errno.EBADF;
        }
        pendingSends.dropQueued(socket);
        removeSocket(socket, false);
        return 0;
    }

    private void removeSocket(final OobSocket socket)
    {
        removeSocket(socket, true);
    }

    private void removeSocket(final OobSocket socket, final boolean disconnected)
    {
        try
        {
            if (disconnected)
            {
                socket.raise(KSocketEvent.DISCONNECTED, 0);
            }
        }
        catch (final Throwable t)
        {
            hookError(socket, t);
        }
        try
        {
            socket.protocol().onStageDetach(socket);
        }
        catch (final Throwable t)
        {
            hookError(socket, t);
        }
        if (socket.claim().isClaimed())
        {
            socket.oobAbort();
        }
        final StageDevice own = socket.ownDevice();
        if (null != own)
        {
            devices.remove(own);
        }
        final int index = socket.leaveStage();
        final int last = --socketCount;
        if (index != last)
        {
            sockets[index] = sockets[last];
            sockets[index].moveOnStage(index);
        }
        sockets[last] = null;
        counters.sockets().setRelease(socketCount);
    }

    // stage, from the runtime's task commands: arrays built in-band, swapped here
    void tasks(final OobTask[] cycleTasks, final OobTask[] eventTasks, final OobTask started, final OobTask removed)
    {
        this.cycleTasks = cycleTasks;
        this.eventTasks = eventTasks;
        if (null != started)
        {
            try
            {
                started.onStart();
            }
            catch (final Throwable t)
            {
                recordError(t);
            }
        }
        if (null != removed)
        {
            closeTask(removed);
        }
    }

    void dispatchEvent(final OobSocket socket, final KSocketEvent event, final long arg)
    {
        final OobTask[] eventTasks = this.eventTasks;
        for (final OobTask task : eventTasks)
        {
            try
            {
                task.onEvent(socket, event, arg);
            }
            catch (final Throwable t)
            {
                recordError(t);
            }
        }
    }

    private void hookError(final OobSocket socket, final Throwable t)
    {
        socket.counters().hookErrors().incrementRelease();
        recordError(t);
    }

    @Override
    public int addDevice(final StageDevice device)
    {
        return addDevice(device, null);
    }

    // stage, from the runtime's device command: the device with its counters in the counters file
    int addDevice(final StageDevice device, final DeviceCounters deviceCounters)
    {
        final int rc = devices.add(device, deviceCounters);
        counters.devices().setRelease(devices.count());
        return rc;
    }

    @Override
    public int removeDevice(final StageDevice device)
    {
        final int rc = devices.remove(device);
        counters.devices().setRelease(devices.count());
        return rc;
    }

    // stage, every refresh interval: the devices' counters and the stage's allocation since it started
    private void refreshCounters()
    {
        devices.refreshCounters();
        final com.sun.management.ThreadMXBean bean = threadBean;
        if (null != bean)
        {
            counters.allocatedBytes().setRelease(bean.getCurrentThreadAllocatedBytes() - startAllocatedBytes);
        }
    }

    int deviceCount()
    {
        return devices.count();
    }

    StageDevice deviceAt(final int index)
    {
        return devices.at(index);
    }

    PendingSends pendingSends()
    {
        return pendingSends;
    }

    @Override
    public long nowNs()
    {
        return nowNs;
    }

    @Override
    public long scheduleTimer(final long deadlineNs, final OobTimer timer)
    {
        final long id = timerWheel.scheduleTimer(deadlineNs);
        timers.put(id, timer);
        return id;
    }

    @Override
    public boolean cancelTimer(final long timerId)
    {
        timers.remove(timerId);
        return timerWheel.cancelTimer(timerId);
    }

    @Override
    public boolean isStageThread()
    {
        return Thread.currentThread() == stageThread;
    }

    Thread stageThread()
    {
        return stageThread;
    }

    @Override
    public StageHops hops()
    {
        return counters.hops();
    }

    @Override
    public void recordError(final Throwable error)
    {
        counters.errors().incrementRelease();
        errorLog.record(error);
    }

    int socketCount()
    {
        return socketCount;
    }

    OobSocket socketAt(final int index)
    {
        return sockets[index];
    }

    private static boolean contains(final OobTask[] tasks, final OobTask task)
    {
        for (final OobTask t : tasks)
        {
            if (t == task)
            {
                return true;
            }
        }
        return false;
    }

    private final class TimerDispatcher implements DeadlineTimerWheel.TimerHandler
    {
        @Override
        public boolean onTimerExpiry(final TimeUnit timeUnit, final long now, final long timerId)
        {
            final OobTimer timer = timers.remove(timerId);
            if (null != timer)
            {
                try
                {
                    timer.onTimer(nowNs, timerId);
                }
                catch (final Throwable t)
                {
                    recordError(t);
                }
            }
            return true;
        }
    }
}
