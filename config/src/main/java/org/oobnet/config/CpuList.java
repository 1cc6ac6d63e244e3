package org.oobnet.config;

import java.util.BitSet;

/**
 * A set of CPU numbers in the kernel's list format, as in {@code /sys/devices/system/cpu/online},
 * {@code /sys/devices/system/cpu/isolated} or {@code Cpus_allowed_list} of {@code /proc/self/status}:
 * {@code "0-3,5,8-9"}; an empty string is the empty set.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 */
public final class CpuList
{
    /** Largest CPU number accepted when parsing; the kernel's NR_CPUS is at most 8192. */
    public static final int MAX_CPU = 8191;

    private static final CpuList EMPTY = new CpuList(new BitSet());

    private final BitSet cpus;

    private CpuList(final BitSet cpus)
    {
        this.cpus = cpus;
    }

    /**
     * The empty set.
     *
     * @return a list with no CPU.
     */
    public static CpuList empty()
    {
        return EMPTY;
    }

    /**
     * The CPUs given.
     *
     * @param cpus CPU numbers, each in 0..{@link #MAX_CPU}.
     * @return a list holding them.
     */
    public static CpuList of(final int... cpus)
    {
        final BitSet set = new BitSet();
        for (final int cpu : cpus)
        {
            if (cpu < 0 || cpu > MAX_CPU)
            {
                throw new IllegalArgumentException("cpu=" + cpu + " must be in 0.." + MAX_CPU);
            }
            set.set(cpu);
        }
        return new CpuList(set);
    }

    /**
     * Parses the kernel's list format; surrounding white space (the trailing newline of a sysfs file) is ignored.
     *
     * @param text such as {@code "0-3,5"}, or empty.
     * @return the set.
     * @throws IllegalArgumentException naming the offending part when the text is not a CPU list.
     */
    public static CpuList parse(final String text)
    {
        final String trimmed = text.strip();
        if (trimmed.isEmpty())
        {
            return EMPTY;
        }

        final BitSet set = new BitSet();
        for (final String part : trimmed.split(",", -1))
        {
            final int dash = part.indexOf('-');
            final int first = parseCpu(part, dash < 0 ? part : part.substring(0, dash), text);
            final int last = dash < 0 ? first : parseCpu(part, part.substring(dash + 1), text);
            if (last < first)
            {
                throw new IllegalArgumentException(
                    "cpu list \"" + trimmed + "\": range " + part + " ends before it starts");
            }
            set.set(first, last + 1);
        }
        return new CpuList(set);
    }

    private static int parseCpu(final String part, final String number, final String text)
    {
        final String digits = number.strip();
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit))
        {
            throw new IllegalArgumentException(
                "cpu list \"" + text.strip() + "\": \"" + part + "\" is not a CPU number or range");
        }
        final int cpu = Integer.parseInt(digits);
        if (cpu > MAX_CPU)
        {
            throw new IllegalArgumentException(
                "cpu list \"" + text.strip() + "\": cpu " + cpu + " is above " + MAX_CPU);
        }
        return cpu;
    }

    /**
     * Whether the CPU is in the set.
     *
     * @param cpu a CPU number.
     * @return true when present.
     */
    public boolean contains(final int cpu)
    {
        return cpu >= 0 && cpus.get(cpu);
    }

    /**
     * Number of CPUs in the set.
     *
     * @return the count.
     */
    public int size()
    {
        return cpus.cardinality();
    }

    /**
     * Whether the set has no CPU.
     *
     * @return true when empty.
     */
    public boolean isEmpty()
    {
        return cpus.isEmpty();
    }

    /**
     * The highest CPU of the set.
     *
     * @return its number, or -1 when the set is empty.
     */
    public int last()
    {
        return cpus.length() - 1;
    }

    /**
     * The CPUs in both sets.
     *
     * @param other another set.
     * @return the intersection.
     */
    public CpuList intersect(final CpuList other)
    {
        final BitSet set = (BitSet)cpus.clone();
        set.and(other.cpus);
        return new CpuList(set);
    }

    /**
     * The CPUs in ascending order.
     *
     * @return a new array.
     */
    public int[] toArray()
    {
        return cpus.stream().toArray();
    }

    /**
     * The kernel's compact format, ranges collapsed: {@code "0-3,5"}; empty for the empty set.
     *
     * @return the text.
     */
    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder();
        int start = cpus.nextSetBit(0);
        while (start >= 0)
        {
            final int end = cpus.nextClearBit(start) - 1;
            if (text.length() > 0)
            {
                text.append(',');
            }
            text.append(start);
            if (end > start)
            {
                text.append('-').append(end);
            }
            start = cpus.nextSetBit(end + 1);
        }
        return text.toString();
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof final CpuList list && list.cpus.equals(cpus);
    }

    @Override
    public int hashCode()
    {
        return cpus.hashCode();
    }
}
