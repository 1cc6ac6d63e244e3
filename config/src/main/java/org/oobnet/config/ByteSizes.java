package org.oobnet.config;

import java.util.Locale;

/**
 * Byte sizes as configuration text: a plain integer, or an integer with a binary unit: {@code "64KiB"},
 * {@code "64k"}, {@code "1MiB"}, {@code "1m"}, {@code "1GiB"}, {@code "1g"}.
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
public final class ByteSizes
{
    private ByteSizes()
    {
    }

    /**
     * Parses a size.
     *
     * @param text such as {@code "64KiB"} or {@code "65536"}.
     * @return bytes.
     * @throws IllegalArgumentException saying what is wrong.
     */
    public static long parse(final String text)
    {
        final String trimmed = text.strip().replace("_", "");
        int split = 0;
        while (split < trimmed.length() && Character.isDigit(trimmed.charAt(split)))
        {
            split++;
        }
        final String number = trimmed.substring(0, split);
        final String unit = trimmed.substring(split).strip().toLowerCase(Locale.ROOT);
        final int shift = switch (unit)
        {
            case "", "b" -> 0;
            case "k", "kib" -> 10;
            case "m", "mib" -> 20;
            case "g", "gib" -> 30;
            default -> -1;
        };
        if (number.isEmpty() || shift < 0 || number.length() > 12)
        {
            throw new IllegalArgumentException("expected a byte size such as 65536 or \"64KiB\"");
        }
        return Long.parseLong(number) << shift;
    }

    /**
     * Formats with the largest binary unit that keeps the value whole: 65536 gives {@code "64KiB"}.
     *
     * @param bytes the size.
     * @return the text.
     */
    public static String format(final long bytes)
    {
        if (bytes != 0 && bytes % (1L << 30) == 0)
        {
            return (bytes >> 30) + "GiB";
        }
        if (bytes != 0 && bytes % (1L << 20) == 0)
        {
            return (bytes >> 20) + "MiB";
        }
        if (bytes != 0 && bytes % (1L << 10) == 0)
        {
            return (bytes >> 10) + "KiB";
        }
        return Long.toString(bytes);
    }
}
