package org.oobnet.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.oobnet.core.counters.CountersFile;
import org.oobnet.core.counters.StageCounters;
import org.oobnet.core.counters.StallHistogram;
import org.oobnet.inband.KSocket;

/**
 * The companion core at run time: the OOB stages, the hooks installed in the in-band stack, the protocol registry,
 * the OOB socket contexts and the counters file.
 * <p>
 * {@link #start(OobConfig)} maps the counters file, starts one stage per {@link OobConfig#stages()} entry (each a
 * {@link RuntimeStage}: an Agrona agent on its own thread pinned with OpenHFT Affinity) and installs the hooks
 * ({@code KSocket.installOobHooks}); from then on
 * {@code KSocket.socket(family, type | SOCK_OOB, protocol)} gets an {@link OobSocket} served by the protocol
 * registered for the family. {@link #close()} removes the hooks, releases and destroys every socket (each after
 * the stage acknowledged it let go), stops the stages and deletes the counters file. The one-stage methods
 * ({@link #addDevice}, {@link #callOnStage}, {@link #counters}, {@link #stageThread}...) mean the default stage, the
 * first configured; a socket's own stage is {@link OobSocket#runtimeStage()}.
 * <b>Note:</b> thread safe; every method is in-band (it may block and allocate) unless it says otherwise. One
 * runtime at a time has its hooks installed (the in-band stack holds one implementation).
 */
public final class OobRuntime implements AutoCloseable
{
    /** {@code AF_OOB}: the family of protocols that live wholly on the OOB side. */
    public static final int AF_OOB = 46;

    private final OobConfig config;
    private final ProtocolRegistry registry;
    private final CountersFile countersFile;
    private final List<RuntimeStage> stages;
    private final RuntimeStage main;
    private final SocketLifecycle sockets;
    private final CoreHooks hooks;
    private volatile boolean closing;

    private OobRuntime(final OobConfig config, final ProtocolRegistry registry)
    {
        this.config = config;
        this.registry = registry;
        final List<StageCpu> cpus = chooseCpus(config.stages());
        this.countersFile = CountersFile.create(config.countersDir(), config.countersValuesBytes(), config.errorLogBytes());
        try
        {
            final List<RuntimeStage> stages = new ArrayList<>();
            for (int i = 0; i < config.stages().size(); i++)
            {
                final OobConfig.StageSpec spec = config.stages().get(i);
                final StageCpu cpu = cpus.get(i);
                final StageCounters counters = new StageCounters(countersFile.countersManager(),
                    // one stage keeps the labels readers always saw; several name each stage in its labels
                    spec.stallThresholdNs(), config.stages().size() > 1 ? spec.name() : null, cpu.cpu(),
                    cpu.isolated());
                stages.add(new RuntimeStage(i, spec, cpu, config, counters, countersFile.errorLog()));
            }
            this.stages = List.copyOf(stages);
            this.main = stages.getFirst();
            this.sockets = new SocketLifecycle(this, config, registry, countersFile.countersManager(), this.stages);
            for (final RuntimeStage stage : stages)
            {
                stage.sockets(sockets);
            }
            this.hooks = new CoreHooks(this, sockets);
        }
        catch (final RuntimeException ex)
        {
            countersFile.close();
            throw ex;
        }
    }

    // configured CPUs first, then each auto stage takes the best CPU no other stage has
    private static List<StageCpu> chooseCpus(final List<OobConfig.StageSpec> specs)
    {
        final Set<Integer> taken = new HashSet<>();
        for (final OobConfig.StageSpec spec : specs)
        {
            if (spec.cpu() >= 0)
            {
                taken.add(spec.cpu());
            }
        }
        final List<StageCpu> cpus = new ArrayList<>();
        for (final OobConfig.StageSpec spec : specs)
        {
            final StageCpu cpu = StageCpu.choose(spec.cpu(), specs.size() > 1 ? taken : Set.of());
            if (cpu.cpu() < 0)
            {
                throw new IllegalStateException("stage " + spec.name() + ": cpu=auto finds no CPU left (" +
                    taken.size() + " taken by the other stages: " + new TreeSet<>(taken) + ")");
            }
            taken.add(cpu.cpu());
            cpus.add(cpu);
        }
        return cpus;
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
     * Starts a runtime with the given registry (which may still change while the runtime runs): one pinned thread
     * per configured stage.
     *
     * @param config   the configuration.
     * @param registry the protocols.
     * @return the running runtime.
     * @throws IllegalStateException when another runtime is running, or an auto stage finds no CPU left.
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
        // before any stage runs: the first C2 compile of a method would otherwise make the stage allocate its
        // class's string literals (StringConstants says why); once per JVM
        StringConstants.resolveLoaded();
        // and the JDK atomics' access sites, which the first thread to call each links (AtomicLinks says why)
        AtomicLinks.link();
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
        runtime.countersFile.stageCpu(runtime.main.cpu(), runtime.main.isolated());
        try
        {
            for (final RuntimeStage stage : runtime.stages)
            {
                stage.start();
            }
        }
        catch (final RuntimeException ex)
        {
            runtime.close();
            throw ex;
        }
        return runtime;
    }

    /** @return the stages, in configuration order; the first is the default stage. */
    public List<RuntimeStage> stages()
    {
        return stages;
    }

    /** @return the default stage (the first configured). */
    public RuntimeStage defaultStage()
    {
        return main;
    }

    /**
     * @param name a stage's name.
     * @return the stage, or null when the runtime has none of that name.
     */
    public RuntimeStage stage(final String name)
    {
        for (final RuntimeStage stage : stages)
        {
            if (stage.name().equals(name))
            {
                return stage;
            }
        }
        return null;
    }

    /**
     * The stage that serves an interface: the one whose configured interfaces list it, else the default stage.
     *
     * @param ifname an interface name.
     * @return the stage.
     */
    public RuntimeStage stageForInterface(final String ifname)
    {
        for (final RuntimeStage stage : stages)
        {
            if (stage.interfaces().contains(ifname))
            {
                return stage;
            }
        }
        return main;
    }

    /**
     * @return true when called from any of this runtime's stage threads.
     */
    public boolean isStageThread()
    {
        for (final RuntimeStage stage : stages)
        {
            if (stage.agent().isStageThread())
            {
                return true;
            }
        }
        return false;
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
        return main.cpu();
    }

    /** @return true when the stage CPU is isolated; false is reported as {@code noisol}. */
    public boolean isolated()
    {
        return main.isolated();
    }

    /** @return true when the stage thread is pinned to {@link #stageCpu()} (false if the OS refused). */
    public boolean pinned()
    {
        return main.pinned();
    }

    /** @return the counters file's path. */
    public Path countersPath()
    {
        return countersFile.path();
    }

    /** @return the runtime's counters. */
    public StageCounters counters()
    {
        return main.counters();
    }

    /** @return the stall histogram's bucket counts (see {@link StallHistogram}). */
    public long[] stallHistogram()
    {
        return main.counters().stallHistogram().counts();
    }

    /** @return the stage thread (null before it started). */
    public Thread stageThread()
    {
        return main.thread();
    }

    /** @return the number of live OOB socket contexts (not yet destroyed). */
    public int liveSockets()
    {
        return sockets.liveSockets();
    }

    StageAgent stageAgent()
    {
        return main.agent();
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
        return main.callOnStage(command);
    }

    /**
     * In-band: queues a command for the stage without waiting (poll {@link StageCommand#isAcknowledged()}).
     *
     * @param command the command, used once.
     * @throws IllegalStateException when called from the stage thread.
     */
    public void submit(final StageCommand command)
    {
        main.submit(command);
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
        return main.addDevice(device);
    }

    /**
     * In-band: removes a device from the default stage (see {@link RuntimeStage#removeDevice}).
     *
     * @param device the device.
     * @return 0, or {@code -ENOENT} when it was not added.
     */
    public int removeDevice(final StageDevice device)
    {
        return main.removeDevice(device);
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
        main.addTask(task, schedule);
    }

    /**
     * In-band: removes a task; its {@link OobTask#onClose()} runs on the stage.
     *
     * @param task the task.
     * @return true when it was added.
     */
    public boolean removeTask(final OobTask task)
    {
        return main.removeTask(task);
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
        if (isStageThread())
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
        for (final RuntimeStage stage : stages)
        {
            stage.stop();
        }
        countersFile.close();
    }

    /** @return true once {@link #close()} began. */
    public boolean isClosed()
    {
        return closing;
    }
}
