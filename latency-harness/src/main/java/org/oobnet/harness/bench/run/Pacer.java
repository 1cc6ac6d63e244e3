package org.oobnet.harness.bench.run;

/**
 * Waits for a fixed-rate send's scheduled time.
 * <p>
 * <b>Note:</b> measuring thread only.
 */
@FunctionalInterface
public interface Pacer
{
    /**
     * Returns at or just after {@code deadlineNs} on {@code clock}.
     *
     * @param clock      the measurement's clock.
     * @param deadlineNs when to return.
     */
    void awaitNs(NanoClock clock, long deadlineNs);
}
