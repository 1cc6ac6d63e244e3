package org.oobnet.config;

import java.nio.file.Path;

/**
 * Where an effective configuration value came from.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 */
public sealed interface ConfigSource
{
    /** The built-in default of {@link Configuration}. */
    ConfigSource DEFAULT = new Default();

    /** The built-in default. */
    record Default() implements ConfigSource
    {
        @Override
        public String toString()
        {
            return "default";
        }
    }

    /**
     * A line of the TOML file.
     *
     * @param file the file.
     * @param line 1-based line of the key.
     */
    record File(Path file, int line) implements ConfigSource
    {
        @Override
        public String toString()
        {
            return file + ":" + line;
        }
    }

    /**
     * An environment variable.
     *
     * @param name such as {@code OOBNET_STAGE_CPU}.
     */
    record Env(String name) implements ConfigSource
    {
        @Override
        public String toString()
        {
            return "env " + name;
        }
    }

    /**
     * A system property.
     *
     * @param name such as {@code oobnet.stage.cpu}.
     */
    record SystemProperty(String name) implements ConfigSource
    {
        @Override
        public String toString()
        {
            return "-D" + name;
        }
    }
}
