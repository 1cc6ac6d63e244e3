package org.oobnet.config;

/**
 * Turns a given value into a typed, checked one, and a typed value back into TOML text.
 * <p>
 * <b>Note:</b> implementations are stateless and thread safe.
 *
 * @param <T> the type of the value.
 */
interface ValueParser<T>
{
    /**
     * Checks and converts a value.
     *
     * @param raw the value as given.
     * @return the typed value.
     * @throws InvalidValueException saying why it is refused.
     */
    T parse(RawValue raw) throws InvalidValueException;

    /**
     * The TOML text of a value, as {@code oobnet config --print} shows it and as the file takes it.
     *
     * @param value a typed value.
     * @return its text.
     */
    String format(T value);
}
