package org.oobnet.core.counters;

import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.agrona.concurrent.status.CountersReader;
import org.oobnet.core.DeviceHealth;

/**
 * The stages of a counters file, each with the devices under it, one line each: {@code stage [<name> ]cpu=N
 * isolated|noisol cycles= stalls= max-cycle-ns= allocated-bytes= sockets= devices=}, then {@code   device
 * <name>: sockets= health= <its counters>}; before the devices, each hop the stage recorded ({@link StageHops}):
 * {@code   hop <hop>: count= p50-ns= p99-ns= max-ns=} (percentiles are bucket lower bounds, at most 25% low). A one-stage runtime's labels carry no stage name; with several, stage
 * labels end with {@link StageCounters#STAGE_LABEL_SEPARATOR}{@code <stage>} and device names with
 * {@link DeviceCounters#STAGE_SEPARATOR}{@code <stage>}. Used by {@code oobnet stat} and {@code oobnet net query}.
 * <p>
 * <b>Note:</b> stateless; reads each counter once.
 */
public final class StageSummary
{
    private StageSummary()
    {
    }

    /**
     * Prints one line per stage, each followed by its devices.
     *
     * @param out              where.
     * @param counters         the counters file's counters.
     * @param fallbackCpu      the stage CPU to show when the file has no per-stage CPU counter (an older runtime).
     * @param fallbackIsolated whether that CPU is isolated.
     * @param indent           put before each line.
     */
    public static void print(
        final PrintWriter out,
        final CountersReader counters,
        final int fallbackCpu,
        final boolean fallbackIsolated,
        final String indent)
    {
        final Map<String, Map<OobCounterType, Long>> stages = new LinkedHashMap<>();
        final Map<String, StringBuilder> devices = new LinkedHashMap<>();
        counters.forEach((value, id, label) ->
        {
            final OobCounterType type = OobCounterType.of(counters.getCounterTypeId(id));
            if (null == type)
            {
                return;
            }
            if (type.typeId() < 100)
            {
                final String stage = StageCounters.stageOf(label);
                stages.computeIfAbsent(null == stage ? "" : stage, n -> new EnumMap<>(OobCounterType.class))
                    .put(type, value);
                return;
            }
            final int colon = label.indexOf(": ");
            if (type.typeId() < 300 || !label.startsWith(OobCounterType.DEVICE_LABEL_PREFIX) || colon < 0)
            {
                return;
            }
            final String name = label.substring(OobCounterType.DEVICE_LABEL_PREFIX.length(), colon);
            final String counter = label.substring(colon + 2);
            final StringBuilder line = devices.computeIfAbsent(name, n -> new StringBuilder());
            if (OobCounterType.DEVICE_HEALTH == type)
            {
                final DeviceHealth[] healths = DeviceHealth.values();
                line.append(" health=").append(value >= 0 && value < healths.length ?
                    healths[(int)value].name().toLowerCase(Locale.ROOT) : Long.toString(value));
            }
            else if (value != 0 || !counter.startsWith("drops "))
            {
                line.append(' ').append(counter.replace(' ', '-')).append('=').append(value);
            }
        });
        if (stages.isEmpty())
        {
            stages.put("", new EnumMap<>(OobCounterType.class));
        }
        final Map<String, Map<StageHop, HopSnapshot>> hops = HopSnapshot.readAll(counters);
        final boolean several = stages.size() > 1;
        stages.forEach((name, stage) ->
        {
            // a file of an older runtime has no per-stage CPU counters: the header's
            final long cpu = stage.containsKey(OobCounterType.STAGE_CPU) ?
                stage.get(OobCounterType.STAGE_CPU) : fallbackCpu;
            final boolean isolated = stage.containsKey(OobCounterType.STAGE_ISOLATED) ?
                1 == stage.get(OobCounterType.STAGE_ISOLATED) : fallbackIsolated;
            out.printf("%sstage %scpu=%d%s cycles=%d stalls=%d max-cycle-ns=%d allocated-bytes=%d sockets=%d devices=%d%n",
                indent, name.isEmpty() ? "" : name + " ", cpu, isolated ? " isolated" : " noisol",
                stage.getOrDefault(OobCounterType.STAGE_CYCLES, 0L), stage.getOrDefault(OobCounterType.STAGE_STALLS, 0L),
                stage.getOrDefault(OobCounterType.STAGE_MAX_CYCLE_NS, 0L),
                stage.getOrDefault(OobCounterType.STAGE_ALLOCATED_BYTES, 0L),
                stage.getOrDefault(OobCounterType.STAGE_SOCKETS, 0L), stage.getOrDefault(OobCounterType.STAGE_DEVICES, 0L));
            hops.getOrDefault(name, Map.of()).values().forEach(hop ->
            {
                if (hop.count() > 0)
                {
                    out.printf("%s  hop %s: count=%d p50-ns=%d p99-ns=%d max-ns=%d%n", indent, hop.hop().label(),
                        hop.count(), hop.valueAtPercentile(50), hop.valueAtPercentile(99), hop.maxNs());
                }
            });
            devices.forEach((device, line) ->
            {
                final int at = several ? device.lastIndexOf(DeviceCounters.STAGE_SEPARATOR) : -1;
                if (name.equals(at < 0 ? "" : device.substring(at + 1)))
                {
                    out.printf("%s  device %s:%s%n", indent, at < 0 ? device : device.substring(0, at), line);
                }
            });
        });
    }
}
