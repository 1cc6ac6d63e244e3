package org.oobnet.core.counters;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * A stage device's counters in the runtime's counters file, labelled {@code "device <name>: <counter>"}: the
 * sockets attached, its health, and the device's own counters (frames, drops by reason). The device keeps its own
 * values; the stage copies them here every refresh interval, so {@code oobnet stat} reads them from another
 * process.
 * <p>
 * <b>Note:</b> allocated and freed in-band under the runtime's counters lock; {@link #update} stage only,
 * allocation-free.
 */
public final class DeviceCounters
{
    /** Separates a device's name from the stage's in the labels of a further stage's devices. */
    public static final String STAGE_SEPARATOR = "@";

    private final AtomicCounter sockets;
    private final AtomicCounter health;
    private final AtomicCounter[] values;

    private DeviceCounters(final AtomicCounter sockets, final AtomicCounter health, final AtomicCounter[] values)
    {
        this.sockets = sockets;
        this.health = health;
        this.values = values;
    }

    /**
     * In-band, under the runtime's counters lock.
     *
     * @param manager the counters manager.
     * @param name    the device's name.
     * @param labels  the device's own counters.
     * @return the counters, or null when the file has no room left (nothing is left allocated).
     */
    public static DeviceCounters allocate(final CountersManager manager, final String name, final String[] labels)
    {
        if (manager.available() < labels.length + 2)
        {
            return null;
        }
        final String prefix = OobCounterType.DEVICE_LABEL_PREFIX + name + ": ";
        final AtomicCounter sockets = manager.newCounter(
            prefix + OobCounterType.DEVICE_SOCKETS.label(), OobCounterType.DEVICE_SOCKETS.typeId());
        final AtomicCounter health = manager.newCounter(
            prefix + OobCounterType.DEVICE_HEALTH.label(), OobCounterType.DEVICE_HEALTH.typeId());
        final AtomicCounter[] values = new AtomicCounter[labels.length];
        for (int i = 0; i < labels.length; i++)
        {
            values[i] = manager.newCounter(prefix + labels[i], OobCounterType.DEVICE_COUNTER.typeId());
        }
        return new DeviceCounters(sockets, health, values);
    }

    /**
     * Stage: copies the device's values.
     *
     * @param attachedSockets the sockets attached.
     * @param healthOrdinal   its health's ordinal.
     * @param source          the device's counter values, by index.
     */
    public void update(final int attachedSockets, final int healthOrdinal, final ValueSource source)
    {
        sockets.setRelease(attachedSockets);
        health.setRelease(healthOrdinal);
        final AtomicCounter[] values = this.values;
        for (int i = 0; i < values.length; i++)
        {
            values[i].setRelease(source.counterValue(i));
        }
    }

    /**
     * In-band, under the runtime's counters lock, once the stage let go of the device.
     */
    public void free()
    {
        sockets.close();
        health.close();
        for (final AtomicCounter value : values)
        {
            value.close();
        }
    }

    /**
     * A device's counter values by index: the device itself ({@code StageDevice} extends it), no lambda on the
     * stage.
     */
    @FunctionalInterface
    public interface ValueSource
    {
        /**
         * @param index the counter's index in the device's labels.
         * @return its value.
         */
        long counterValue(int index);
    }
}
