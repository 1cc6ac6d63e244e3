package org.oobnet.config;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Durations as configuration text: a number and a unit, {@code "20us"}, {@code "1.5ms"}, {@code "10s"}.
 * Units: {@code ns}, {@code us} (or {@code µs}), {@code ms}, {@code s}, {@code m}, {@code h}.
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
public final class Durations
{
    private static final String[] UNITS = {"h", "m", "s", "ms", "us", "ns"};
    private static final long[] UNIT_NS = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};

    private Durations()
    {
    }

    /**
     * Parses a duration.
     *
     * @param text such as {@code "20us"}.
     * @return nanoseconds.
     * @throws IllegalArgumentException saying what is wrong.
     */
    public static long parseNs(final String text)
    {
        final String trimmed = text.strip().replace("µs", "us").replace("_", "");
        int split = 0;
        while (split < trimmed.length() && (Character.isDigit(trimmed.charAt(split)) || trimmed.charAt(split) == '.'))
        {
            split++;
        }
        final String number = trimmed.substring(0, split);
        final String unit = trimmed.substring(split).strip().toLowerCase(Locale.ROOT);
        if (number.isEmpty() || unit.isEmpty())
        {
            throw new IllegalArgumentException(
                "expected a duration with a unit (ns, us, ms, s, m, h) such as \"20us\"");
        }
        for (int i = 0; i < UNITS.length; i++)
        {
            if (UNITS[i].equals(unit))
            {
                try
                {
                    return new BigDecimal(number).multiply(BigDecimal.valueOf(UNIT_NS[i])).longValueExact();
                }
                catch (final ArithmeticException ex)
                {
                    throw new IllegalArgumentException("not a whole number of nanoseconds, or too large");
                }
                catch (final NumberFormatException ex)
                {
                    throw new IllegalArgumentException("\"" + number + "\" is not a number");
                }
            }
        }
        throw new IllegalArgumentException("unknown unit \"" + unit + "\" (use ns, us, ms, s, m or h)");
    }

    /**
     * Formats in the largest unit that keeps the value whole: 20000 gives {@code "20us"}.
     *
     * @param ns nanoseconds, not negative.
     * @return the text.
     */
    public static String format(final long ns)
    {
        if (ns == 0)
        {
            return "0s";
        }
        for (int i = 0; i < UNITS.length; i++)
        {
            if (ns % UNIT_NS[i] == 0)
            {
                return (ns / UNIT_NS[i]) + UNITS[i];
            }
        }
        return ns + "ns";
    }
}
