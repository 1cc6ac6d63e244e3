package org.oobnet.core.counters;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The runtime's own counters: cycles, stalls, longest cycle, commands, errors, sockets, plus the stall histogram and the per-hop
 * timestamps ({@link StageHops}).
 * <p>
 * <b>Note:</b> allocated in-band at start; written by the stage only (errors also by the runner's error handler,
 * on the stage thread).
 */
public final class StageCounters
{
    private final AtomicCounter cycles;
    private final AtomicCounter stalls;
    private final AtomicCounter maxCycleNs;
    private final AtomicCounter controlCommands;
    private final AtomicCounter errors;
    private final AtomicCounter sockets;
    private final AtomicCounter stallThresholdNs;
    private final AtomicCounter allocatedBytes;
    private final AtomicCounter devices;
    private final AtomicCounter cpu;
    private final AtomicCounter isolated;
    private final StallHistogram stallHistogram;
    private final StageHops hops;

    /**
     * In-band: allocates them for the default stage (labels without a stage suffix).
     *
     * @param manager         the counters manager.
     * @param thresholdNs     the stall threshold, published as a counter for readers.
     */
    public StageCounters(final CountersManager manager, final long thresholdNs)
    {
        this(manager, thresholdNs, null, -1, false);
    }

    /**
     * In-band: allocates them. The one stage of a one-stage runtime keeps the counter types' own labels
     * ({@code "stage cycles"}), so that readers of a one-stage file see what they always saw; with several stages
     * each stage's labels end with {@link #STAGE_LABEL_SEPARATOR} and its name ({@code "stage cycles @feed-a"}).
     *
     * @param manager     the counters manager.
     * @param thresholdNs the stall threshold, published as a counter for readers.
     * @param stageName   null for the one stage of a one-stage runtime, else the stage's name.
     * @param cpu         the CPU it runs on, published for readers.
     * @param isolated    whether that CPU is isolated.
     */
    public StageCounters(
        final CountersManager manager, final long thresholdNs, final String stageName, final int cpu,
        final boolean isolated)
    {
        final String suffix = null == stageName ? "" : STAGE_LABEL_SEPARATOR + stageName;
        cycles = newCounter(manager, OobCounterType.STAGE_CYCLES, suffix);
        stalls = newCounter(manager, OobCounterType.STAGE_STALLS, suffix);
        maxCycleNs = newCounter(manager, OobCounterType.STAGE_MAX_CYCLE_NS, suffix);
        controlCommands = newCounter(manager, OobCounterType.CONTROL_COMMANDS, suffix);
        errors = newCounter(manager, OobCounterType.STAGE_ERRORS, suffix);
        sockets = newCounter(manager, OobCounterType.STAGE_SOCKETS, suffix);
        stallThresholdNs = newCounter(manager, OobCounterType.STALL_THRESHOLD_NS, suffix);
        allocatedBytes = newCounter(manager, OobCounterType.STAGE_ALLOCATED_BYTES, suffix);
        devices = newCounter(manager, OobCounterType.STAGE_DEVICES, suffix);
        this.cpu = newCounter(manager, OobCounterType.STAGE_CPU, suffix);
        this.isolated = newCounter(manager, OobCounterType.STAGE_ISOLATED, suffix);
        this.cpu.setRelease(cpu);
        this.isolated.setRelease(isolated ? 1 : 0);
        stallThresholdNs.setRelease(thresholdNs);
        stallHistogram = new StallHistogram(manager, suffix);
        hops = new StageHops(manager, suffix);
    }

    /** What separates a further stage's name from a stage counter's label. */
    public static final String STAGE_LABEL_SEPARATOR = " @";

    private static AtomicCounter newCounter(final CountersManager manager, final OobCounterType type, final String suffix)
    {
        return manager.newCounter(type.label() + suffix, type.typeId());
    }

    /**
     * The stage a stage counter's label names.
     *
     * @param label a stage counter's label.
     * @return the stage's name, or null for the one stage of a one-stage runtime.
     */
    public static String stageOf(final String label)
    {
        final int at = label.lastIndexOf(STAGE_LABEL_SEPARATOR);
        return at < 0 ? null : label.substring(at + STAGE_LABEL_SEPARATOR.length());
    }

    /** @return the CPU the stage runs on (-1 when not published). */
    public AtomicCounter cpu()
    {
        return cpu;
    }

    /** @return 1 when the stage's CPU is isolated. */
    public AtomicCounter isolated()
    {
        return isolated;
    }

    /** @return cycles run. */
    public AtomicCounter cycles()
    {
        return cycles;
    }

    /** @return stalled cycles. */
    public AtomicCounter stalls()
    {
        return stalls;
    }

    /** @return the longest cycle, ns. */
    public AtomicCounter maxCycleNs()
    {
        return maxCycleNs;
    }

    /** @return commands executed. */
    public AtomicCounter controlCommands()
    {
        return controlCommands;
    }

    /** @return errors caught on the stage. */
    public AtomicCounter errors()
    {
        return errors;
    }

    /** @return bytes the stage thread allocated since it started. */
    public AtomicCounter allocatedBytes()
    {
        return allocatedBytes;
    }

    /** @return devices the stage polls. */
    public AtomicCounter devices()
    {
        return devices;
    }

    /** @return sockets on the stage. */
    public AtomicCounter sockets()
    {
        return sockets;
    }

    /** @return the per-hop timestamps' histograms. */
    public StageHops hops()
    {
        return hops;
    }

    /** @return the stall histogram. */
    public StallHistogram stallHistogram()
    {
        return stallHistogram;
    }
}
