package org.oobnet.core;

/**
 * When to try again a stage operation the kernel keeps refusing (a TX kick or a {@code sendmmsg} while a link is
 * down): {@value #MIN_DELAY_NS} ns after the first refusal, doubling up to {@value #MAX_DELAY_NS} ns while the
 * refusals go on, at once again after a success. A protocol's {@code flush} asks {@link #isDue} before the syscall,
 * so a down link costs at most a few thousand failing syscalls a second instead of one or two every stage cycle, and
 * what is held goes out within {@value #MAX_DELAY_NS} ns of the link coming back.
 * <p>
 * <b>Note:</b> stage only, not thread safe; allocation-free.
 */
public final class RetryBackoff
{
    /** Wait after the first refusal. */
    public static final long MIN_DELAY_NS = 10_000L;
    /** Longest wait between tries while the refusals go on. */
    public static final long MAX_DELAY_NS = 1_000_000L;

    private long delayNs;
    private long dueNs;

    /**
     * @param nowNs the stage's clock.
     * @return whether the operation may be tried now: no refusal since the last success, or the wait is over.
     */
    public boolean isDue(final long nowNs)
    {
        return 0 == delayNs || nowNs - dueNs >= 0;
    }

    /**
     * The kernel refused again: wait longer before the next try.
     *
     * @param nowNs the stage's clock.
     */
    public void onRefused(final long nowNs)
    {
        delayNs = 0 == delayNs ? MIN_DELAY_NS : Math.min(2 * delayNs, MAX_DELAY_NS);
        dueNs = nowNs + delayNs;
    }

    /** The operation went through: the next one is tried at once. */
    public void onSuccess()
    {
        delayNs = 0;
    }
}
