package org.oobnet.harness.bench.run;

/**
 * The clock of a measurement: {@code System.nanoTime} in production, so both ends of a round trip are read in one
 * process; tests drive a manual clock to check the scheduling arithmetic exactly.
 * <p>
 * <b>Note:</b> implementations are called from the measuring thread only.
 */
@FunctionalInterface
public interface NanoClock
{
    /** The monotonic system clock. */
    NanoClock SYSTEM = System::nanoTime;

    /**
     * @return now, in nanoseconds from an arbitrary origin.
     */
    long nanoTime();
}
