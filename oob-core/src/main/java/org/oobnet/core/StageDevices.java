package org.oobnet.core;

import org.oobnet.core.counters.DeviceCounters;
import org.oobnet.inband.Errno;

/**
 * The devices one stage polls: a fixed-capacity array edited in place by stage commands, polled and flushed
 * once per cycle with an index loop, with each device's counters in the counters file (null for a device added
 * on the stage, which has no counters there).
 * <p>
 * <b>Note:</b> stage only (construction in-band); allocation-free.
 */
final class StageDevices
{
    private final StageDevice[] devices;
    private final DeviceCounters[] counters;
    private int count;

    StageDevices(final int capacity)
    {
        this.devices = new StageDevice[capacity];
        this.counters = new DeviceCounters[capacity];
    }

    // stage: 0, -EEXIST when already added, -ENOSPC when full
    int add(final StageDevice device)
    {
        return add(device, null);
    }

    // stage: as add, with the device's counters in the counters file (or null)
    int add(final StageDevice device, final DeviceCounters deviceCounters)
    {
        if (indexOf(device) >= 0)
        {
            return -Errno.EEXIST;
        }
        if (count == devices.length)
        {
            return -Errno.ENOSPC;
        }
        devices[count] = device;
        counters[count] = deviceCounters;
        count++;
        return 0;
    }

    // stage: 0, -ENOENT when it was not added
    int remove(final StageDevice device)
    {
        final int index = indexOf(device);
        if (index < 0)
        {
            return -Errno.ENOENT;
        }
        final int last = --count;
        devices[index] = devices[last];
        counters[index] = counters[last];
        devices[last] = null;
        counters[last] = null;
        return 0;
    }

    // stage: copies every device's values into its counters
    void refreshCounters()
    {
        final StageDevice[] devices = this.devices;
        final DeviceCounters[] counters = this.counters;
        for (int i = 0, n = count; i < n; i++)
        {
            final DeviceCounters deviceCounters = counters[i];
            if (null != deviceCounters)
            {
                final StageDevice device = devices[i];
                deviceCounters.update(device.attachedSockets(), device.health().ordinal(), device);
            }
        }
    }

    int count()
    {
        return count;
    }

    StageDevice at(final int index)
    {
        return devices[index];
    }

    private int indexOf(final StageDevice device)
    {
        final StageDevice[] devices = this.devices;
        for (int i = 0, n = count; i < n; i++)
        {
            if (devices[i] == device)
            {
                return i;
            }
        }
        return -1;
    }
}
