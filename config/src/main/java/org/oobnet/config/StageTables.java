package org.oobnet.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

import static org.oobnet.config.Configuration.*;

/**
 * The {@code [[stage]]} list of one load: reads the tables and their {@code OOBNET_STAGE_<NAME>_<FIELD>} /
 * {@code -Doobnet.stage.<name>.<field>} overrides, then checks each stage and the stages together (names, CPUs,
 * interfaces) and builds the {@link StageDefinition}s. The flat {@code stage.*} keys are the defaults of every
 * table's fields. Interfaces are checked against those of the loading process' network namespace.
 * <p>
 * <b>Note:</b> not thread safe; one per load.
 */
final class StageTables
{
    /** The section, and the prefix of a stage's keys in messages: {@code stage.feed.cpu}. */
    static final String SECTION = "stage";
    /** Field of a stage table: its name. */
    static final String NAME = "name";
    /** Field of a stage table: the interfaces it serves, an array of strings. */
    static final String INTERFACES_FIELD = "interfaces";
    /** Fields of a stage table that are also flat {@code stage.*} keys, the flat value being their default. */
    static final List<String> SETTINGS = List.of("cpu", "idle_strategy", "stall_threshold");

    private final ConfigKeys keys;
    private final CpuTopology topology;
    private final Supplier<Set<String>> visibleInterfaces;
    private final List<ConfigProblem> problems;
    private final List<Declared> declared = new ArrayList<>();
    private boolean listed;

    /** One table of the list as given. */
    private static final class Declared
    {
        final int position;
        String name;
        ConfigSource nameSource;
        final Map<String, RawValue> fields = new HashMap<>();
        final Map<String, ConfigValue> effective = new HashMap<>();
        RawValue interfaces;

        Declared(final int position)
        {
            this.position = position;
        }

        String label()
        {
            return name != null ? SECTION + "." + TomlText.keyPart(name) : SECTION + "[" + position + "]";
        }
    }

    StageTables(
        final ConfigKeys keys,
        final CpuTopology topology,
        final Supplier<Set<String>> visibleInterfaces,
        final List<ConfigProblem> problems)
    {
        this.keys = keys;
        this.topology = topology;
        this.visibleInterfaces = visibleInterfaces;
        this.problems = problems;
    }

    /**
     * Reads the {@code [[stage]]} array of the file.
     *
     * @param array  the array under the key {@code stage}.
     * @param file   the file, for sources.
     * @param line   the line of the array, for an element that is not a table.
     */
    void readFile(final TomlArray array, final Path file, final int line)
    {
        listed = true;
        for (int i = 0; i < array.size(); i++)
        {
            final Declared stage = new Declared(i + 1);
            declared.add(stage);
            if (!(array.get(i) instanceof final TomlTable table))
            {
                problems.add(new ConfigProblem(stage.label(), TomlText.of(array.get(i)),
                    "expected a table [[stage]] of stage settings", new ConfigSource.File(file, line)));
                continue;
            }
            // the name first, so that the other fields' problems name the stage
            final List<String> fields = new ArrayList<>(table.keySet());
            fields.sort((a, b) -> Boolean.compare(!NAME.equals(a), !NAME.equals(b)));
            for (final String field : fields)
            {
                final Object value = table.get(List.of(field));
                final ConfigSource source = new ConfigSource.File(file, table.inputPositionOf(List.of(field)).line());
                readField(stage, field, RawValue.toml(value, source));
            }
        }
    }

    private void readField(final Declared stage, final String field, final RawValue value)
    {
        if (NAME.equals(field))
        {
            if (value.value() instanceof final String name)
            {
                stage.name = name;
                stage.nameSource = value.source();
            }
            else
            {
                problems.add(new ConfigProblem(stage.label() + "." + NAME, value.shown(),
                    "expected a string, got " + TomlText.typeOf(value.value()), value.source()));
            }
        }
        else if (INTERFACES_FIELD.equals(field))
        {
            stage.interfaces = value;
        }
        else if (SETTINGS.contains(field))
        {
            stage.fields.put(field, value);
        }
        else
        {
            final List<String> candidates = new ArrayList<>(fieldNames());
            final String suggestion = KeySuggester.nearest(field, candidates);
            problems.add(new ConfigProblem(stage.label() + "." + field, value.shown(), suggestion != null
                ? "unknown key, did you mean " + suggestion + "?"
                : "unknown key (the keys of a [[stage]] table are " + String.join(", ", candidates) + ")",
                value.source()));
        }
    }

    private static List<String> fieldNames()
    {
        final List<String> names = new ArrayList<>();
        names.add(NAME);
        names.addAll(SETTINGS);
        names.add(INTERFACES_FIELD);
        return names;
    }

    /**
     * Takes an environment variable {@code OOBNET_STAGE_<NAME>_<FIELD>} that overrides a field of a named stage.
     *
     * @param variable the variable's name.
     * @param value    its value.
     * @return whether it has the form of a stage override (taken, or reported when it names no stage).
     */
    boolean readEnv(final String variable, final RawValue value)
    {
        final String prefix = ConfigKeys.envName(SECTION) + "_";
        for (final String field : SETTINGS)
        {
            final String suffix = "_" + field.toUpperCase(Locale.ROOT);
            if (variable.startsWith(prefix) && variable.endsWith(suffix) &&
                variable.length() > prefix.length() + suffix.length())
            {
                final String envPart = variable.substring(prefix.length(), variable.length() - suffix.length());
                for (final Declared stage : declared)
                {
                    if (stage.name != null && ConfigKeys.envName(stage.name).equals(ENV_PREFIX + envPart))
                    {
                        stage.fields.put(field, value);
                        return true;
                    }
                }
                problems.add(new ConfigProblem(variable, value.shown(), noSuchStage(), null));
                return true;
            }
        }
        return false;
    }

    /**
     * Takes a system property {@code oobnet.stage.<name>.<field>} that overrides a field of a named stage.
     *
     * @param key   the property without its {@code oobnet.} prefix.
     * @param value its value.
     * @return whether it has the form of a stage override (taken, or reported when it names no stage).
     */
    boolean readProperty(final String key, final RawValue value)
    {
        final int lastDot = key.lastIndexOf('.');
        if (!key.startsWith(SECTION + ".") || lastDot <= SECTION.length() + 1 ||
            !SETTINGS.contains(key.substring(lastDot + 1)))
        {
            return false;
        }
        final String name = key.substring(SECTION.length() + 1, lastDot);
        for (final Declared stage : declared)
        {
            if (name.equals(stage.name))
            {
                stage.fields.put(key.substring(lastDot + 1), value);
                return true;
            }
        }
        problems.add(new ConfigProblem(key, value.shown(), noSuchStage(), value.source()));
        return true;
    }

    private String noSuchStage()
    {
        final List<String> names = new ArrayList<>();
        declared.stream().filter(stage -> stage.name != null).forEach(stage -> names.add(stage.name));
        return names.isEmpty()
            ? "no such stage (the configuration has no [[stage]] tables)"
            : "no such stage (the stages are " + String.join(", ", names) + ")";
    }

    /**
     * Checks the stages and builds them, the flat {@code stage.*} values being the defaults of their fields.
     *
     * @param flat   the checked flat stage settings, or null when one of them was refused.
     * @param values the effective values so far; the stages' values are added.
     * @return the stages, or null when there is no {@code [[stage]]} list or a problem was found.
     */
    List<StageDefinition> resolve(final StageConfig flat, final List<ConfigValue> values)
    {
        if (!listed)
        {
            return null;
        }
        if (declared.isEmpty())
        {
            problems.add(new ConfigProblem(SECTION, "[]", "expected at least one [[stage]] table", null));
            return null;
        }
        final int problemsBefore = problems.size();
        final Map<String, Declared> byName = new HashMap<>();
        final List<StageDefinition> stages = new ArrayList<>();
        final List<Declared> sources = new ArrayList<>();
        for (final Declared stage : declared)
        {
            checkName(stage, byName);
            final Object cpu = setting(stage, "cpu", flat == null ? null : flat.cpu(), values);
            final Object idle = setting(stage, "idle_strategy", flat == null ? null : flat.idleStrategy(), values);
            final Object stall = setting(stage, "stall_threshold", flat == null ? null : flat.stallThresholdNs(), values);
            final List<String> interfaces = interfaces(stage, values);
            if (cpu != null && idle != null && stall != null && interfaces != null && stage.name != null)
            {
                stages.add(new StageDefinition(
                    stage.name, new StageConfig((Integer)cpu, (IdleStrategyType)idle, (Long)stall), interfaces));
                sources.add(stage);
            }
        }
        if (problems.size() > problemsBefore || flat == null)
        {
            return null;
        }
        checkInterfacesOnce(stages, sources);
        checkCpus(stages, sources);
        return problems.size() > problemsBefore ? null : stages;
    }

    private void checkName(final Declared stage, final Map<String, Declared> byName)
    {
        if (stage.name == null)
        {
            if (stage.nameSource == null && problems.stream().noneMatch(p -> p.key().startsWith(stage.label() + ".")))
            {
                problems.add(new ConfigProblem(stage.label(), null,
                    "a [[stage]] table needs a name, such as name = \"feed\"", null));
            }
            return;
        }
        final String value = TomlText.quote(stage.name);
        if (stage.name.isEmpty() || !stage.name.chars().allMatch(c ->
            c < 0x80 && Character.isLetterOrDigit(c) || c == '_' || c == '-'))
        {
            problems.add(new ConfigProblem(stage.label() + "." + NAME, value,
                "a stage name is letters, digits, '_' and '-'", stage.nameSource));
            return;
        }
        final Declared first = byName.putIfAbsent(stage.name, stage);
        if (first != null)
        {
            problems.add(new ConfigProblem(stage.label() + "." + NAME, value,
                "duplicate stage name, also the name of the stage given at " + first.nameSource, stage.nameSource));
        }
    }

    private Object setting(
        final Declared stage, final String field, final Object flatValue, final List<ConfigValue> values)
    {
        final KeySpec<?> spec = keys.global(SECTION + "." + field);
        final String key = stage.label() + "." + field;
        final RawValue given = stage.fields.get(field);
        if (given == null)
        {
            if (flatValue != null)
            {
                final ConfigSource flatSource = values.stream()
                    .filter(value -> value.key().equals(spec.name())).findFirst()
                    .map(ConfigValue::source).orElse(ConfigSource.DEFAULT);
                final ConfigValue value = new ConfigValue(key, spec.formatValue(flatValue), flatSource);
                stage.effective.put(field, value);
                values.add(value);
            }
            return flatValue;
        }
        try
        {
            final Object value = spec.parse(given);
            final ConfigValue effective = new ConfigValue(key, spec.formatValue(value), given.source());
            stage.effective.put(field, effective);
            values.add(effective);
            return value;
        }
        catch (final InvalidValueException ex)
        {
            problems.add(new ConfigProblem(key, given.shown(), ex.getMessage(), given.source()));
            return null;
        }
    }

    private List<String> interfaces(final Declared stage, final List<ConfigValue> values)
    {
        final String key = stage.label() + "." + INTERFACES_FIELD;
        final RawValue given = stage.interfaces;
        if (given == null)
        {
            values.add(new ConfigValue(key, "[]", ConfigSource.DEFAULT));
            return List.of();
        }
        if (!(given.value() instanceof final TomlArray array))
        {
            problems.add(new ConfigProblem(key, given.shown(),
                "expected an array of interface names such as [\"veth0\"], got " + TomlText.typeOf(given.value()),
                given.source()));
            return null;
        }
        final List<String> names = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < array.size(); i++)
        {
            final Object element = array.get(i);
            final String reason = element instanceof final String name
                ? InterfaceNames.problem(name) : "expected an interface name, got " + TomlText.typeOf(element);
            if (reason == null && !visibleInterfaces.get().contains((String)element))
            {
                problems.add(new ConfigProblem(key, TomlText.of(element),
                    "no such interface in this network namespace (it has " +
                    String.join(", ", visibleInterfaces.get()) + ")", given.source()));
                valid = false;
            }
            else if (reason != null)
            {
                problems.add(new ConfigProblem(key, TomlText.of(element), reason, given.source()));
                valid = false;
            }
            else if (names.contains((String)element))
            {
                problems.add(new ConfigProblem(key, TomlText.of(element), "interface listed twice", given.source()));
                valid = false;
            }
            else
            {
                names.add((String)element);
            }
        }
        if (valid)
        {
            values.add(new ConfigValue(key, TomlText.of(array), given.source()));
        }
        return valid ? names : null;
    }

    private void checkInterfacesOnce(final List<StageDefinition> stages, final List<Declared> sources)
    {
        final Map<String, String> servedBy = new HashMap<>();
        for (int i = 0; i < stages.size(); i++)
        {
            final StageDefinition stage = stages.get(i);
            for (final String name : stage.interfaces())
            {
                final String first = servedBy.putIfAbsent(name, stage.name());
                if (first != null)
                {
                    problems.add(new ConfigProblem(sources.get(i).label() + "." + INTERFACES_FIELD,
                        TomlText.quote(name), "interface already served by stage " + first +
                        " (an interface belongs to one stage)", sources.get(i).interfaces.source()));
                }
            }
        }
    }

    /** Two stages on one CPU, and "auto" stages with no CPU left once the others took theirs. */
    private void checkCpus(final List<StageDefinition> stages, final List<Declared> sources)
    {
        final Map<Integer, String> taken = new LinkedHashMap<>();
        for (int i = 0; i < stages.size(); i++)
        {
            final int cpu = stages.get(i).settings().cpu();
            if (cpu == StageConfig.CPU_AUTO)
            {
                continue;
            }
            final String first = taken.putIfAbsent(cpu, stages.get(i).name());
            if (first != null)
            {
                problems.add(cpuProblem(sources.get(i), "two stages on one CPU: stage " + first +
                    " already runs on CPU " + cpu));
            }
        }
        for (int i = 0; i < stages.size(); i++)
        {
            if (stages.get(i).settings().cpu() != StageConfig.CPU_AUTO)
            {
                continue;
            }
            final int cpu = topology.autoCpuExcept(taken.keySet());
            if (cpu < 0)
            {
                final List<String> owners = new ArrayList<>();
                taken.forEach((taker, name) -> owners.add(name + " (" + taker + ")"));
                problems.add(cpuProblem(sources.get(i), "no CPU left for this stage: this process may use CPUs " +
                    topology.online().intersect(topology.allowed()) + ", taken by stages " +
                    String.join(", ", owners)));
            }
            else
            {
                taken.put(cpu, stages.get(i).name());
            }
        }
    }

    private ConfigProblem cpuProblem(final Declared stage, final String reason)
    {
        final RawValue given = stage.fields.get("cpu");
        final ConfigValue effective = stage.effective.get("cpu");
        return given != null
            ? new ConfigProblem(stage.label() + ".cpu", given.shown(), reason, given.source())
            : new ConfigProblem(stage.label() + ".cpu", effective.text(), reason, effective.source());
    }
}
