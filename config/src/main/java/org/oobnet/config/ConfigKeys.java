package org.oobnet.config;

import java.util.List;
import java.util.Locale;

import static org.oobnet.config.Configuration.*;

/**
 * The table of keys the loader accepts, built from {@link Configuration}: the fixed keys, and the fields of each
 * {@code [interfaces.NAME]} table.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param global          the fixed keys in the order {@code oobnet config --print} shows them.
 * @param interfaceFields the fields of an interface table.
 */
record ConfigKeys(List<KeySpec<?>> global, List<KeySpec<?>> interfaceFields)
{
    /** The tables of the file, in order. */
    static final List<String> SECTIONS = List.of("stage", "rings", INTERFACES, "udp", "counters", "harness");

    /**
     * The keys, with the CPU checked against a topology.
     *
     * @param topology this machine's CPUs.
     * @return the table.
     */
    static ConfigKeys of(final CpuTopology topology)
    {
        final ValueParser<Integer> ringBytes = ValueParsers.powerOfTwo(RINGS_RING_BYTES_MIN, RINGS_RING_BYTES_MAX, true);
        final ValueParser<Integer> ringFrames =
            ValueParsers.powerOfTwo(INTERFACE_RING_FRAMES_MIN, INTERFACE_RING_FRAMES_MAX, false);
        return new ConfigKeys(
            List.of(
                new KeySpec<>(STAGE_CPU, ValueParsers.cpu(topology), STAGE_CPU_DEFAULT),
                new KeySpec<>(
                    STAGE_IDLE_STRATEGY,
                    ValueParsers.oneOf(IdleStrategyType.class, IdleStrategyType::text),
                    STAGE_IDLE_STRATEGY_DEFAULT),
                new KeySpec<>(
                    STAGE_STALL_THRESHOLD,
                    ValueParsers.duration(STAGE_STALL_THRESHOLD_MIN_NS, STAGE_STALL_THRESHOLD_MAX_NS),
                    STAGE_STALL_THRESHOLD_DEFAULT_NS),
                new KeySpec<>(
                    RINGS_CONTROL_QUEUE_CAPACITY,
                    ValueParsers.powerOfTwo(RINGS_CONTROL_QUEUE_CAPACITY_MIN, RINGS_CONTROL_QUEUE_CAPACITY_MAX, false),
                    RINGS_CONTROL_QUEUE_CAPACITY_DEFAULT),
                new KeySpec<>(RINGS_SEND_RING_BYTES, ringBytes, RINGS_SEND_RING_BYTES_DEFAULT),
                new KeySpec<>(RINGS_RECEIVE_RING_BYTES, ringBytes, RINGS_RECEIVE_RING_BYTES_DEFAULT),
                new KeySpec<>(
                    UDP_TRANSPORT, ValueParsers.oneOf(UdpTransport.class, UdpTransport::text), UDP_TRANSPORT_DEFAULT),
                new KeySpec<>(
                    UDP_MAX_MEMBERSHIPS,
                    ValueParsers.integer(1, UDP_MAX_MEMBERSHIPS_MAX),
                    UDP_MAX_MEMBERSHIPS_DEFAULT),
                new KeySpec<>(
                    UDP_REASSEMBLY_SLOTS, ValueParsers.integer(0, UDP_REASSEMBLY_SLOTS_MAX), UDP_REASSEMBLY_SLOTS_DEFAULT),
                new KeySpec<>(
                    UDP_REASSEMBLY_SLOT_BYTES,
                    ValueParsers.integer(UDP_REASSEMBLY_SLOT_BYTES_MIN, UDP_REASSEMBLY_SLOT_BYTES_MAX),
                    UDP_REASSEMBLY_SLOT_BYTES_DEFAULT),
                new KeySpec<>(
                    UDP_REASSEMBLY_MAX_FRAGMENTS,
                    ValueParsers.integer(UDP_REASSEMBLY_MAX_FRAGMENTS_MIN, UDP_REASSEMBLY_MAX_FRAGMENTS_MAX),
                    UDP_REASSEMBLY_MAX_FRAGMENTS_DEFAULT),
                new KeySpec<>(
                    UDP_REASSEMBLY_TIMEOUT,
                    ValueParsers.duration(UDP_REASSEMBLY_TIMEOUT_MIN_NS, UDP_REASSEMBLY_TIMEOUT_MAX_NS),
                    UDP_REASSEMBLY_TIMEOUT_DEFAULT_NS),
                new KeySpec<>(COUNTERS_DIRECTORY, ValueParsers.absolutePath(), COUNTERS_DIRECTORY_DEFAULT),
                new KeySpec<>(
                    HARNESS_MESSAGE_SIZE_BYTES,
                    ValueParsers.integer(1, HARNESS_MESSAGE_SIZE_BYTES_MAX),
                    HARNESS_MESSAGE_SIZE_BYTES_DEFAULT),
                new KeySpec<>(
                    HARNESS_DURATION,
                    ValueParsers.duration(HARNESS_DURATION_MIN_NS, HARNESS_DURATION_MAX_NS),
                    HARNESS_DURATION_DEFAULT_NS),
                new KeySpec<>(
                    HARNESS_WARMUP, ValueParsers.duration(0, HARNESS_WARMUP_MAX_NS), HARNESS_WARMUP_DEFAULT_NS),
                new KeySpec<>(
                    HARNESS_RATE_PER_SECOND,
                    ValueParsers.integer(0, HARNESS_RATE_PER_SECOND_MAX),
                    HARNESS_RATE_PER_SECOND_DEFAULT)),
            List.of(
                new KeySpec<>(INTERFACE_RX_RING_FRAMES, ringFrames, INTERFACE_RX_RING_FRAMES_DEFAULT),
                new KeySpec<>(
                    INTERFACE_FRAME_SIZE,
                    ValueParsers.powerOfTwo(INTERFACE_FRAME_SIZE_MIN, INTERFACE_FRAME_SIZE_MAX, false),
                    INTERFACE_FRAME_SIZE_DEFAULT),
                new KeySpec<>(INTERFACE_TX_RING_FRAMES, ringFrames, INTERFACE_TX_RING_FRAMES_DEFAULT),
                new KeySpec<>(INTERFACE_QDISC_BYPASS, ValueParsers.bool(), INTERFACE_QDISC_BYPASS_DEFAULT)));
    }

    /**
     * The fixed key of that name.
     *
     * @param name a key path.
     * @return its spec, or null.
     */
    KeySpec<?> global(final String name)
    {
        for (final KeySpec<?> spec : global)
        {
            if (spec.name().equals(name))
            {
                return spec;
            }
        }
        return null;
    }

    /**
     * The interface field of that name.
     *
     * @param field a field name.
     * @return its spec, or null.
     */
    KeySpec<?> interfaceField(final String field)
    {
        for (final KeySpec<?> spec : interfaceFields)
        {
            if (spec.name().equals(field))
            {
                return spec;
            }
        }
        return null;
    }

    /**
     * The environment variable of a key: {@code stage.cpu} gives {@code OOBNET_STAGE_CPU}.
     *
     * @param key a key path.
     * @return the variable name.
     */
    static String envName(final String key)
    {
        final StringBuilder name = new StringBuilder(ENV_PREFIX);
        for (final char c : key.toUpperCase(Locale.ROOT).toCharArray())
        {
            name.append(Character.isLetterOrDigit(c) && c < 0x80 ? c : '_');
        }
        return name.toString();
    }
}
