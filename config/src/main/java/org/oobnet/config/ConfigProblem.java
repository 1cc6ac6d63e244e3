package org.oobnet.config;

import java.util.Objects;

/**
 * One reason a configuration was refused: the key path, the value as given, why, and where it was given.
 * Rendered as {@code stage.cpu=7: no such CPU (this machine has CPUs 0-1) [env OOBNET_STAGE_CPU]}.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param key    the key path such as {@code stage.cpu}, or the file for a syntax error.
 * @param value  the value as given (TOML strings in quotes), or null when no value applies.
 * @param reason why it is refused.
 * @param source where it was given, or null when nowhere in particular.
 */
public record ConfigProblem(String key, String value, String reason, ConfigSource source)
{
    /**
     * Checks the components.
     *
     * @param key    the key path such as {@code stage.cpu}, or the file for a syntax error.
     * @param value  the value as given (TOML strings in quotes), or null when no value applies.
     * @param reason why it is refused.
     * @param source where it was given, or null when nowhere in particular.
     */
    public ConfigProblem
    {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString()
    {
        return key + (value == null ? "" : "=" + value) + ": " + reason + (source == null ? "" : " [" + source + "]");
    }
}
