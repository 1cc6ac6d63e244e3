package org.oobnet.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

import static org.oobnet.config.Configuration.*;

/**
 * Loads the configuration: defaults, then the TOML file, then {@code OOBNET_*} environment variables, then
 * {@code -Doobnet.*} system properties, each layer overriding the one before, as documented in
 * {@link Configuration}. Every value is checked once, here; all problems are reported together in one
 * {@link ConfigException} and no configuration is returned unless all values are valid.
 * <p>
 * Environment variables and system properties outside the configuration's tables ({@code OOBNET_TEST},
 * {@code oobnet.home}...) are not configuration keys and are left alone; those inside a table
 * ({@code OOBNET_STAGE_...}, {@code oobnet.stage....}) must name a key.
 * <p>
 * <b>Note:</b> not thread safe; in-band, at start-up.
 */
public final class ConfigLoader
{
    private final Map<String, String> env;
    private final Map<String, String> properties;
    private final CpuTopology topology;
    private final ConfigKeys keys;
    private final Supplier<Set<String>> visibleInterfaces;

    /**
     * A loader reading the given environment, properties and CPU topology; the interfaces {@code [[stage]]}
     * tables name are checked against those of this process' network namespace.
     *
     * @param env        environment variables.
     * @param properties system properties.
     * @param topology   this machine's CPUs, for checking {@code stage.cpu}.
     */
    public ConfigLoader(final Map<String, String> env, final Properties properties, final CpuTopology topology)
    {
        this(env, properties, topology, ConfigLoader::namespaceInterfaces);
    }

    /**
     * A loader reading the given environment, properties, CPU topology and interfaces; tests pass their own.
     *
     * @param env        environment variables.
     * @param properties system properties.
     * @param topology   this machine's CPUs, for checking {@code stage.cpu}.
     * @param interfaces the interfaces a {@code [[stage]]} table may name.
     */
    public ConfigLoader(
        final Map<String, String> env, final Properties properties, final CpuTopology topology,
        final Set<String> interfaces)
    {
        this(env, properties, topology, constant(new TreeSet<>(interfaces)));
    }

    private static Supplier<Set<String>> constant(final Set<String> interfaces)
    {
        return () -> interfaces;
    }

    private ConfigLoader(
        final Map<String, String> env, final Properties properties, final CpuTopology topology,
        final Supplier<Set<String>> visibleInterfaces)
    {
        this.visibleInterfaces = visibleInterfaces;
        this.env = new TreeMap<>(env);
        this.properties = new TreeMap<>();
        for (final String name : properties.stringPropertyNames())
        {
            this.properties.put(name, properties.getProperty(name));
        }
        this.topology = Objects.requireNonNull(topology, "topology");
        this.keys = ConfigKeys.of(topology);
    }

    /**
     * A loader over this process: {@link System#getenv()}, {@link System#getProperties()}, {@link CpuTopology#read()}.
     *
     * @return the loader.
     */
    public static ConfigLoader fromEnvironment()
    {
        return new ConfigLoader(System.getenv(), System.getProperties(), CpuTopology.read());
    }

    /**
     * The interfaces of this process' network namespace, read when a {@code [[stage]]} table names one: the
     * namespace the runtime will open its rings in, so an interface missing here is missing there.
     */
    private static Set<String> namespaceInterfaces()
    {
        final Set<String> names = new TreeSet<>();
        try
        {
            NetworkInterface.networkInterfaces().forEach(device -> names.add(device.getName()));
        }
        catch (final SocketException ex)
        {
            throw new UncheckedIOException("cannot list this network namespace's interfaces", ex);
        }
        return names;
    }

    /**
     * The file to read when none is given explicitly: the {@code oobnet.config} property, else the
     * {@code OOBNET_CONFIG} variable.
     *
     * @param explicit a file named on the command line, if any.
     * @return the file to read, if any.
     */
    public Optional<Path> configFile(final Optional<Path> explicit)
    {
        if (explicit.isPresent())
        {
            return explicit;
        }
        final String named = properties.getOrDefault(CONFIG_FILE_PROPERTY, env.get(CONFIG_FILE_ENV));
        return named == null || named.isBlank() ? Optional.empty() : Optional.of(Path.of(named));
    }

    /**
     * Loads and checks the configuration.
     *
     * @param explicitFile a TOML file named on the command line; when empty, {@link #configFile(Optional)} decides.
     * @return the effective configuration and where each value came from.
     * @throws ConfigException listing every problem, when any value is refused.
     */
    public EffectiveConfig load(final Optional<Path> explicitFile)
    {
        final Optional<Path> file = configFile(explicitFile);
        final Pass pass = new Pass();
        file.ifPresent(pass::readFile);
        pass.readEnv();
        pass.readProperties();
        return pass.resolve(file);
    }

    /** The state of one {@link #load(Optional)}: the raw values by key, the interfaces named, the problems. */
    private final class Pass
    {
        private final List<ConfigProblem> problems = new ArrayList<>();
        private final Map<String, RawValue> raw = new HashMap<>();
        private final Map<String, ConfigSource> interfaces = new LinkedHashMap<>();
        private final StageTables stages = new StageTables(keys, topology, memoized(visibleInterfaces), problems);

        void readFile(final Path file)
        {
            if (!Files.isRegularFile(file))
            {
                problems.add(new ConfigProblem(
                    file.toString(), null, Files.exists(file) ? "not a regular file" : "no such configuration file",
                    null));
                return;
            }
            final TomlParseResult toml;
            try
            {
                toml = Toml.parse(file);
            }
            catch (final IOException ex)
            {
                problems.add(new ConfigProblem(file.toString(), null, "cannot read: " + ex, null));
                return;
            }
            catch (final AssertionError ex)
            {
                // tomlj asserts on some malformed files (found by fuzzing); with -ea that would escape as an Error
                // instead of a syntax error, and without -ea the same file gives ordinary parse errors
                problems.add(new ConfigProblem(file.toString(), null,
                    "TOML syntax error: the parser gave up on this file (" + ex.getMessage() + ")", null));
                return;
            }
            if (toml.hasErrors())
            {
                // The rest of a file with a syntax error is not what its author meant: no value of it is used.
                for (final TomlParseError error : toml.errors())
                {
                    problems.add(new ConfigProblem(
                        file + ":" + error.position().line() + ":" + error.position().column(),
                        null,
                        "TOML syntax error: " + error.getMessage(),
                        null));
                }
                return;
            }
            for (final List<String> path : toml.keyPathSet(true))
            {
                final Object value = toml.get(path);
                fileEntry(path, value, new ConfigSource.File(file, toml.inputPositionOf(path).line()));
            }
        }

        private void fileEntry(final List<String> path, final Object value, final ConfigSource source)
        {
            final String section = path.getFirst();
            final String joined = String.join(".", path);
            final boolean table = value instanceof TomlTable;
            final boolean emptyTable = table && ((TomlTable)value).isEmpty();
            if (!ConfigKeys.SECTIONS.contains(section))
            {
                if (!table || emptyTable && path.size() == 1)
                {
                    unknownKey(joined, RawValue.toml(value, source));
                }
                return;
            }
            if (INTERFACES.equals(section))
            {
                interfaceFileEntry(path, value, source);
                return;
            }
            if (path.size() == 1)
            {
                if (StageTables.SECTION.equals(section) && value instanceof final TomlArray array &&
                    source instanceof final ConfigSource.File file)
                {
                    stages.readFile(array, file.file(), file.line());
                }
                else if (!table)
                {
                    problems.add(new ConfigProblem(joined, TomlText.of(value),
                        "expected a table [" + section + "]", source));
                }
                return;
            }
            if (table && !emptyTable)
            {
                return; // its keys are reported one by one
            }
            if (path.size() == 2 && !table && keys.global(joined) != null)
            {
                raw.put(joined, RawValue.toml(value, source));
                return;
            }
            unknownKey(joined, RawValue.toml(value, source));
        }

        private void interfaceFileEntry(final List<String> path, final Object value, final ConfigSource source)
        {
            final boolean table = value instanceof TomlTable;
            if (path.size() == 1)
            {
                if (!table)
                {
                    problems.add(new ConfigProblem(INTERFACES, TomlText.of(value),
                        "expected one table per interface, such as [interfaces.veth0]", source));
                }
                return;
            }
            final String name = path.get(1);
            if (path.size() == 2)
            {
                if (table)
                {
                    interfaces.putIfAbsent(name, source);
                }
                else
                {
                    problems.add(new ConfigProblem(INTERFACES + "." + name, TomlText.of(value),
                        "expected a table [interfaces." + TomlText.keyPart(name) + "] of interface settings", source));
                }
                return;
            }
            if (table && !((TomlTable)value).isEmpty())
            {
                return; // its keys are reported one by one
            }
            final String field = String.join(".", path.subList(2, path.size()));
            if (!table && keys.interfaceField(field) != null)
            {
                raw.put(interfaceKey(name, field), RawValue.toml(value, source));
                return;
            }
            unknownKey(interfaceKey(name, field), RawValue.toml(value, source));
        }

        void readEnv()
        {
            for (final Map.Entry<String, String> variable : env.entrySet())
            {
                final String name = variable.getKey();
                if (!name.startsWith(ENV_PREFIX))
                {
                    continue;
                }
                final ConfigSource source = new ConfigSource.Env(name);
                final RawValue value = RawValue.text(variable.getValue(), source);
                final String known = globalKeyOfEnv(name);
                if (known != null)
                {
                    raw.put(known, value);
                }
                else if (name.startsWith(ConfigKeys.envName(INTERFACES) + "_"))
                {
                    interfaceEnv(name, value);
                }
                else if (stages.readEnv(name, value))
                {
                    continue;
                }
                else if (inSection(name.substring(ENV_PREFIX.length()), '_'))
                {
                    final List<String> candidates = new ArrayList<>();
                    keys.global().forEach(spec -> candidates.add(ConfigKeys.envName(spec.name())));
                    problems.add(new ConfigProblem(name, value.shown(), unknownReason(name, candidates, null), null));
                }
            }
        }

        private String globalKeyOfEnv(final String name)
        {
            for (final KeySpec<?> spec : keys.global())
            {
                if (ConfigKeys.envName(spec.name()).equals(name))
                {
                    return spec.name();
                }
            }
            return null;
        }

        private void interfaceEnv(final String name, final RawValue value)
        {
            final String prefix = ConfigKeys.envName(INTERFACES) + "_";
            for (final KeySpec<?> field : keys.interfaceFields())
            {
                final String suffix = "_" + field.name().toUpperCase(Locale.ROOT);
                if (name.endsWith(suffix) && name.length() > prefix.length() + suffix.length())
                {
                    final String envPart = name.substring(prefix.length(), name.length() - suffix.length());
                    final String interfaceName = interfaceOfEnvPart(envPart);
                    interfaces.putIfAbsent(interfaceName, value.source());
                    raw.put(interfaceKey(interfaceName, field.name()), value);
                    return;
                }
            }
            final String rest = name.substring(prefix.length());
            final int lastPart = rest.indexOf('_');
            final String envPart = lastPart > 0 ? rest.substring(0, lastPart) : rest;
            final List<String> candidates = new ArrayList<>();
            keys.interfaceFields().forEach(spec ->
                candidates.add(prefix + envPart + "_" + spec.name().toUpperCase(Locale.ROOT)));
            problems.add(new ConfigProblem(name, value.shown(), unknownReason(name, candidates,
                "the interface settings are " + prefix + "<NAME>_{" + String.join(",", fieldEnvNames()) + "}"),
                null));
        }

        /** The interface an environment variable names: a declared one whose name maps to it, else lower case. */
        private String interfaceOfEnvPart(final String envPart)
        {
            for (final String declared : interfaces.keySet())
            {
                if (ConfigKeys.envName(declared).equals(ENV_PREFIX + envPart))
                {
                    return declared;
                }
            }
            return envPart.toLowerCase(Locale.ROOT);
        }

        void readProperties()
        {
            for (final Map.Entry<String, String> property : properties.entrySet())
            {
                final String name = property.getKey();
                if (!name.startsWith(PROPERTY_PREFIX) || !inSection(name.substring(PROPERTY_PREFIX.length()), '.'))
                {
                    continue;
                }
                final String key = name.substring(PROPERTY_PREFIX.length());
                final RawValue value = RawValue.text(property.getValue(), new ConfigSource.SystemProperty(name));
                if (key.startsWith(INTERFACES + "."))
                {
                    final int lastDot = key.lastIndexOf('.');
                    final String field = key.substring(lastDot + 1);
                    final String interfaceName = lastDot > INTERFACES.length() ?
                        key.substring(INTERFACES.length() + 1, lastDot) : "";
                    if (!interfaceName.isEmpty() && keys.interfaceField(field) != null)
                    {
                        interfaces.putIfAbsent(interfaceName, value.source());
                        raw.put(key, value);
                    }
                    else
                    {
                        unknownKey(key, value);
                    }
                }
                else if (keys.global(key) != null)
                {
                    raw.put(key, value);
                }
                else if (!stages.readProperty(key, value))
                {
                    unknownKey(key, value);
                }
            }
        }

        private boolean inSection(final String name, final char separator)
        {
            for (final String section : ConfigKeys.SECTIONS)
            {
                if (name.toLowerCase(Locale.ROOT).startsWith(section + separator))
                {
                    return true;
                }
            }
            return false;
        }

        private void unknownKey(final String key, final RawValue value)
        {
            final List<String> candidates = new ArrayList<>();
            keys.global().forEach(spec -> candidates.add(spec.name()));
            final String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            String known = null;
            if (INTERFACES.equals(section))
            {
                final int lastDot = key.lastIndexOf('.');
                final String interfaceName = lastDot > INTERFACES.length() ?
                    key.substring(INTERFACES.length() + 1, lastDot) : "<name>";
                keys.interfaceFields().forEach(spec -> candidates.add(interfaceKey(interfaceName, spec.name())));
                known = "the keys of an interface table are " + String.join(", ", fieldNames());
            }
            else if (ConfigKeys.SECTIONS.contains(section))
            {
                final List<String> fields = new ArrayList<>();
                keys.global().stream()
                    .filter(spec -> spec.name().startsWith(section + "."))
                    .forEach(spec -> fields.add(spec.name().substring(section.length() + 1)));
                known = "the keys of [" + section + "] are " + String.join(", ", fields);
            }
            else
            {
                candidates.addAll(ConfigKeys.SECTIONS);
                known = "the tables are " + String.join(", ", ConfigKeys.SECTIONS);
            }
            problems.add(new ConfigProblem(key, value.shown(), unknownReason(key, candidates, known), value.source()));
        }

        private String unknownReason(final String key, final List<String> candidates, final String known)
        {
            final String suggestion = KeySuggester.nearest(key, candidates);
            if (suggestion != null)
            {
                return "unknown key, did you mean " + suggestion + "?";
            }
            return known == null ? "unknown key" : "unknown key (" + known + ")";
        }

        private List<String> fieldNames()
        {
            return keys.interfaceFields().stream().map(KeySpec::name).toList();
        }

        private List<String> fieldEnvNames()
        {
            return keys.interfaceFields().stream().map(spec -> spec.name().toUpperCase(Locale.ROOT)).toList();
        }

        EffectiveConfig resolve(final Optional<Path> file)
        {
            final List<ConfigValue> values = new ArrayList<>();
            final Map<String, Object> typed = new HashMap<>();
            for (final KeySpec<?> spec : keys.global())
            {
                typed.put(spec.name(), value(spec.name(), spec, values));
            }

            final boolean flatValid = typed.get(STAGE_CPU) != null && typed.get(STAGE_IDLE_STRATEGY) != null &&
                typed.get(STAGE_STALL_THRESHOLD) != null;
            final StageConfig flat = flatValid ? new StageConfig(
                (Integer)typed.get(STAGE_CPU),
                (IdleStrategyType)typed.get(STAGE_IDLE_STRATEGY),
                (Long)typed.get(STAGE_STALL_THRESHOLD)) : null;
            final List<StageDefinition> stageList = stages.resolve(flat, values);

            final List<InterfaceConfig> interfaceConfigs = new ArrayList<>();
            for (final Map.Entry<String, ConfigSource> declared : interfaces.entrySet())
            {
                final String name = declared.getKey();
                checkInterfaceName(name, declared.getValue());
                final Object rxFrames = value(interfaceKey(name, INTERFACE_RX_RING_FRAMES),
                    keys.interfaceField(INTERFACE_RX_RING_FRAMES), values);
                final Object frameSize = value(interfaceKey(name, INTERFACE_FRAME_SIZE),
                    keys.interfaceField(INTERFACE_FRAME_SIZE), values);
                final Object txFrames = value(interfaceKey(name, INTERFACE_TX_RING_FRAMES),
                    keys.interfaceField(INTERFACE_TX_RING_FRAMES), values);
                final Object bypass = value(interfaceKey(name, INTERFACE_QDISC_BYPASS),
                    keys.interfaceField(INTERFACE_QDISC_BYPASS), values);
                if (problems.isEmpty())
                {
                    interfaceConfigs.add(new InterfaceConfig(
                        name, (Integer)rxFrames, (Integer)frameSize, (Integer)txFrames, (Boolean)bypass));
                }
            }

            if (!problems.isEmpty())
            {
                throw new ConfigException(problems);
            }

            final List<StageDefinition> effectiveStages = stageList != null ? stageList
                : List.of(StageDefinition.single(flat));
            final OobnetConfig config = new OobnetConfig(
                effectiveStages.getFirst().settings(),
                new RingsConfig(
                    (Integer)typed.get(RINGS_CONTROL_QUEUE_CAPACITY),
                    (Integer)typed.get(RINGS_SEND_RING_BYTES),
                    (Integer)typed.get(RINGS_RECEIVE_RING_BYTES)),
                interfaceConfigs,
                new UdpConfig(
                    (UdpTransport)typed.get(UDP_TRANSPORT),
                    (Integer)typed.get(UDP_MAX_MEMBERSHIPS),
                    new ReassemblyConfig(
                        (Integer)typed.get(UDP_REASSEMBLY_SLOTS),
                        (Integer)typed.get(UDP_REASSEMBLY_SLOT_BYTES),
                        (Integer)typed.get(UDP_REASSEMBLY_MAX_FRAGMENTS),
                        (Long)typed.get(UDP_REASSEMBLY_TIMEOUT))),
                new CountersConfig((Path)typed.get(COUNTERS_DIRECTORY)),
                new HarnessConfig(
                    (Integer)typed.get(HARNESS_MESSAGE_SIZE_BYTES),
                    (Long)typed.get(HARNESS_DURATION),
                    (Long)typed.get(HARNESS_WARMUP),
                    (Integer)typed.get(HARNESS_RATE_PER_SECOND)),
                effectiveStages);
            return new EffectiveConfig(config, file, values, topology);
        }

        private Object value(final String key, final KeySpec<?> spec, final List<ConfigValue> values)
        {
            final RawValue given = raw.get(key);
            if (given == null)
            {
                values.add(new ConfigValue(key, spec.defaultText(), ConfigSource.DEFAULT));
                return spec.defaultValue();
            }
            try
            {
                final Object value = spec.parse(given);
                values.add(new ConfigValue(key, spec.formatValue(value), given.source()));
                return value;
            }
            catch (final InvalidValueException ex)
            {
                problems.add(new ConfigProblem(key, given.shown(), ex.getMessage(), given.source()));
                return null;
            }
        }

        private void checkInterfaceName(final String name, final ConfigSource source)
        {
            final String reason = InterfaceNames.problem(name);
            if (reason != null)
            {
                problems.add(new ConfigProblem(INTERFACES + "." + name, null, reason, source));
            }
        }
    }

    private static Supplier<Set<String>> memoized(final Supplier<Set<String>> supplier)
    {
        final List<Set<String>> read = new ArrayList<>(1);
        return () ->
        {
            if (read.isEmpty())
            {
                read.add(supplier.get());
            }
            return read.getFirst();
        };
    }

    private static String interfaceKey(final String name, final String field)
    {
        return INTERFACES + "." + name + "." + field;
    }
}
