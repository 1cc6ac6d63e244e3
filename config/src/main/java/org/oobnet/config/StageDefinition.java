package org.oobnet.config;

import java.util.List;
import java.util.Objects;

/**
 * One OOB stage of the {@code [[stage]]} list: its name, its settings, the interfaces it serves. A configuration
 * without a list has one stage, {@link #DEFAULT_NAME}, serving every interface.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param name       the stage's name, unique in the configuration; letters, digits, {@code _} and {@code -}.
 * @param settings   where it runs, how it idles, its stall threshold.
 * @param interfaces the interfaces it serves, in the order given; empty for the first stage means "every
 *                   interface no other stage claims", and for another stage "none" (it serves AF_OOB sockets and
 *                   sockets placed on it by name).
 */
public record StageDefinition(String name, StageConfig settings, List<String> interfaces)
{
    /** The name of the one stage of a configuration without a {@code [[stage]]} list. */
    public static final String DEFAULT_NAME = "main";

    /**
     * Checks the components and copies the list.
     *
     * @param name       the stage's name.
     * @param settings   where it runs, how it idles, its stall threshold.
     * @param interfaces the interfaces it serves.
     */
    public StageDefinition
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(settings, "settings");
        interfaces = List.copyOf(interfaces);
    }

    /**
     * The one stage of a configuration without a {@code [[stage]]} list.
     *
     * @param settings the {@code [stage]} table's settings.
     * @return the stage, named {@link #DEFAULT_NAME}, no interfaces listed.
     */
    public static StageDefinition single(final StageConfig settings)
    {
        return new StageDefinition(DEFAULT_NAME, settings, List.of());
    }
}
