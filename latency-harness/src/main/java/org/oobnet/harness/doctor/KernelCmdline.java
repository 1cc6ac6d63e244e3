package org.oobnet.harness.doctor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel's command line ({@code /proc/cmdline}) as the kernel splits it: parameters separated by spaces,
 * double quotes protecting spaces, a bare {@code --} ending the kernel's part (the rest goes to init).
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param parameters the kernel's parameters in order; a flag without {@code =} maps to the empty string.
 */
public record KernelCmdline(Map<String, String> parameters)
{
    /**
     * Copies the map.
     *
     * @param parameters the kernel's parameters in order; a flag without {@code =} maps to the empty string.
     */
    public KernelCmdline
    {
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * Splits a command line. A parameter given twice keeps its last value, as the kernel's parsers do.
     *
     * @param text the content of {@code /proc/cmdline}.
     * @return the parameters.
     */
    public static KernelCmdline parse(final String text)
    {
        final Map<String, String> parameters = new LinkedHashMap<>();
        int i = 0;
        final int length = text.length();
        while (i < length)
        {
            while (i < length && Character.isWhitespace(text.charAt(i)))
            {
                i++;
            }
            if (i == length)
            {
                break;
            }
            final StringBuilder word = new StringBuilder();
            boolean quoted = false;
            while (i < length && (quoted || !Character.isWhitespace(text.charAt(i))))
            {
                final char c = text.charAt(i++);
                if (c == '"')
                {
                    quoted = !quoted;
                }
                else
                {
                    word.append(c);
                }
            }
            final String parameter = word.toString();
            if ("--".equals(parameter))
            {
                break;
            }
            final int equals = parameter.indexOf('=');
            if (equals < 0)
            {
                parameters.put(parameter, "");
            }
            else
            {
                parameters.put(parameter.substring(0, equals), parameter.substring(equals + 1));
            }
        }
        return new KernelCmdline(parameters);
    }

    /**
     * The value of a parameter.
     *
     * @param name such as {@code nohz_full}.
     * @return its value, empty string for a flag, or empty when absent.
     */
    public Optional<String> get(final String name)
    {
        return Optional.ofNullable(parameters.get(name));
    }

    /**
     * The CPU list of {@code isolcpus=}, which may start with flags: {@code isolcpus=managed_irq,domain,2-3}.
     *
     * @return the list part, such as {@code 2-3}, or empty when the parameter is absent.
     */
    public Optional<String> isolcpusList()
    {
        return get("isolcpus").map(value ->
        {
            final String[] parts = value.split(",");
            final StringBuilder cpus = new StringBuilder();
            for (final String part : parts)
            {
                if (!part.isEmpty() && Character.isDigit(part.charAt(0)))
                {
                    cpus.append(cpus.isEmpty() ? "" : ",").append(part);
                }
            }
            return cpus.toString();
        });
    }
}
