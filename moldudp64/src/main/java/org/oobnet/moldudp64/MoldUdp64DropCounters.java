package org.oobnet.moldudp64;

/**
 * One count per {@link MoldUdp64DropReason} (the {@code NONE} slot counts accepted packets).
 * <p>
 * <b>Note:</b> not thread safe; written by the thread that parses, read by it or after it stopped.
 */
public final class MoldUdp64DropCounters
{
    private final long[] counts = new long[MoldUdp64DropReason.count()];

    /**
     * Counts one packet under its reason.
     *
     * @param reason what the parser said.
     */
    public void increment(final MoldUdp64DropReason reason)
    {
        counts[reason.ordinal()]++;
    }

    /**
     * One reason's count.
     *
     * @param reason the reason.
     * @return packets counted under it.
     */
    public long get(final MoldUdp64DropReason reason)
    {
        return counts[reason.ordinal()];
    }

    /**
     * Packets dropped for any reason.
     *
     * @return the sum over every reason but {@code NONE}.
     */
    public long dropped()
    {
        long sum = 0;
        for (int i = 1; i < counts.length; i++)
        {
            sum += counts[i];
        }
        return sum;
    }
}
