package org.oobnet.harness.bench.run;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of a comparison: a scenario ({@code udp} over one of its transports, {@code packet}: raw frames on
 * rings, or {@code floor}: the C ring ping-pong, raw or UDP-framed), with or without the low-latency JVM profile.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param label     the row's name, e.g. {@code udp-inband} or {@code udp-inband-noprofile}.
 * @param scenario  {@code udp}, {@code packet} or {@code floor}.
 * @param transport the transport's name ({@code oob} or {@code rings} for {@code packet}, the framing {@code raw} or
 *                  {@code udp} for {@code floor}).
 * @param profile   whether the child JVMs get the low-latency profile.
 * @param jvmFlags  more flags for the row's child JVMs (a variant of the row), usually none.
 */
public record RowSpec(String label, String scenario, String transport, boolean profile, List<String> jvmFlags)
{
    /**
     * A row without extra JVM flags.
     *
     * @param label     the row's name.
     * @param scenario  {@code udp}, {@code packet} or {@code floor}.
     * @param transport the transport's (or framing's) name.
     * @param profile   whether the child JVMs get the low-latency profile.
     */
    public RowSpec(final String label, final String scenario, final String transport, final boolean profile)
    {
        this(label, scenario, transport, profile, List.of());
    }

    /**
     * @param name  the variant's name, appended to the label ({@code packet-oob-<name>}).
     * @param flags its JVM flags, for both sides' JVMs.
     * @return the variant of this row.
     * @throws IllegalArgumentException for a floor row (no JVM).
     */
    public RowSpec variant(final String name, final List<String> flags)
    {
        if (FLOOR.equals(scenario))
        {
            throw new IllegalArgumentException("row=" + label + " runs no JVM: it has no variants");
        }
        final List<String> all = new ArrayList<>(jvmFlags);
        all.addAll(flags);
        return new RowSpec(label + "-" + name, scenario, transport, profile, List.copyOf(all));
    }

    /** The raw-frame scenario. */
    public static final String PACKET = "packet";
    /** The UDP scenario. */
    public static final String UDP = "udp";
    /** The C floor scenario (no JVM: the profile does not apply). */
    public static final String FLOOR = org.oobnet.harness.report.FloorReference.SCENARIO;

    /**
     * @param framing {@code raw} (EtherType) or {@code udp} (IPv4/UDP framed by hand).
     * @return the floor row, labelled {@code floor-raw} or {@code floor-udp}.
     */
    public static RowSpec floor(final String framing)
    {
        return new RowSpec(FLOOR + "-" + framing, FLOOR, framing, false);
    }

    /**
     * @param transport the UDP transport's name.
     * @param profile   whether the profile is on.
     * @return the row with its conventional label.
     */
    public static RowSpec of(final String transport, final boolean profile)
    {
        return new RowSpec("udp-" + transport + (profile ? "" : "-noprofile"), UDP, transport, profile);
    }

    /**
     * @param path    {@code oob} (through the stage) or {@code rings} (the rings directly).
     * @param profile whether the profile is on.
     * @return the raw-frame row.
     */
    public static RowSpec packet(final String path, final boolean profile)
    {
        return new RowSpec("packet-" + path + (profile ? "" : "-noprofile"), PACKET, path, profile);
    }

    /**
     * @param spec {@code udp/<transport>} or {@code packet}.
     * @param profile whether the profile is on.
     * @return the row.
     * @throws IllegalArgumentException naming the spec.
     */
    public static RowSpec parse(final String spec, final boolean profile)
    {
        final String s = spec.trim();
        if (s.equals(PACKET) || s.equals(PACKET + "/oob"))
        {
            return packet("oob", profile);
        }
        if (s.equals(PACKET + "/rings"))
        {
            return packet("rings", profile);
        }
        if (s.equals(FLOOR + "/raw") || s.equals(FLOOR + "/udp"))
        {
            return floor(s.substring(FLOOR.length() + 1));
        }
        if (s.startsWith(UDP + "/"))
        {
            final String transport = s.substring(UDP.length() + 1);
            org.oobnet.harness.bench.transport.Transports.byName(transport);
            return of(transport, profile);
        }
        throw new IllegalArgumentException("run=" + spec + " is not udp/<transport>, packet, packet/oob, " +
            "packet/rings, floor/raw or floor/udp");
    }

    /**
     * @return whether the row's JVMs do their work on an OOB stage (raw frames through the stage, or a UDP
     *         transport of oob-udp), so that only the stage is pinned to the row's CPU.
     */
    public boolean onStage()
    {
        return PACKET.equals(scenario) ? "oob".equals(transport)
            : UDP.equals(scenario) && org.oobnet.harness.bench.transport.Transports.byName(transport).onStage();
    }

    /**
     * @return whether the row needs two namespaces (raw frames on a real interface).
     */
    public boolean needsNamespaces()
    {
        return PACKET.equals(scenario) || FLOOR.equals(scenario) ||
            org.oobnet.harness.bench.transport.Transports.byName(transport).needsInterface();
    }
}
