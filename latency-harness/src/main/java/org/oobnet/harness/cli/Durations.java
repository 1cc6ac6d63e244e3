package org.oobnet.harness.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses command-line durations: {@code 20s}, {@code 500ms}, {@code 100us}, {@code 2m}, {@code 1500ns}.
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
public final class Durations
{
    private static final Pattern DURATION = Pattern.compile("^(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m)$");

    private Durations()
    {
    }

    /**
     * @param text e.g. {@code 20s}.
     * @return whether it has a unit (else it is a count).
     */
    public static boolean hasUnit(final String text)
    {
        return DURATION.matcher(text.trim().toLowerCase(Locale.ROOT)).matches();
    }

    /**
     * @param name the option, for the error message.
     * @param text e.g. {@code 20s}.
     * @return nanoseconds.
     * @throws IllegalArgumentException naming the option and the accepted forms.
     */
    public static long parseNs(final String name, final String text)
    {
        final Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches())
        {
            throw new IllegalArgumentException(name + "=" + text +
                " is not a duration (a number with ns, us, ms, s or m, e.g. 20s)");
        }
        final double value = Double.parseDouble(m.group(1));
        final double scale = switch (m.group(2))
        {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            default -> 60e9;
        };
        return Math.round(value * scale);
    }
}
