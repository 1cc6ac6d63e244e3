package org.oobnet.udp.frame;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One counter per {@link DropReason}, plus accepted frames and bytes.
 * <p>
 * <b>Note:</b> one writer (the stage, or the thread that parses), any number of readers: the writer publishes
 * each new value with a release store that pairs with the readers' acquire load.
 */
public final class UdpDropCounters
{
    private static final int ACCEPTED_FRAMES = DropReason.count();
    private static final int ACCEPTED_BYTES = ACCEPTED_FRAMES + 1;

    private final AtomicLongArray values = new AtomicLongArray(ACCEPTED_BYTES + 1);

    /**
     * Writer only: counts one dropped frame.
     *
     * @param reason why; {@link DropReason#NONE} is ignored.
     */
    public void onDrop(final DropReason reason)
    {
        if (DropReason.NONE != reason)
        {
            increment(reason.ordinal(), 1);
        }
    }

    /**
     * Writer only: counts one accepted datagram.
     *
     * @param payloadBytes its payload length.
     */
    public void onAccept(final int payloadBytes)
    {
        increment(ACCEPTED_FRAMES, 1);
        increment(ACCEPTED_BYTES, payloadBytes);
    }

    /**
     * @param reason the reason.
     * @return frames dropped for it.
     */
    public long drops(final DropReason reason)
    {
        return values.getAcquire(reason.ordinal());
    }

    /**
     * @return frames dropped for any reason.
     */
    public long totalDrops()
    {
        long total = 0;
        for (int i = 1; i < ACCEPTED_FRAMES; i++)
        {
            total += values.getAcquire(i);
        }
        return total;
    }

    /**
     * @return datagrams accepted.
     */
    public long acceptedFrames()
    {
        return values.getAcquire(ACCEPTED_FRAMES);
    }

    /**
     * @return payload bytes accepted.
     */
    public long acceptedBytes()
    {
        return values.getAcquire(ACCEPTED_BYTES);
    }

    private void increment(final int index, final long delta)
    {
        // release: publishes the new count to readers; single writer, so a plain read of our own value is exact
        values.setRelease(index, values.getPlain(index) + delta);
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("accepted=").append(acceptedFrames());
        for (int i = 1; i < ACCEPTED_FRAMES; i++)
        {
            final long count = values.getAcquire(i);
            if (0 != count)
            {
                text.append(' ').append(DropReason.get(i).label()).append('=').append(count);
            }
        }
        return text.toString();
    }
}
