package org.oobnet.harness.bench.run;

/**
 * How long to warm up and to measure, and at which pace.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param warmupCount exchanges to warm up with when {@code warmupNs} is 0.
 * @param warmupNs    warm-up duration; when positive it wins over {@code warmupCount}.
 * @param count       measured exchanges when {@code durationNs} is 0.
 * @param durationNs  measured duration; when positive it wins over {@code count}.
 * @param rateHz      0 for ping-pong (next send on the reply), else sends per second at fixed times.
 */
public record MeasurementPlan(long warmupCount, long warmupNs, long count, long durationNs, long rateHz)
{
    /**
     * Validates the plan.
     *
     * @throws IllegalArgumentException naming the offending value.
     */
    public MeasurementPlan
    {
        if (warmupCount < 0 || warmupNs < 0)
        {
            throw new IllegalArgumentException("warmup=" + (warmupNs > 0 ? warmupNs + "ns" : warmupCount) +
                " must not be negative");
        }
        if (count <= 0 && durationNs <= 0)
        {
            throw new IllegalArgumentException("count=" + count + " and duration=" + durationNs +
                "ns: one of them must be positive");
        }
        if (rateHz < 0 || rateHz > 10_000_000)
        {
            throw new IllegalArgumentException("rate=" + rateHz + " must be between 1 and 10000000 Hz (0 = ping-pong)");
        }
    }

    /**
     * @param k the send's index in its phase, from 0.
     * @return its scheduled offset from the phase's start, exact for any rate (no accumulated rounding).
     */
    public long scheduledOffsetNs(final long k)
    {
        // k * 1e9 stays below Long.MAX_VALUE up to 9.2e9 sends: far beyond any run
        return (k * 1_000_000_000L) / rateHz;
    }

    /**
     * @return one fixed-rate period, in ns (0 in ping-pong mode).
     */
    public long periodNs()
    {
        return rateHz == 0 ? 0 : 1_000_000_000L / rateHz;
    }
}
