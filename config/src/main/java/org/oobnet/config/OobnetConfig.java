package org.oobnet.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole runtime configuration of oobnet, typed and checked. Obtain one with {@link #load(Optional)}
 * (file, environment, system properties) or {@link #defaults()}; keys and defaults are in {@link Configuration}.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param stage      the settings of the first OOB stage (of the only one without a {@code [[stage]]} list).
 * @param rings      the rings between the stages.
 * @param interfaces the interfaces configured, in the order given.
 * @param udp        oob-udp.
 * @param counters   the counters file.
 * @param harness    the latency harness' defaults.
 * @param stages     every OOB stage in the order given, the first one with the settings {@code stage}; one
 *                   {@link StageDefinition#single(StageConfig)} without a {@code [[stage]]} list.
 */
public record OobnetConfig(
    StageConfig stage,
    RingsConfig rings,
    List<InterfaceConfig> interfaces,
    UdpConfig udp,
    CountersConfig counters,
    HarnessConfig harness,
    List<StageDefinition> stages)
{
    /**
     * Checks the components and copies the list.
     *
     * @param stage      the OOB stage.
     * @param rings      the rings between the stages.
     * @param interfaces the interfaces configured, in the order given.
     * @param udp        oob-udp.
     * @param counters   the counters file.
     * @param harness    the latency harness' defaults.
     * @param stages     every OOB stage, the first one with the settings {@code stage}.
     */
    public OobnetConfig
    {
        stages = List.copyOf(stages);
        if (stages.isEmpty() || !stages.getFirst().settings().equals(stage))
        {
            throw new IllegalArgumentException("the first of the stages " + stages + " must have the settings " + stage);
        }
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(rings, "rings");
        interfaces = List.copyOf(interfaces);
        Objects.requireNonNull(udp, "udp");
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(harness, "harness");
    }

    /**
     * A configuration with one stage, {@link StageDefinition#single(StageConfig)}: as before stage lists existed.
     *
     * @param stage      the OOB stage.
     * @param rings      the rings between the stages.
     * @param interfaces the interfaces configured, in the order given.
     * @param udp        oob-udp.
     * @param counters   the counters file.
     * @param harness    the latency harness' defaults.
     */
    public OobnetConfig(
        final StageConfig stage,
        final RingsConfig rings,
        final List<InterfaceConfig> interfaces,
        final UdpConfig udp,
        final CountersConfig counters,
        final HarnessConfig harness)
    {
        this(stage, rings, interfaces, udp, counters, harness,
            List.of(StageDefinition.single(Objects.requireNonNull(stage, "stage"))));
    }

    /**
     * Loads this process' configuration: defaults, the file, {@code OOBNET_*} variables, {@code -Doobnet.*}
     * properties, checked against this machine's CPUs.
     *
     * @param file a TOML file; when empty, the {@code oobnet.config} property or {@code OOBNET_CONFIG} names one,
     *             or there is none.
     * @return the configuration.
     * @throws ConfigException listing every problem, when any value is refused.
     */
    public static OobnetConfig load(final Optional<Path> file)
    {
        return ConfigLoader.fromEnvironment().load(file).config();
    }

    /**
     * Every key at its default, no interface; reads nothing.
     *
     * @return the configuration.
     */
    public static OobnetConfig defaults()
    {
        return new OobnetConfig(
            new StageConfig(
                Configuration.STAGE_CPU_DEFAULT,
                Configuration.STAGE_IDLE_STRATEGY_DEFAULT,
                Configuration.STAGE_STALL_THRESHOLD_DEFAULT_NS),
            new RingsConfig(
                Configuration.RINGS_CONTROL_QUEUE_CAPACITY_DEFAULT,
                Configuration.RINGS_SEND_RING_BYTES_DEFAULT,
                Configuration.RINGS_RECEIVE_RING_BYTES_DEFAULT),
            List.of(),
            new UdpConfig(Configuration.UDP_TRANSPORT_DEFAULT),
            new CountersConfig(Configuration.COUNTERS_DIRECTORY_DEFAULT),
            new HarnessConfig(
                Configuration.HARNESS_MESSAGE_SIZE_BYTES_DEFAULT,
                Configuration.HARNESS_DURATION_DEFAULT_NS,
                Configuration.HARNESS_WARMUP_DEFAULT_NS,
                Configuration.HARNESS_RATE_PER_SECOND_DEFAULT));
    }

    /**
     * The settings of an interface: as configured, else every field at its default.
     *
     * @param name the interface name.
     * @return its settings.
     */
    public InterfaceConfig interfaceConfig(final String name)
    {
        for (final InterfaceConfig config : interfaces)
        {
            if (config.name().equals(name))
            {
                return config;
            }
        }
        return InterfaceConfig.defaults(name);
    }

    /**
     * A copy with other settings of the first stage, for tests and embedding programs.
     *
     * @param stage the stage settings.
     * @return the copy.
     */
    public OobnetConfig withStage(final StageConfig stage)
    {
        final List<StageDefinition> copy = new ArrayList<>(stages);
        final StageDefinition first = copy.getFirst();
        copy.set(0, new StageDefinition(first.name(), stage, first.interfaces()));
        return new OobnetConfig(stage, rings, interfaces, udp, counters, harness, copy);
    }

    /**
     * A copy with other stages, for tests and embedding programs.
     *
     * @param stages the stages; the first one's settings become {@link #stage()}.
     * @return the copy.
     */
    public OobnetConfig withStages(final List<StageDefinition> stages)
    {
        return new OobnetConfig(stages.getFirst().settings(), rings, interfaces, udp, counters, harness, stages);
    }

    /**
     * A copy with other interfaces.
     *
     * @param interfaces the interfaces.
     * @return the copy.
     */
    public OobnetConfig withInterfaces(final List<InterfaceConfig> interfaces)
    {
        return new OobnetConfig(stage, rings, interfaces, udp, counters, harness, stages);
    }
}
