package org.oobnet.core;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * Makes the stage's Agrona idle strategy from the configured kind.
 * <p>
 * <b>Note:</b> stateless, thread safe; each call returns a new strategy (they hold state).
 */
final class IdleStrategies
{
    /** Back-off: 100 spins, 10 yields, then parks from 1 µs doubling up to 1 ms. */
    static final long BACKOFF_MAX_PARK_NS = 1_000_000L;

    private IdleStrategies()
    {
    }

    static IdleStrategy of(final OobConfig.IdleStrategyKind kind)
    {
        return switch (kind)
        {
            case SPIN -> new BusySpinIdleStrategy();
            case YIELD -> new YieldingIdleStrategy();
            case BACKOFF -> new BackoffIdleStrategy(100, 10, 1_000L, BACKOFF_MAX_PARK_NS);
            case NOOP -> new NoOpIdleStrategy();
        };
    }

    /**
     * @param kind the configured kind.
     * @return true when the strategy parks the stage's thread (so that a command must unpark it to be seen soon).
     */
    static boolean parks(final OobConfig.IdleStrategyKind kind)
    {
        return kind == OobConfig.IdleStrategyKind.BACKOFF;
    }
}
