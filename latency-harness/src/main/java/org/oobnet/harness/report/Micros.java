package org.oobnet.harness.report;

import java.util.Locale;

/**
 * Nanoseconds shown as microseconds with three decimals, the unit of every human-facing latency figure.
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
public final class Micros
{
    private Micros()
    {
    }

    /**
     * @param ns a value in nanoseconds.
     * @return the value in microseconds.
     */
    public static double of(final double ns)
    {
        return ns / 1000.0;
    }

    /**
     * @param ns a value in nanoseconds.
     * @return e.g. {@code "12.345"}.
     */
    public static String format(final double ns)
    {
        return String.format(Locale.ROOT, "%.3f", ns / 1000.0);
    }
}
