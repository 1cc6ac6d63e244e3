package org.oobnet.core.counters;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The runtime's own counters: cycles, stalls, longest cycle, commands, errors, sockets, plus the stall histogram.
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
    private final StallHistogram stallHistogram;

    /**
     * In-band: allocates them.
     *
     * @param manager         the counters manager.
     * @param thresholdNs     the stall threshold, published as a counter for readers.
     */
    public StageCounters(final CountersManager manager, final long thresholdNs)
    {
        cycles = newCounter(manager, OobCounterType.STAGE_CYCLES);
        stalls = newCounter(manager, OobCounterType.STAGE_STALLS);
        maxCycleNs = newCounter(manager, OobCounterType.STAGE_MAX_CYCLE_NS);
        controlCommands = newCounter(manager, OobCounterType.CONTROL_COMMANDS);
        errors = newCounter(manager, OobCounterType.STAGE_ERRORS);
        sockets = newCounter(manager, OobCounterType.STAGE_SOCKETS);
        stallThresholdNs = newCounter(manager, OobCounterType.STALL_THRESHOLD_NS);
        allocatedBytes = newCounter(manager, OobCounterType.STAGE_ALLOCATED_BYTES);
        devices = newCounter(manager, OobCounterType.STAGE_DEVICES);
        stallThresholdNs.setRelease(thresholdNs);
        stallHistogram = new StallHistogram(manager);
    }

    private static AtomicCounter newCounter(final CountersManager manager, final OobCounterType type)
    {
        return manager.newCounter(type.label(), type.typeId());
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

    /** @return the stall histogram. */
    public StallHistogram stallHistogram()
    {
        return stallHistogram;
    }
}
