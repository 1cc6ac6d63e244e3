package org.oobnet.core;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import net.openhft.affinity.Affinity;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.jctools.queues.MpscArrayQueue;
import org.oobnet.core.counters.DeviceCounters;
import org.oobnet.core.counters.StageCounters;

/**
 * One OOB stage of a runtime, in-band side: its {@link StageAgent} on its own pinned thread, its command path
 * ({@link StageProxy}), its tasks, its counters and the devices put on it. Everything a stage touches belongs to it
 * alone: a device is added to one stage, a socket is served by one stage at a time.
 * <p>
 * A runtime has one stage per {@link OobConfig#stages()} entry; the first is the default (sockets that name no
 * stage and whose interface no other stage serves, and the runtime's own one-stage methods).
 * <b>Note:</b> thread safe; every method is in-band unless it says otherwise.
 */
public final class RuntimeStage
{
    private static final long STAGE_START_TIMEOUT_NS = 30_000_000_000L;

    private final int index;
    private final OobConfig.StageSpec spec;
    private final StageCpu cpu;
    private final StageCounters counters;
    private final StageAgent agent;
    private final StageProxy proxy;
    private final StageTasks tasks;
    private final AgentRunner runner;
    private final Map<StageDevice, DeviceCounters> deviceCounters = new ConcurrentHashMap<>();
    private SocketLifecycle sockets;
    private volatile boolean pinned;

    RuntimeStage(
        final int index,
        final OobConfig.StageSpec spec,
        final StageCpu cpu,
        final OobConfig config,
        final StageCounters counters,
        final DistinctErrorLog errorLog)
    {
        this.index = index;
        this.spec = spec;
        this.cpu = cpu;
        this.counters = counters;
        final MpscArrayQueue<StageCommand> commands = new MpscArrayQueue<>(config.controlQueueCapacity());
        this.agent = new StageAgent(
            commands, config.commandLimit(), config.maxSockets(), counters, errorLog, spec.stallThresholdNs(),
            "oob-stage" + (0 == index ? "" : "-" + spec.name()));
        this.proxy = new StageProxy(commands, agent, IdleStrategies.parks(spec.idleStrategy()), spec.name(),
            config.stageAnswerTimeoutNs());
        this.tasks = new StageTasks(proxy);
        // a Throwable escaping doWork: the runner counts it and hands it to the error log; the loop goes on
        this.runner = new AgentRunner(
            IdleStrategies.of(spec.idleStrategy()), errorLog::record, counters.errors(), agent);
    }

    void sockets(final SocketLifecycle sockets)
    {
        this.sockets = sockets;
    }

    // in-band, at the runtime's start: the thread, pinned before its first cycle; returns once it runs
    void start()
    {
        final int cpu = this.cpu.cpu();
        AgentRunner.startOnThread(runner, task ->
        {
            final Thread thread = new Thread(() ->
            {
                pin(cpu);
                task.run();
            }, agent.roleName());
            thread.setDaemon(true);
            return thread;
        });
        final long deadlineNs = System.nanoTime() + STAGE_START_TIMEOUT_NS;
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000L, 1_000_000L);
        while (null == agent.stageThread())
        {
            if (System.nanoTime() - deadlineNs >= 0)
            {
                throw new IllegalStateException("the OOB stage " + spec.name() + " did not start within " +
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
            agent.recordError(t);
        }
    }

    // in-band, at the runtime's close, after every socket left: stop the thread, then run what is queued inline
    void stop()
    {
        runner.close();
        proxy.stageStopped();
        tasks.clear();
    }

    /** @return the stage's name (unique in the runtime). */
    public String name()
    {
        return spec.name();
    }

    /** @return its position in {@link OobConfig#stages()}; 0 is the default stage. */
    public int index()
    {
        return index;
    }

    /** @return the interfaces it serves as configured (empty for the default stage: every other one). */
    public List<String> interfaces()
    {
        return spec.interfaces();
    }

    /** @return the CPU it runs on. */
    public int cpu()
    {
        return cpu.cpu();
    }

    /** @return true when its CPU is isolated; false is reported as {@code noisol}. */
    public boolean isolated()
    {
        return cpu.isolated();
    }

    /** @return true when its thread is pinned to {@link #cpu()} (false if the OS refused). */
    public boolean pinned()
    {
        return pinned;
    }

    /** @return its thread (null before it started). */
    public Thread thread()
    {
        return agent.stageThread();
    }

    /** @return its counters. */
    public StageCounters counters()
    {
        return counters;
    }

    /** @return the stage services for code running on it (stage only). */
    public OobStage stage()
    {
        return agent;
    }

    StageAgent agent()
    {
        return agent;
    }

    StageProxy proxy()
    {
        return proxy;
    }

    /**
     * In-band: runs a command on this stage and waits until the stage acknowledged it.
     *
     * @param command the command, used once.
     * @return its result.
     * @throws IllegalStateException when called from this stage's thread (it would wait for itself).
     */
    public int callOnStage(final StageCommand command)
    {
        return proxy.callOnStage(command);
    }

    /**
     * In-band: queues a command for this stage without waiting.
     *
     * @param command the command, used once.
     */
    public void submit(final StageCommand command)
    {
        proxy.submit(command);
    }

    /**
     * In-band: adds a device to this stage's cycle and waits until the stage took it. A device belongs to one
     * stage: add it to no other.
     *
     * @param device the device.
     * @return 0; {@code -EEXIST} when already added, {@code -ENOSPC} when the stage's device table is full.
     */
    public int addDevice(final StageDevice device)
    {
        Objects.requireNonNull(device, "device");
        final DeviceCounters counters = sockets.allocateDeviceCounters(device, this);
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

    /**
     * In-band: adds a task to this stage; its {@link OobTask#onStart()} runs there before its first call.
     *
     * @param task     the task.
     * @param schedule when the stage calls it.
     */
    public void addTask(final OobTask task, final OobTask.Schedule schedule)
    {
        tasks.add(task, schedule);
    }

    /**
     * In-band: removes a task; its {@link OobTask#onClose()} runs on this stage.
     *
     * @param task the task.
     * @return true when it was added.
     */
    public boolean removeTask(final OobTask task)
    {
        return tasks.remove(task);
    }

    @Override
    public String toString()
    {
        return "stage " + spec.name() + " cpu=" + cpu.cpu();
    }
}
