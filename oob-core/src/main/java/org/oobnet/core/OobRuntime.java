package org.oobnet.core;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import net.openhft.affinity.Affinity;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.jctools.queues.MpscArrayQueue;
import org.oobnet.core.counters.CountersFile;
import org.oobnet.core.counters.DeviceCounters;
import org.oobnet.core.counters.ProtocolCounterType;
import org.oobnet.core.counters.ProtocolCounters;
import org.oobnet.core.counters.StageCounters;
import org.oobnet.core.counters.StallHistogram;
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

    private static final long STAGE_START_TIMEOUT_NS = 30_000_000_000L;

    private final OobConfig config;
    private final ProtocolRegistry registry;
    private final CountersFile countersFile;
    private final StageCounters stageCounters;
    private final StageAgent stage;
    private final StageProxy proxy;
    private final SocketLifecycle sockets;
    private final StageTasks tasks;
    private final AgentRunner runner;
    private final StageCpu stageCpu;
    private final CoreHooks hooks;
    private final Map<StageDevice, DeviceCounters> deviceCounters = new ConcurrentHashMap<>();
    private volatile boolean pinned;
    private volatile boolean closing;

    private OobRuntime(final OobConfig config, final ProtocolRegistry registry)
    {
        this.config = config;
        this.registry = registry;
        this.stageCpu = StageCpu.choose(config.stageCpu());
        this.countersFile = CountersFile.create(config.countersDir(), config.countersValuesBytes(), config.errorLogBytes());
        try
        {
            this.stageCounters = new StageCounters(countersFile.countersManager(), config.stallThresholdNs());
            final MpscArrayQueue<StageCommand> commands = new MpscArrayQueue<>(config.controlQueueCapacity());
            this.stage = new StageAgent(
                commands, config.commandLimit(), config.maxSockets(), stageCounters, countersFile.errorLog(),
                config.stallThresholdNs());
            this.proxy = new StageProxy(commands, stage);
            this.sockets = new SocketLifecycle(this, config, registry, countersFile.countersManager(), proxy, stage);
            this.tasks = new StageTasks(proxy);
            // a Throwable escaping doWork: the runner counts it and hands it to the error log; the loop goes on
            final DistinctErrorLog errorLog = countersFile.errorLog();
            this.runner = new AgentRunner(
                IdleStrategies.of(config.idleStrategy()), errorLog::record, stageCounters.errors(), stage);
            this.hooks = new CoreHooks(this, sockets);
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
        RequiredJvmFlags.check(); // before FFM and Agrona: one line naming a missing JVM flag, not their traces
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
        if (null != KSocket.installedOobHooks())
        {
            // before the counters file is made: a second runtime must not replace the first one's file
            throw new IllegalStateException("another OobRuntime is running (the in-band stack holds one set of hooks)");
        }
        final OobRuntime runtime = new OobRuntime(config, registry);
        try
        {
            // hooks first: a socket attached before the stage runs just waits in the command queue; the in-band
            // stack holds one set of hooks, so a runtime started concurrently is refused here
            KSocket.installOobHooks(runtime.hooks);
        }
        catch (final RuntimeException ex)
        {
            runtime.countersFile.close();
            throw new IllegalStateException(
                "another OobRuntime is running (the in-band stack holds one set of hooks)", ex);
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
            final BitSet mask = Affinity.getAffinity();
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
    public Path countersPath()
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
        return sockets.liveSockets();
    }

    StageAgent stageAgent()
    {
        return stage;
    }

    SocketLifecycle sockets()
    {
        return sockets;
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
        return proxy.callOnStage(command);
    }

    /**
     * In-band: queues a command for the stage without waiting (poll {@link StageCommand#isAcknowledged()}).
     *
     * @param command the command, used once.
     * @throws IllegalStateException when called from the stage thread.
     */
    public void submit(final StageCommand command)
    {
        proxy.submit(command);
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
        final DeviceCounters counters = sockets.allocateDeviceCounters(device);
        final int rc = proxy.addDevice(device, counters);
        if (rc < 0 || null == counters)
        {
            if (null != counters)
            {
                sockets.freeDeviceCounters(counters);
            }
            return rc;
        }
        deviceCounters.put(device, counters);
        return rc;
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
        final int rc = proxy.removeDevice(device);
        final DeviceCounters counters = deviceCounters.remove(device);
        if (null != counters)
        {
            // the stage acknowledged: it no longer writes them
            sockets.freeDeviceCounters(counters);
        }
        return rc;
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
        tasks.add(task, schedule);
    }

    /**
     * In-band: removes a task; its {@link OobTask#onClose()} runs on the stage.
     *
     * @param task the task.
     * @return true when it was added.
     */
    public boolean removeTask(final OobTask task)
    {
        return tasks.remove(task);
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
        sockets.refuseNew();
        KSocket.removeOobHooks(hooks);
        sockets.closeAll();
        runner.close();
        proxy.stageStopped();
        tasks.clear();
        countersFile.close();
    }

    /** @return true once {@link #close()} began. */
    public boolean isClosed()
    {
        return closing;
    }
}
