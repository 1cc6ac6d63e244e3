package org.oobnet.harness.doctor;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Parsers for the procfs and sysfs texts the doctor reads: {@code /proc/cpuinfo}, {@code /proc/self/limits},
 * the bracketed choice of {@code /sys/kernel/mm/transparent_hugepage/enabled}, kernel release strings.
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
public final class ProcInfo
{
    /** Marks an unlimited resource limit. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private ProcInfo()
    {
    }

    /**
     * The CPU model of {@code /proc/cpuinfo}: {@code model name} on x86, else {@code Model}, {@code Hardware}
     * or {@code cpu model} as other architectures name it.
     *
     * @param cpuinfo the content of {@code /proc/cpuinfo}.
     * @return the model of the first CPU listed, or empty.
     */
    public static Optional<String> cpuModel(final String cpuinfo)
    {
        for (final String field : new String[]{"model name", "Model", "Hardware", "cpu model", "uarch"})
        {
            for (final String line : cpuinfo.split("\n"))
            {
                final int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equals(field))
                {
                    final String value = line.substring(colon + 1).strip();
                    if (!value.isEmpty())
                    {
                        return Optional.of(value.replaceAll("\\s+", " "));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The soft and hard limits of one line of {@code /proc/<pid>/limits}, such as {@code Max locked memory}.
     *
     * @param limits the content of the file.
     * @param name   the limit's name as the file spells it.
     * @return {soft, hard}, {@link #UNLIMITED} for {@code unlimited}, or null when the line is missing.
     */
    public static long[] limit(final String limits, final String name)
    {
        for (final String line : limits.split("\n"))
        {
            if (line.startsWith(name + " "))
            {
                final String[] fields = line.substring(name.length()).strip().split("\\s+");
                if (fields.length >= 2)
                {
                    return new long[]{limitValue(fields[0]), limitValue(fields[1])};
                }
            }
        }
        return null;
    }

    private static long limitValue(final String field)
    {
        return "unlimited".equals(field) ? UNLIMITED : Long.parseLong(field);
    }

    /**
     * The chosen value of a sysfs setting that lists its choices with the current one in brackets.
     *
     * @param text such as {@code always [madvise] never}.
     * @return such as {@code madvise}, or empty when nothing is bracketed.
     */
    public static Optional<String> bracketed(final String text)
    {
        final int open = text.indexOf('[');
        final int close = text.indexOf(']', open + 1);
        return open >= 0 && close > open ? Optional.of(text.substring(open + 1, close)) : Optional.empty();
    }

    /**
     * The major and minor numbers of a kernel release such as {@code 6.18.44-fc-v657}, as one comparable number.
     *
     * @param release the release string ({@code uname -r}).
     * @return major * 1000 + minor, or empty when it does not start with two numbers.
     */
    public static OptionalLong kernelVersion(final String release)
    {
        final String[] parts = release.strip().split("[.-]", 3);
        try
        {
            return parts.length >= 2 ?
                OptionalLong.of(Long.parseLong(parts[0]) * 1000 + Long.parseLong(parts[1])) :
                OptionalLong.empty();
        }
        catch (final NumberFormatException ex)
        {
            return OptionalLong.empty();
        }
    }

    /**
     * A byte count for people: {@code 8388608} gives {@code 8 MiB}.
     *
     * @param bytes the count, or {@link #UNLIMITED}.
     * @return the text.
     */
    public static String bytes(final long bytes)
    {
        if (bytes == UNLIMITED)
        {
            return "unlimited";
        }
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0)
        {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0)
        {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0)
        {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
