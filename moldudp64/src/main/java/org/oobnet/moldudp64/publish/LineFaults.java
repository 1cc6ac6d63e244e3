package org.oobnet.moldudp64.publish;

import java.util.SplittableRandom;

/**
 * A seeded schedule of faults for one line (loss, reordering, duplication), for tests and demos on kernels
 * without {@code netem}: the same seed gives the same decisions for the same packets.
 * <p>
 * <b>Note:</b> not thread safe; one per line.
 *
 * @param seed        the random seed.
 * @param drop        probability that a packet is not sent.
 * @param swap        probability that a packet is held back and sent after the next one.
 * @param repeat      probability that a packet is sent twice.
 */
public record LineFaults(long seed, double drop, double swap, double repeat)
{
    /** No faults. */
    public static final LineFaults NONE = new LineFaults(0, 0, 0, 0);

    /**
     * Checks the probabilities.
     *
     * @throws IllegalArgumentException naming the first out of range.
     */
    public LineFaults
    {
        check("drop", drop);
        check("swap", swap);
        check("repeat", repeat);
        if (drop + swap > 1.0)
        {
            throw new IllegalArgumentException("drop=" + drop + " plus swap=" + swap + " must not exceed 1");
        }
    }

    /**
     * The decisions, in packet order.
     *
     * @return a fresh schedule starting from the seed.
     */
    public Schedule schedule()
    {
        return new Schedule(this);
    }

    private static void check(final String name, final double probability)
    {
        if (!(probability >= 0.0 && probability <= 1.0))
        {
            throw new IllegalArgumentException(name + "=" + probability + " must be 0 to 1");
        }
    }

    /** What to do with each packet, drawn from the seed. */
    public enum Action
    {
        /** Send it. */
        SEND,
        /** Do not send it. */
        DROP,
        /** Hold it and send it after the next packet. */
        HOLD
    }

    /** The running schedule of one line. <b>Note:</b> not thread safe. */
    public static final class Schedule
    {
        private final LineFaults faults;
        private final SplittableRandom random;

        private Schedule(final LineFaults faults)
        {
            this.faults = faults;
            this.random = new SplittableRandom(faults.seed());
        }

        /**
         * The next packet's fate.
         *
         * @return the action.
         */
        public Action next()
        {
            final double r = random.nextDouble();
            if (r < faults.drop())
            {
                return Action.DROP;
            }
            return r < faults.drop() + faults.swap() ? Action.HOLD : Action.SEND;
        }

        /**
         * Whether the packet just sent goes out once more.
         *
         * @return true to repeat it.
         */
        public boolean repeat()
        {
            return random.nextDouble() < faults.repeat();
        }
    }
}
