package org.oobnet.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded configuration together with where each value came from, as {@code oobnet config --print} shows it.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param config   the typed configuration.
 * @param file     the TOML file read, if any.
 * @param values   every effective value in key order, with its source.
 * @param topology the CPUs the configuration was checked against.
 */
public record EffectiveConfig(OobnetConfig config, Optional<Path> file, List<ConfigValue> values, CpuTopology topology)
{
    /**
     * Copies the list.
     *
     * @param config   the typed configuration.
     * @param file     the TOML file read, if any.
     * @param values   every effective value in key order, with its source.
     * @param topology the CPUs the configuration was checked against.
     */
    public EffectiveConfig
    {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(file, "file");
        values = List.copyOf(values);
        Objects.requireNonNull(topology, "topology");
    }

    /**
     * The value of one key.
     *
     * @param key a key path such as {@code stage.cpu}.
     * @return its value and source, if the key exists.
     */
    public Optional<ConfigValue> value(final String key)
    {
        return values.stream().filter(value -> value.key().equals(key)).findFirst();
    }

    /**
     * The configuration as a TOML document of dotted keys, each line commented with its source, aligned; loading
     * the output as a file gives the same configuration.
     *
     * @return the text, lines ending with a newline.
     */
    public String render()
    {
        final List<String[]> rows = new ArrayList<>();
        for (final ConfigValue value : values)
        {
            String comment = value.source().toString();
            if (Configuration.STAGE_CPU.equals(value.key()) && config.stage().cpu() == StageConfig.CPU_AUTO)
            {
                final int cpu = topology.autoCpu();
                comment += "; auto picks CPU " + cpu + (topology.isolated().contains(cpu) ? " (isolated)" : " (noisol)");
            }
            rows.add(new String[]{tomlKey(value.key()), value.text(), comment});
        }
        int keyWidth = 0;
        int valueWidth = 0;
        for (final String[] row : rows)
        {
            keyWidth = Math.max(keyWidth, row[0].length());
            valueWidth = Math.max(valueWidth, row[1].length());
        }

        final StringBuilder text = new StringBuilder()
            .append("# oobnet effective configuration; precedence: default < file < OOBNET_* env < -Doobnet.* property\n")
            .append("# file: ").append(file.map(Path::toString).orElse("(none)")).append('\n');
        if (config.interfaces().isEmpty())
        {
            text.append("# interfaces: none configured (add a table such as [interfaces.veth0])\n");
        }
        for (final String[] row : rows)
        {
            text.append(row[0]).append(" ".repeat(keyWidth - row[0].length()))
                .append(" = ")
                .append(row[1]).append(" ".repeat(valueWidth - row[1].length()))
                .append("  # ").append(row[2]).append('\n');
        }
        return text.toString();
    }

    private String tomlKey(final String key)
    {
        if (key.startsWith(Configuration.INTERFACES + "."))
        {
            final int lastDot = key.lastIndexOf('.');
            final String name = key.substring(Configuration.INTERFACES.length() + 1, lastDot);
            return Configuration.INTERFACES + "." + TomlText.keyPart(name) + key.substring(lastDot);
        }
        return key;
    }
}
