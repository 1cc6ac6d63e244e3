package org.oobnet.config;

/**
 * One effective value of a loaded configuration and where it came from.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param key    the key path, such as {@code stage.cpu} or {@code interfaces.veth0.frame_size}.
 * @param text   the value as TOML text, such as {@code "auto"} (with the quotes) or {@code 1024}.
 * @param source where it came from.
 */
public record ConfigValue(String key, String text, ConfigSource source)
{
}
