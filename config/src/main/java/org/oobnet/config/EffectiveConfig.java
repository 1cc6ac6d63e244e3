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
        // With a [[stage]] list the stages' values are printed as [[stage]] tables at the end (TOML puts no
        // dotted key after a table), and the flat stage.* keys, only their defaults, as comments.
        final List<String[]> rows = new ArrayList<>();
        final List<String[]> stageRows = new ArrayList<>();
        final boolean listed = values.stream().anyMatch(value -> isStageField(value.key()));
        for (final ConfigValue value : values)
        {
            String comment = value.source().toString();
            if (Configuration.STAGE_CPU.equals(value.key()) && config.stage().cpu() == StageConfig.CPU_AUTO)
            {
                final int cpu = topology.autoCpu();
                comment += "; auto picks CPU " + cpu + (topology.isolated().contains(cpu) ? " (isolated)" : " (noisol)");
            }
            if (isStageField(value.key()))
            {
                final String stage = value.key().substring(StageTables.SECTION.length() + 1, value.key().lastIndexOf('.'));
                if (value.key().endsWith("." + Configuration.STAGE_CPU.substring(StageTables.SECTION.length() + 1)))
                {
                    stageRows.add(new String[]{"[[stage]]", null, null});
                    stageRows.add(new String[]{StageTables.NAME, TomlText.quote(stage), ""});
                }
                stageRows.add(new String[]{value.key().substring(value.key().lastIndexOf('.') + 1), value.text(), comment});
            }
            else if (listed && value.key().startsWith(StageTables.SECTION + "."))
            {
                rows.add(new String[]{"# " + value.key(), value.text(), comment + "; the default of each [[stage]]"});
            }
            else
            {
                rows.add(new String[]{tomlKey(value.key()), value.text(), comment});
            }
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
            appendRow(text, row, keyWidth, valueWidth);
        }
        for (final String[] row : stageRows)
        {
            if (row[1] == null)
            {
                text.append('\n').append(row[0]).append('\n');
            }
            else
            {
                appendRow(text, row, keyWidth, valueWidth);
            }
        }
        return text.toString();
    }

    private static void appendRow(final StringBuilder text, final String[] row, final int keyWidth, final int valueWidth)
    {
        text.append(row[0]).append(" ".repeat(Math.max(0, keyWidth - row[0].length())))
            .append(" = ")
            .append(row[1]);
        if (!row[2].isEmpty())
        {
            text.append(" ".repeat(Math.max(0, valueWidth - row[1].length()))).append("  # ").append(row[2]);
        }
        text.append('\n');
    }

    /** A key of one [[stage]] table, {@code stage.<name>.<field>}: stage names hold no dot. */
    private static boolean isStageField(final String key)
    {
        return key.startsWith(StageTables.SECTION + ".") && key.indexOf('.') != key.lastIndexOf('.');
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
