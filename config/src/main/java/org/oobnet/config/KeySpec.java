package org.oobnet.config;

/**
 * One configuration key: its name, how its values are checked, its default.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param name         the key path ({@code stage.cpu}), or the field name of an interface table.
 * @param parser       checks and converts values.
 * @param defaultValue the value when nothing sets the key.
 * @param <T>          the type of the value.
 */
record KeySpec<T>(String name, ValueParser<T> parser, T defaultValue)
{
    /**
     * The default as TOML text.
     *
     * @return its text.
     */
    String defaultText()
    {
        return parser.format(defaultValue);
    }

    /**
     * Parses a value given for this key.
     *
     * @param raw the value.
     * @return the typed value.
     * @throws InvalidValueException saying why it is refused.
     */
    T parse(final RawValue raw) throws InvalidValueException
    {
        return parser.parse(raw);
    }

    /**
     * Formats a value of this key.
     *
     * @param value a value returned by {@link #parse(RawValue)}.
     * @return its TOML text.
     */
    @SuppressWarnings("unchecked")
    String formatValue(final Object value)
    {
        return parser.format((T)value);
    }
}
