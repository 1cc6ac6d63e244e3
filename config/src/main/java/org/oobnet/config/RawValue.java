package org.oobnet.config;

/**
 * A value as given, before it is checked: a TOML value (Long, Double, String, Boolean, table, array) from the
 * file, or text from an environment variable or system property.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param value   the TOML value, or the text.
 * @param textual true for text from the environment or a property, which any type may be parsed from.
 * @param shown   the value as the user wrote it, for messages (TOML strings in quotes).
 * @param source  where it was given.
 */
record RawValue(Object value, boolean textual, String shown, ConfigSource source)
{
    static RawValue text(final String text, final ConfigSource source)
    {
        return new RawValue(text, true, text, source);
    }

    static RawValue toml(final Object value, final ConfigSource source)
    {
        return new RawValue(value, false, TomlText.of(value), source);
    }
}
