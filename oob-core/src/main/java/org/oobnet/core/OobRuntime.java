package org.oobnet.core;

import org.oobnet.inband.KSocketEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import net.openhft.affinity.Affinity;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.MpscArrayQueue;
import org.oobnet.core.counters.CountersFile;
import org.oobnet.core.counters.ProtocolCounterType;
import org.oobnet.core.counters.ProtocolCounters;
import org.oobnet.core.counters.SocketCounters;
import org.oobnet.core.counters.StageCounters;
import org.oobnet.core.counters.StallHistogram;
import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocket;

/**
 * The companion core at run time: the OOB stage, the hooks installed in the in-band stack, the protocol registry,
 * the OOB socket contexts and the counters file.
 * <p>
 * {@link #start(OobConfig)} maps the counters file, starts the stage (an Agrona agent on a thread pinned with
 * OpenHFT Affinity) and installs the hooks ({@code KSocket.installOobHooks}); from then on
 * {@code KSocket.socket(family, type | SOCK_OOB, protocol)} gets an {@link OobSocket} served by the protocol
 * registered for the family. {@link #close()} removes the hooks, releases and destroys every socket (each after
 * the stage acknowledged it let go), stops the stage and deletes the counters file.
 * <b>Note:</b> thread safe; every method is in-band (it may block and allocate) unless it says otherwise. One
 * runtime at a time has its hooks installed (the in-band stack holds one implementation).
 */
public final class OobRuntime implements AutoCloseable
{
    /** {@code AF_OOB}: the family of protocols that live wholly on the OOB side. */
    public static final int AF_OOB = 46;

    private static final AtomicReference<OobRuntime> INSTALLED = new AtomicReference<>();
    private static final long STAGE_START_TIMEOUT_NS = 30_000_000_000L;

    private final OobConfig config;
    private final ProtocolRegistry registry;
    private final CountersFile countersFile;
    private final StageCounters stageCounters;
    private final MpscArrayQueue<StageCommand> commands;
    private final StageAgent stage;
    private final AgentRunner runner;
    private final StageCpu stageCpu;
    private final CoreHooks hooks;
    private final Object countersLock = new Object();
    private final Object tasksLock = new Object();
    private final Object inlineLock = new Object();
    private final Set<OobSocket> live = ConcurrentHashMap.newKeySet();
    private final java.util.Queue<OobSocket> closedOnStage = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicInteger liveCount = new AtomicInteger();
    private final AtomicLong socketIds = new AtomicLong();
    private final List<OobTask> cycleTasks = new ArrayList<>();
    private final List<OobTask> eventTasks = new ArrayList<>();
    private volatile boolean pinned;
    private volatile boolean closing;
    private volatile boolean stageStopped;

    private OobRuntime(final OobConfig config, final ProtocolRegistry registry)
    {
        this.config = config;
        this.registry = registry;
        this.stageCpu = StageCpu.choose(config.stageCpu());
        this.countersFile = CountersFile.create(config.countersDir(), config.countersValuesBytes(), config.errorLogBytes());
        try
        {
            this.stageCounters = new StageCounters(countersFile.countersManager(), config.stallThresholdNs());
            this.commands = new MpscArrayQueue<>(config.controlQueueCapacity());
            this.stage = new StageAgent(
                commands, config.commandLimit(), config.maxSockets(), stageCounters, countersFile.errorLog(),
                config.stallThresholdNs());
            // a Throwable escaping doWork: the runner counts it and hands it to the error log; the loop goes on
            final org.agrona.concurrent.errors.DistinctErrorLog errorLog = countersFile.errorLog();
            this.runner = new AgentRunner(
                IdleStrategies.of(config.idleStrategy()), errorLog::record, stageCounters.errors(), stage);
            this.hooks = new CoreHooks(this);
        }
        catch (final RuntimeException ex)
        {
            countersFile.close();
            throw ex;
        }
    }

    /**
     * Starts a runtime with the protocols found by {@link java.util.ServiceLoader} (the AF_OOB bus among them).
     *
     * @param config the configuration.
     * @return the running runtime.
     * @throws IllegalStateException when another runtime is running.
     */
    public static OobRuntime start(final OobConfig config)
    {
        final ProtocolRegistry registry = new ProtocolRegistry();
        registry.discover(OobRuntime.class.getClassLoader());
        return start(config, registry);
    }

    /**
     * Starts a runtime with the given registry (which may still change while the runtime runs).
     *
     * @param config   the configuration.
     * @param registry the protocols.
     * @return the running runtime.
     * @throws IllegalStateException when another runtime is running.
     */
    public static OobRuntime start(final OobConfig config, final ProtocolRegistry registry)
    {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
        final OobRuntime runtime = new OobRuntime(config, registry);
        if (!INSTALLED.compareAndSet(null, runtime))
        {
            runtime.countersFile.close();
            throw new IllegalStateException("another OobRuntime is running (the in-band stack holds one set of hooks)");
        }
        try
        {
            // hooks first: a socket attached before the stage runs just waits in the command queue
            KSocket.installOobHooks(runtime.hooks);
        }
        catch (final RuntimeException ex)
        {
            INSTALLED.compareAndSet(runtime, null);
            runtime.countersFile.close();
            throw ex;
        }
        final int cpu = runtime.stageCpu.cpu();
        AgentRunner.startOnThread(runtime.runner, task ->
        {
            final Thread thread = new Thread(() ->
            {
                runtime.pin(cpu);
                task.run();
            }, "oob-stage");
            thread.setDaemon(true);
            return thread;
        });
        runtime.countersFile.stageCpu(cpu, runtime.stageCpu.isolated());
        runtime.awaitStageStarted();
        return runtime;
    }

    // in-band: start() returns once the stage thread is pinned and runs, so pinned() and stageThread() are known
    private void awaitStageStarted()
    {
        final long deadlineNs = System.nanoTime() + STAGE_START_TIMEOUT_NS;
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000L, 1_000_000L);
        while (null == stage.stageThread())
        {
            if (System.nanoTime() - deadlineNs >= 0)
            {
                close();
                throw new IllegalStateException("the OOB stage did not start within " +
                    STAGE_START_TIMEOUT_NS / 1_000_000L + " ms");
            }
            idle.idle();
        }
    }

    // the stage thread, before its first cycle: pin it (the thread factory's job, not doWork's)
    private void pin(final int cpu)
    {
        try
        {
            Affinity.setAffinity(cpu);
            final java.util.BitSet mask = Affinity.getAffinity();
            pinned = mask.cardinality() == 1 && mask.get(cpu);
        }
        catch (final Throwable t)
        {
            pinned = false;
            stage.recordError(t);
        }
    }

    /** @return the configuration. */
    public OobConfig config()
    {
        return config;
    }

    /** @return the protocol registry. */
    public ProtocolRegistry registry()
    {
        return registry;
    }

    /** @return the CPU the stage runs on. */
    public int stageCpu()
    {
        return stageCpu.cpu();
    }

    /** @return true when the stage CPU is isolated; false is reported as {@code noisol}. */
    public boolean isolated()
    {
        return stageCpu.isolated();
    }

    /** @return true when the stage thread is pinned to {@link #stageCpu()} (false if the OS refused). */
    public boolean pinned()
    {
        return pinned;
    }

    /** @return the counters file's path. */
    public java.nio.file.Path countersPath()
    {
        return countersFile.path();
    }

    /** @return the runtime's counters. */
    public StageCounters counters()
    {
        return stageCounters;
    }

    /** @return the stall histogram's bucket counts (see {@link StallHistogram}). */
    public long[] stallHistogram()
    {
        return stageCounters.stallHistogram().counts();
    }

    /** @return the stage thread (null before it started). */
    public Thread stageThread()
    {
        return stage.stageThread();
    }

    /** @return the number of live OOB socket contexts (not yet destroyed). */
    public int liveSockets()
    {
        return liveCount.get();
    }

    StageAgent stageAgent()
    {
        return stage;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Commands

    /**
     * In-band: runs a command on the stage and waits until the stage acknowledged it (a stage crossing: the
     * stage finished the cycle that executed it). Once the stage stopped, the command runs on the caller's thread.
     *
     * @param command the command, used once.
     * @return its result.
     * @throws IllegalStateException when called from the stage thread (it would wait for itself).
     */
    public int callOnStage(final StageCommand command)
    {
        submit(command);
        IdleStrategy idle = null;
        while (!command.isAcknowledged())
        {
            if (stageStopped)
            {
                drainInline();
                continue;
            }
            if (null == idle)
            {
                idle = new BackoffIdleStrategy(100, 10, 1_000L, 100_000L);
            }
            idle.idle();
        }
        return command.result();
    }

    /**
     * In-band: queues a command for the stage without waiting (poll {@link StageCommand#isAcknowledged()}).
     *
     * @param command the command, used once.
     * @throws IllegalStateException when called from the stage thread.
     */
    public void submit(final StageCommand command)
    {
        if (stage.isStageThread())
        {
            throw new IllegalStateException("a stage command cannot be submitted from the stage thread");
        }
        IdleStrategy idle = null;
        while (!commands.offer(command))
        {
            if (stageStopped)
            {
                drainInline();
                continue;
            }
            if (null == idle)
            {
                idle = new BackoffIdleStrategy(100, 10, 1_000L, 100_000L);
            }
            idle.idle();
        }
        if (stageStopped)
        {
            drainInline();
        }
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
                if (command instanceof final DetachCommand detach && command.isDeferred())
                {
                    // no stage left to drain the ring: finish the detach now
                    stage.forceDetach(detach.socket);
                    detach.completeDetach();
                }
                command.acknowledge();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Devices

    /**
     * In-band: adds a device to the stage's cycle and waits until the stage took it.
     *
     * @param device the device.
     * @return 0; {@code -EEXIST} when already added, {@code -ENOSPC} when the stage's device table is full.
     */
    public int addDevice(final StageDevice device)
    {
        Objects.requireNonNull(device, "device");
        return callOnStage(new DeviceCommand(stage, device, true));
    }

    /**
     * In-band: removes a device and waits until the stage acknowledged: when this returns the stage never touches
     * the device again (its rings may be unmapped).
     *
     * @param device the device.
     * @return 0, or {@code -ENOENT} when it was not added.
     */
    public int removeDevice(final StageDevice device)
    {
        Objects.requireNonNull(device, "device");
        return callOnStage(new DeviceCommand(stage, device, false));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Tasks

    /**
     * In-band: adds a task to the stage; its {@link OobTask#onStart()} runs there before its first call.
     *
     * @param task     the task.
     * @param schedule when the stage calls it.
     */
    public void addTask(final OobTask task, final OobTask.Schedule schedule)
    {
        Objects.requireNonNull(task, "task");
        synchronized (tasksLock)
        {
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
            callOnStage(new TasksCommand(
                cycleTasks.toArray(new OobTask[0]), eventTasks.toArray(new OobTask[0]), task, null));
        }
    }

    /**
     * In-band: removes a task; its {@link OobTask#onClose()} runs on the stage.
     *
     * @param task the task.
     * @return true when it was added.
     */
    public boolean removeTask(final OobTask task)
    {
        synchronized (tasksLock)
        {
            final boolean removed = cycleTasks.remove(task) | eventTasks.remove(task);
            if (removed)
            {
                callOnStage(new TasksCommand(
                    cycleTasks.toArray(new OobTask[0]), eventTasks.toArray(new OobTask[0]), null, task));
            }
            return removed;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Socket contexts (called by CoreHooks, in-band)

    int attach(final KSocket ksocket)
    {
        if (closing)
        {
            return -Errno.ENETDOWN;
        }
        if (stage.isStageThread())
        {
            // socket() is in-band work (it allocates, and its commands wait on the stage): never on the stage
            return -Errno.EPERM;
        }
        reapStageCloses();
        final int family = ksocket.family();
        final int type = ksocket.type();
        final int protocolNumber = ksocket.protocol();
        final OobProtocol[] found = new OobProtocol[1];
        final int rc = registry.lookup(family, type, protocolNumber, found);
        if (rc < 0)
        {
            return rc;
        }
        if (liveCount.incrementAndGet() > config.maxSockets())
        {
            liveCount.decrementAndGet();
            return -Errno.ENFILE;
        }
        final OobProtocol protocol = found[0];
        final long id = socketIds.incrementAndGet();
        final SocketCounters counters;
        synchronized (countersLock)
        {
            counters = SocketCounters.allocate(
                countersFile.countersManager(), id, protocol.name() + " fd=" + ksocket.fd());
        }
        if (null == counters)
        {
            liveCount.decrementAndGet();
            return -Errno.ENOBUFS;
        }
        final UnsafeBuffer sendMemory = RingMemory.map(config.sendRingBytes() + RingBufferDescriptor.TRAILER_LENGTH);
        final UnsafeBuffer receiveMemory = null == sendMemory ? null :
            RingMemory.map(config.receiveRingBytes() + RingBufferDescriptor.TRAILER_LENGTH);
        if (null == receiveMemory)
        {
            synchronized (countersLock)
            {
                counters.free();
            }
            liveCount.decrementAndGet();
            return -Errno.ENOMEM;
        }
        final OobSocket socket = new OobSocket(
            this, ksocket, protocol, id, family, type, protocolNumber,
            new ManyToOneRingBuffer(sendMemory), new OneToOneRingBuffer(receiveMemory), counters);
        ksocket.oobContext(socket);
        int attached;
        try
        {
            attached = protocol.attach(socket);
        }
        catch (final RuntimeException ex)
        {
            stage.recordError(ex);
            attached = -Errno.EIO;
        }
        if (attached < 0)
        {
            counters.hookErrors().incrementRelease();
            try
            {
                protocol.destroy(socket);
            }
            catch (final RuntimeException ex)
            {
                stage.recordError(ex);
            }
            ksocket.oobContext(null);
            synchronized (countersLock)
            {
                socket.markDestroyed();
                freeCounters(socket);
            }
            liveCount.decrementAndGet();
            return attached;
        }
        live.add(socket);
        submit(new AttachCommand(socket));
        return 0;
    }

    void release(final OobSocket socket)
    {
        if (stage.isStageThread())
        {
            // release waits for the stage: from the stage it would wait for itself. KSocket.close() has already
            // marked the socket closed and keeps its open reference when this throws, so the close is finished
            // in-band by the runtime's next attach, release or close (reapStageCloses): the descriptor does not leak.
            // FIXME: refusing before KSocket marks the socket closed needs a pre-close check hook in inband-stack.
            if (socket.state() == OobSocket.ATTACHED && !closedOnStage.contains(socket))
            {
                closedOnStage.offer(socket); // allocates, on a misuse path only
            }
            throw new IllegalStateException("an OOB socket is closed in-band, not from the stage thread: " + socket);
        }
        reapStageCloses();
        if (!socket.casState(OobSocket.ATTACHED, OobSocket.RELEASING))
        {
            return;
        }
        final DetachCommand detach = new DetachCommand(socket, config.releaseDrainTimeoutNs());
        callOnStage(detach);
        socket.casState(OobSocket.RELEASING, OobSocket.RELEASED);
        try
        {
            socket.protocol().release(socket);
        }
        catch (final RuntimeException ex)
        {
            socket.counters().hookErrors().incrementRelease();
            stage.recordError(ex);
        }
        if (socket.isGrafted())
        {
            socket.rele();
        }
    }

    /**
     * In-band: finishes the closes the stage thread attempted (refused there, see {@link #release}): releases each
     * socket, then drops the open reference {@code KSocket.close()} kept, which closes its descriptor and destroys
     * the context.
     *
     * @return the sockets whose close was finished.
     */
    int reapStageCloses()
    {
        int reaped = 0;
        OobSocket socket;
        while (null != (socket = closedOnStage.poll()))
        {
            release(socket);
            try
            {
                socket.ksocket().rele();
            }
            catch (final RuntimeException ex)
            {
                stage.recordError(ex);
            }
            reaped++;
        }
        return reaped;
    }

    // the last reference went
    void destroyContext(final OobSocket socket)
    {
        if (socket.state() == OobSocket.ATTACHED)
        {
            // destroyed without release (forced close): let the stage go first
            if (socket.casState(OobSocket.ATTACHED, OobSocket.RELEASING))
            {
                callOnStage(new DetachCommand(socket, config.releaseDrainTimeoutNs()));
                socket.casState(OobSocket.RELEASING, OobSocket.RELEASED);
                try
                {
                    socket.protocol().release(socket);
                }
                catch (final RuntimeException ex)
                {
                    stage.recordError(ex);
                }
            }
        }
        if (!socket.casState(OobSocket.RELEASED, OobSocket.DESTROYED))
        {
            return;
        }
        try
        {
            socket.protocol().destroy(socket);
        }
        catch (final RuntimeException ex)
        {
            stage.recordError(ex);
        }
        synchronized (countersLock)
        {
            freeCounters(socket);
        }
        live.remove(socket);
        liveCount.decrementAndGet();
    }

    // in-band, under countersLock, once the socket is destroyed (no writer can reach its counters any more)
    private static void freeCounters(final OobSocket socket)
    {
        socket.counters().free();
        for (final ProtocolCounters counters : socket.protocolCounters)
        {
            counters.free();
        }
        socket.protocolCounters = new ProtocolCounters[0];
    }

    ProtocolCounters allocateProtocolCounters(final OobSocket socket, final ProtocolCounterType[] types)
    {
        final String problem = ProtocolCounters.check(types);
        if (null != problem)
        {
            throw new IllegalArgumentException("protocol=" + socket.protocol().name() + ": " + problem);
        }
        synchronized (countersLock)
        {
            if (socket.isDestroyed())
            {
                throw new IllegalStateException("counters for a destroyed socket: " + socket);
            }
            final ProtocolCounters counters = ProtocolCounters.allocate(
                countersFile.countersManager(), types, socket.id(),
                socket.protocol().name() + " fd=" + socket.ksocket().fd());
            if (null != counters)
            {
                final ProtocolCounters[] current = socket.protocolCounters;
                final ProtocolCounters[] next = java.util.Arrays.copyOf(current, current.length + 1);
                next[current.length] = counters;
                socket.protocolCounters = next;
            }
            return counters;
        }
    }

    void shutdown(final OobSocket socket, final int how)
    {
        socket.shutdownBits(how);
        if (how == OobSocket.SHUT_WR || how == OobSocket.SHUT_RDWR)
        {
            submit(new RaiseCommand(socket, KSocketEvent.CANTSENDMORE, 0));
        }
        if (how == OobSocket.SHUT_RD || how == OobSocket.SHUT_RDWR)
        {
            submit(new RaiseCommand(socket, KSocketEvent.CANTRECVMORE, 0));
        }
    }

    void raiseAsync(final OobSocket socket, final KSocketEvent event, final long arg)
    {
        submit(new RaiseCommand(socket, event, arg));
    }

    long oobIoctl(final OobSocket socket, final int request, final long arg)
    {
        if (stage.isStageThread())
        {
            return socket.oobIoctl(request, arg);
        }
        final IoctlCommand command = new IoctlCommand(socket, request, arg);
        callOnStage(command);
        return command.value;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Close

    /**
     * Stops the runtime: no new OOB sockets, every live socket released (the stage drains and acknowledges) and
     * destroyed, the stage stopped, the hooks removed and the counters file deleted. Idempotent.
     *
     * @throws IllegalStateException when called from the stage thread (it would wait for itself to stop).
     */
    @Override
    public void close()
    {
        if (stage.isStageThread())
        {
            throw new IllegalStateException("an OobRuntime is closed in-band: close() waits for the stage to stop");
        }
        synchronized (this)
        {
            if (closing)
            {
                return;
            }
            closing = true;
        }
        reapStageCloses();
        KSocket.removeOobHooks(hooks);
        for (final OobSocket socket : live.toArray(new OobSocket[0]))
        {
            release(socket);
            forceDestroy(socket);
        }
        runner.close();
        stageStopped = true;
        synchronized (inlineLock)
        {
            stage.abortPendingDetaches();
        }
        drainInline();
        synchronized (tasksLock)
        {
            cycleTasks.clear();
            eventTasks.clear();
        }
        INSTALLED.compareAndSet(this, null);
        countersFile.close();
    }

    private void forceDestroy(final OobSocket socket)
    {
        // drop every reference left (the application's holds included): the runtime is going away
        while (socket.refCount() > 0 && !socket.isDestroyed())
        {
            socket.rele();
        }
    }

    /** @return true once {@link #close()} began. */
    public boolean isClosed()
    {
        return closing;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Built-in commands

    static final class AttachCommand extends StageCommand
    {
        private final OobSocket socket;

        AttachCommand(final OobSocket socket)
        {
            this.socket = socket;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            return ((StageAgent)stage).addSocket(socket);
        }
    }

    static final class DetachCommand extends StageCommand
    {
        final OobSocket socket;
        private final long drainTimeoutNs;

        DetachCommand(final OobSocket socket, final long drainTimeoutNs)
        {
            this.socket = socket;
            this.drainTimeoutNs = drainTimeoutNs;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            if (((StageAgent)stage).beginDetach(socket, this, nowNs + drainTimeoutNs))
            {
                defer();
            }
            return 0;
        }

        // stage: the ring drained and the socket left the stage; acknowledged at the end of this cycle
        void completeDetach()
        {
            complete(0);
            if (!socket.runtime().stageStopped)
            {
                socket.runtime().stage.completedAck(this);
            }
        }
    }

    // a typed target: the stage agent given at construction, no cast of the OobStage argument
    static final class DeviceCommand extends StageCommand
    {
        private final StageAgent target;
        private final StageDevice device;
        private final boolean add;

        DeviceCommand(final StageAgent target, final StageDevice device, final boolean add)
        {
            this.target = target;
            this.device = device;
            this.add = add;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            return add ? target.addDevice(device) : target.removeDevice(device);
        }
    }

    static final class TasksCommand extends StageCommand
    {
        private final OobTask[] cycleTasks;
        private final OobTask[] eventTasks;
        private final OobTask started;
        private final OobTask removed;

        TasksCommand(final OobTask[] cycleTasks, final OobTask[] eventTasks, final OobTask started, final OobTask removed)
        {
            this.cycleTasks = cycleTasks;
            this.eventTasks = eventTasks;
            this.started = started;
            this.removed = removed;
        }

        @Override
        protected int execute(final OobStage stage, final long nowNs)
        {
            ((StageAgent)stage).tasks(cycleTasks, eventTasks, started, removed);
            return 0;
        }
    }

    static final class RaiseCommand extends StageCommand
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
            if (socket.onStage)
            {
                socket.raise(event, arg);
            }
            return 0;
        }
    }

    static final class IoctlCommand extends StageCommand
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
