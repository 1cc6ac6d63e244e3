package org.oobnet.config;

/**
 * What the OOB stage does when a duty cycle found no work, named as in the configuration file.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 */
public enum IdleStrategyType
{
    /** Busy-spin with {@code Thread.onSpinWait()}: lowest latency, burns the CPU (the default). */
    SPIN("spin"),
    /** {@code Thread.yield()}: lets other threads of the CPU run; for shared CPUs and tests. */
    YIELD("yield"),
    /** Spin, then yield, then park with growing sleeps: for development machines. */
    BACKOFF("backoff"),
    /** Return at once and poll again: no pause instruction at all. */
    NOOP("noop");

    private final String text;

    IdleStrategyType(final String text)
    {
        this.text = text;
    }

    /**
     * The name used in configuration.
     *
     * @return such as {@code "spin"}.
     */
    public String text()
    {
        return text;
    }
}
