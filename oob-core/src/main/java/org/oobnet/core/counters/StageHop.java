package org.oobnet.core.counters;

/**
 * The hops of a frame through a stage whose durations {@link StageHops} records, each with its label in the
 * counters file, {@code summary.json} and {@code oobnet stat}.
 * <b>Note:</b> immutable, thread safe.
 */
public enum StageHop
{
    /** The kernel's RX timestamp in the ring header ({@code tp_sec/tp_nsec}) to the stage seeing the frame. */
    KERNEL_RX_TO_PICKUP("kernel_rx->pickup"),
    /** The stage seeing the frame to its handler (demultiplexing, delivery, the socket's handler) returning. */
    PICKUP_TO_HANDLER_DONE("pickup->handler_done"),
    /** A handler that sent returning to the TX kick ({@code send(fd, NULL, 0)}) of the batch holding its frame. */
    HANDLER_DONE_TO_KICK("handler_done->kick"),
    /**
     * The TX kick's system call, {@code send(fd, NULL, 0)}, to its return: on veth the peer's receive path (up to
     * its RX ring) runs inside it, in the sender's softirq.
     */
    KICK_TO_RETURN("kick->return"),
    /** The TX kick to the completion timestamp the kernel writes back into the TX frame (none on veth). */
    KICK_TO_TX_COMPLETE("kick->tx_complete");

    private final String label;

    StageHop(final String label)
    {
        this.label = label;
    }

    /** @return the hop's name in labels and reports ({@code "kernel_rx->pickup"}). */
    public String label()
    {
        return label;
    }

    /**
     * @param label a hop's label.
     * @return the hop, or null when no hop has it.
     */
    public static StageHop of(final String label)
    {
        for (final StageHop hop : values())
        {
            if (hop.label.equals(label))
            {
                return hop;
            }
        }
        return null;
    }
}
