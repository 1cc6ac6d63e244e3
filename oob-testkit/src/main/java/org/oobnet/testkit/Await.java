package org.oobnet.testkit;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition with back-off (a short yield, then 50 µs parks), never a busy spin: test machines share
 * their CPUs with the stage.
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
public final class Await
{
    /** How long {@link #until(BooleanSupplier, String)} waits by default. */
    public static final long DEFAULT_TIMEOUT_NS = 10_000_000_000L;

    private Await()
    {
    }

    /**
     * Waits until {@code condition} holds, at most {@link #DEFAULT_TIMEOUT_NS}.
     *
     * @param condition what to wait for.
     * @param what      what it means, for the failure message.
     * @throws AssertionError naming {@code what} on time-out.
     */
    public static void until(final BooleanSupplier condition, final String what)
    {
        until(condition, what, DEFAULT_TIMEOUT_NS);
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @param condition what to wait for.
     * @param what      what it means, for the failure message.
     * @param timeoutNs how long at most.
     * @throws AssertionError naming {@code what} on time-out.
     */
    public static void until(final BooleanSupplier condition, final String what, final long timeoutNs)
    {
        until(condition, () -> what, timeoutNs);
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @param condition what to wait for.
     * @param what      what it means and how far it got, for the failure message (called only on time-out).
     * @param timeoutNs how long at most.
     * @throws AssertionError naming {@code what} on time-out.
     */
    public static void until(final BooleanSupplier condition, final Supplier<String> what, final long timeoutNs)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        int idles = 0;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out after " + timeoutNs / 1_000_000 + " ms waiting for: " + what.get());
            }
            if (++idles < 10)
            {
                Thread.yield();
            }
            else
            {
                LockSupport.parkNanos(50_000L);
            }
        }
    }
}
