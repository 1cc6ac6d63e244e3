package org.oobnet.config;

import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * Renders values and keys as TOML text, for messages and for {@code oobnet config --print}.
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
final class TomlText
{
    private TomlText()
    {
    }

    /**
     * A value as TOML: strings quoted and escaped, tables and arrays as inline TOML.
     *
     * @param value a TOML value.
     * @return its text.
     */
    static String of(final Object value)
    {
        if (value instanceof final String text)
        {
            return quote(text);
        }
        if (value instanceof final TomlArray array)
        {
            final StringBuilder text = new StringBuilder("[");
            for (int i = 0; i < array.size(); i++)
            {
                text.append(i == 0 ? "" : ", ").append(of(array.get(i)));
            }
            return text.append(']').toString();
        }
        if (value instanceof final TomlTable table)
        {
            return table.isEmpty() ? "{}" : "{...}";
        }
        return String.valueOf(value);
    }

    /**
     * A TOML basic string.
     *
     * @param text the content.
     * @return it in quotes, escaped.
     */
    static String quote(final String text)
    {
        final StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                default ->
                {
                    if (c < 0x20 || c == 0x7f)
                    {
                        quoted.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    /**
     * One part of a dotted key: bare when it can be, quoted otherwise.
     *
     * @param part a key part.
     * @return its TOML text.
     */
    static String keyPart(final String part)
    {
        return !part.isEmpty() && part.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 0x80 || c == '_' || c == '-')
            ? part
            : quote(part);
    }

    /**
     * A TOML type name for messages.
     *
     * @param value a TOML value.
     * @return such as {@code "an integer"}.
     */
    static String typeOf(final Object value)
    {
        return switch (value)
        {
            case final Long ignored -> "an integer";
            case final Double ignored -> "a float";
            case final String ignored -> "a string";
            case final Boolean ignored -> "a boolean";
            case final TomlTable ignored -> "a table";
            case final TomlArray ignored -> "an array";
            default -> "a date or time";
        };
    }
}
