package org.oobnet.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The value types of the configuration: integers in a range, powers of two, booleans, names from a list,
 * durations, CPUs, paths. Text from the environment or a property may spell any type; a TOML value must have
 * the right TOML type.
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
final class ValueParsers
{
    private ValueParsers()
    {
    }

    /**
     * An integer in {@code [min, max]}.
     *
     * @param min smallest accepted.
     * @param max largest accepted.
     * @return the parser.
     */
    static ValueParser<Integer> integer(final int min, final int max)
    {
        return new ValueParser<>()
        {
            @Override
            public Integer parse(final RawValue raw) throws InvalidValueException
            {
                final long value = wholeNumber(raw, false);
                if (value < min || value > max)
                {
                    throw new InvalidValueException("must be between " + min + " and " + max);
                }
                return (int)value;
            }

            @Override
            public String format(final Integer value)
            {
                return value.toString();
            }
        };
    }

    /**
     * A power of two in {@code [min, max]}, both powers of two themselves.
     *
     * @param min   smallest accepted.
     * @param max   largest accepted.
     * @param bytes whether the value is a byte size, which may carry a unit ({@code "64KiB"}).
     * @return the parser.
     */
    static ValueParser<Integer> powerOfTwo(final int min, final int max, final boolean bytes)
    {
        return new ValueParser<>()
        {
            @Override
            public Integer parse(final RawValue raw) throws InvalidValueException
            {
                final long value = wholeNumber(raw, bytes);
                if (value < min || value > max)
                {
                    throw new InvalidValueException("must be a power of two between " + min + " and " + max);
                }
                if (Long.bitCount(value) != 1)
                {
                    final long below = Long.highestOneBit(value);
                    throw new InvalidValueException(
                        "not a power of two (nearest: " + Math.max(below, min) + " or " + Math.min(below << 1, max) + ")");
                }
                return (int)value;
            }

            @Override
            public String format(final Integer value)
            {
                return bytes && value >= 1024 ? TomlText.quote(ByteSizes.format(value)) : value.toString();
            }
        };
    }

    /**
     * A boolean; as text, {@code true} or {@code false}.
     *
     * @return the parser.
     */
    static ValueParser<Boolean> bool()
    {
        return new ValueParser<>()
        {
            @Override
            public Boolean parse(final RawValue raw) throws InvalidValueException
            {
                if (raw.value() instanceof final Boolean value)
                {
                    return value;
                }
                if (raw.textual())
                {
                    final String text = ((String)raw.value()).strip().toLowerCase(Locale.ROOT);
                    if ("true".equals(text) || "false".equals(text))
                    {
                        return Boolean.valueOf(text);
                    }
                    throw new InvalidValueException("expected true or false");
                }
                throw new InvalidValueException("expected a boolean (true or false), got " + TomlText.typeOf(raw.value()));
            }

            @Override
            public String format(final Boolean value)
            {
                return value.toString();
            }
        };
    }

    /**
     * One of an enum's names as configuration spells them.
     *
     * @param type the enum.
     * @param text its configuration name.
     * @param <E>  the enum.
     * @return the parser.
     */
    static <E extends Enum<E>> ValueParser<E> oneOf(final Class<E> type, final Function<E, String> text)
    {
        final E[] values = type.getEnumConstants();
        final String choices = Arrays.stream(values).map(text).collect(Collectors.joining(", "));
        return new ValueParser<>()
        {
            @Override
            public E parse(final RawValue raw) throws InvalidValueException
            {
                final String given = string(raw, "one of " + choices).strip();
                for (final E value : values)
                {
                    if (text.apply(value).equalsIgnoreCase(given))
                    {
                        return value;
                    }
                }
                throw new InvalidValueException("must be one of " + choices);
            }

            @Override
            public String format(final E value)
            {
                return TomlText.quote(text.apply(value));
            }
        };
    }

    /**
     * A duration with a unit, in {@code [minNs, maxNs]}.
     *
     * @param minNs smallest accepted.
     * @param maxNs largest accepted.
     * @return the parser, giving nanoseconds.
     */
    static ValueParser<Long> duration(final long minNs, final long maxNs)
    {
        return new ValueParser<>()
        {
            @Override
            public Long parse(final RawValue raw) throws InvalidValueException
            {
                final String text = string(raw, "a duration with a unit (ns, us, ms, s, m, h) such as \"20us\"");
                final long ns;
                try
                {
                    ns = Durations.parseNs(text);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new InvalidValueException(ex.getMessage());
                }
                if (ns < minNs || ns > maxNs)
                {
                    throw new InvalidValueException(
                        "must be between " + Durations.format(minNs) + " and " + Durations.format(maxNs));
                }
                return ns;
            }

            @Override
            public String format(final Long value)
            {
                return TomlText.quote(Durations.format(value));
            }
        };
    }

    /**
     * A CPU of this machine that this process may run on, or {@code "auto"}.
     *
     * @param topology this machine's CPUs.
     * @return the parser, giving {@link StageConfig#CPU_AUTO} for {@code "auto"}.
     */
    static ValueParser<Integer> cpu(final CpuTopology topology)
    {
        return new ValueParser<>()
        {
            @Override
            public Integer parse(final RawValue raw) throws InvalidValueException
            {
                final Object value = raw.value();
                if ("auto".equals(value instanceof final String text ? text.strip() : null))
                {
                    return StageConfig.CPU_AUTO;
                }
                final long cpu;
                if (value instanceof final Long number)
                {
                    cpu = number;
                }
                else if (raw.textual() && isInteger((String)value))
                {
                    cpu = Long.parseLong(((String)value).strip());
                }
                else
                {
                    throw new InvalidValueException("expected a CPU number or \"auto\"" +
                        (raw.textual() ? "" : ", got " + TomlText.typeOf(value)));
                }
                if (cpu < 0)
                {
                    throw new InvalidValueException("expected a CPU number (0 or more) or \"auto\"");
                }
                if (!topology.online().contains((int)Math.min(cpu, Integer.MAX_VALUE)))
                {
                    throw new InvalidValueException(
                        "no such CPU (this machine has CPUs " + topology.online() + ")");
                }
                if (!topology.allowed().contains((int)cpu))
                {
                    throw new InvalidValueException(
                        "this process may not run on CPU " + cpu + " (its affinity allows CPUs " +
                        topology.allowed() + ")");
                }
                return (int)cpu;
            }

            @Override
            public String format(final Integer value)
            {
                return value == StageConfig.CPU_AUTO ? "\"auto\"" : value.toString();
            }
        };
    }

    /**
     * An absolute path.
     *
     * @return the parser.
     */
    static ValueParser<Path> absolutePath()
    {
        return new ValueParser<>()
        {
            @Override
            public Path parse(final RawValue raw) throws InvalidValueException
            {
                final String text = string(raw, "an absolute path");
                if (text.isBlank())
                {
                    throw new InvalidValueException("expected an absolute path, got an empty one");
                }
                final Path path;
                try
                {
                    path = Path.of(text);
                }
                catch (final InvalidPathException ex)
                {
                    throw new InvalidValueException("not a path: " + ex.getReason());
                }
                if (!path.isAbsolute())
                {
                    throw new InvalidValueException("must be an absolute path");
                }
                return path.normalize();
            }

            @Override
            public String format(final Path value)
            {
                return TomlText.quote(value.toString());
            }
        };
    }

    private static String string(final RawValue raw, final String expected) throws InvalidValueException
    {
        if (raw.value() instanceof final String text)
        {
            return text;
        }
        throw new InvalidValueException("expected " + expected + ", got " + TomlText.typeOf(raw.value()));
    }

    private static long wholeNumber(final RawValue raw, final boolean bytes) throws InvalidValueException
    {
        final Object value = raw.value();
        if (value instanceof final Long number)
        {
            return number;
        }
        if (value instanceof final String text && (raw.textual() || bytes))
        {
            if (bytes)
            {
                try
                {
                    return ByteSizes.parse(text);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new InvalidValueException(ex.getMessage());
                }
            }
            if (isInteger(text))
            {
                return Long.parseLong(text.strip());
            }
            throw new InvalidValueException("expected an integer");
        }
        throw new InvalidValueException(
            "expected " + (bytes ? "a byte size such as 65536 or \"64KiB\"" : "an integer") + ", got " +
            TomlText.typeOf(value));
    }

    private static boolean isInteger(final String text)
    {
        final String trimmed = text.strip();
        final int start = trimmed.startsWith("-") ? 1 : 0;
        return trimmed.length() > start && trimmed.length() < 19 &&
            trimmed.substring(start).chars().allMatch(Character::isDigit);
    }
}
