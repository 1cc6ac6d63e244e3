package org.oobnet.core;

import org.oobnet.inband.Errno;

/**
 * The devices one stage polls: a fixed-capacity array edited in place by stage commands, polled and flushed
 * once per cycle with an index loop.
 * <p>
 * <b>Note:</b> stage only (construction in-band); allocation-free.
 */
final class StageDevices
{
    private final StageDevice[] devices;
    private int count;

    StageDevices(final int capacity)
    {
        this.devices = new StageDevice[capacity];
    }

    // stage: 0, -EEXIST when already added, -ENOSPC when full
    int add(final StageDevice device)
    {
        if (indexOf(device) >= 0)
        {
            return -Errno.EEXIST;
        }
        if (count == devices.length)
        {
            return -Errno.ENOSPC;
        }
        devices[count++] = device;
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
        devices[last] = null;
        return 0;
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
