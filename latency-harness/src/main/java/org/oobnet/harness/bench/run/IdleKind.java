package org.oobnet.harness.bench.run;

import java.util.concurrent.locks.LockSupport;

import org.oobnet.core.OobConfig;
import org.oobnet.harness.env.CpuSet;

/**
 * How a measuring thread (and a polling transport) waits: {@code spin} burns its CPU for the lowest wake-up
 * latency, {@code yield} gives the CPU to other runnable threads between checks, {@code park} sleeps until shortly
 * before the deadline and spins the rest (the polite choice on shared machines).
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
public enum IdleKind implements Pacer
{
    /** Busy-spin with {@link Thread#onSpinWait()}. */
    SPIN
    {
        @Override
        public void awaitNs(final NanoClock clock, final long deadlineNs)
        {
            while (deadlineNs - clock.nanoTime() > 0)
            {
                Thread.onSpinWait();
            }
        }
    },

    /** Spin with {@link Thread#yield()} between checks. */
    YIELD
    {
        @Override
        public void awaitNs(final NanoClock clock, final long deadlineNs)
        {
            while (deadlineNs - clock.nanoTime() > 0)
            {
                Thread.yield();
            }
        }
    },

    /** Park until {@link #PARK_MARGIN_NS} before the deadline, then spin. */
    PARK
    {
        @Override
        public void awaitNs(final NanoClock clock, final long deadlineNs)
        {
            long remaining;
            while ((remaining = deadlineNs - clock.nanoTime()) > 0)
            {
                if (remaining > PARK_MARGIN_NS)
                {
                    LockSupport.parkNanos(remaining - PARK_MARGIN_NS);
                }
                else
                {
                    Thread.onSpinWait();
                }
            }
        }
    };

    /** Timer slack plus wake-up latency of a parked thread on an ordinary kernel: spin the last 60 µs. */
    public static final long PARK_MARGIN_NS = 60_000;

    /**
     * @param name {@code spin}, {@code yield} or {@code park}, any case.
     * @return the idle kind.
     * @throws IllegalArgumentException naming the accepted values.
     */
    public static IdleKind parse(final String name)
    {
        for (final IdleKind kind : values())
        {
            if (kind.name().equalsIgnoreCase(name))
            {
                return kind;
            }
        }
        throw new IllegalArgumentException("idle=" + name + " is not one of spin, yield, park");
    }

    /**
     * @param name       {@code spin}, {@code yield}, {@code park} or {@code auto} (spin on an isolated CPU, else park).
     * @param cpuOfSide  the CPU the idling thread runs on.
     * @return the idle kind, resolved.
     * @throws IllegalArgumentException naming the accepted values.
     */
    public static IdleKind resolve(final String name, final int cpuOfSide)
    {
        if ("auto".equalsIgnoreCase(name))
        {
            return CpuSet.isIsolated(cpuOfSide) ? SPIN : PARK;
        }
        return parse(name);
    }

    /**
     * @param name {@code spin}, {@code yield}, {@code park} or {@code auto}.
     * @return a stage's idle strategy for it: {@code auto} spins (the stage's default), {@code park} backs off.
     * @throws IllegalArgumentException naming the accepted values.
     */
    public static OobConfig.IdleStrategyKind stageStrategy(final String name)
    {
        return switch ("auto".equalsIgnoreCase(name) ? SPIN : parse(name))
        {
            case SPIN -> OobConfig.IdleStrategyKind.SPIN;
            case YIELD -> OobConfig.IdleStrategyKind.YIELD;
            case PARK -> OobConfig.IdleStrategyKind.BACKOFF;
        };
    }
}
