package org.oobnet.harness.bench.t2t;

/**
 * The rows of {@code oobnet latency tick-to-trade}: the same trading logic driven three ways.
 */
public enum T2tRow
{
    /** One OOB stage: the MoldUDP64 feed socket in, SoupBinTCP on oob-tcp out. */
    STAGE("t2t-stage", "stage"),
    /** An ordinary thread spinning on a non-blocking {@code DatagramChannel}, orders on a {@code SocketChannel}. */
    SPIN("t2t-spin", "spin"),
    /** An ordinary thread blocking in {@code DatagramChannel.receive}, orders on a blocking {@code SocketChannel}. */
    BLOCKING("t2t-blocking", "blocking");

    private final String label;
    private final String mode;

    T2tRow(final String label, final String mode)
    {
        this.label = label;
        this.mode = mode;
    }

    /** @return the row's label in tables, files and JSON. */
    String label()
    {
        return label;
    }

    /** @return the trader's {@code --trader} value. */
    String mode()
    {
        return mode;
    }

    /**
     * @param option the option that gave it ({@code rows}, {@code trader}), for the error.
     * @param mode   a {@code --rows} or {@code --trader} value.
     * @return its row.
     * @throws IllegalArgumentException naming the option and the value.
     */
    public static T2tRow ofMode(final String option, final String mode)
    {
        for (final T2tRow row : values())
        {
            if (row.mode.equals(mode))
            {
                return row;
            }
        }
        throw new IllegalArgumentException(option + "=" + mode + " is not one of stage, spin, blocking");
    }
}
