package org.oobnet.harness.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import org.agrona.concurrent.status.CountersReader;
import org.oobnet.core.counters.CountersFileReader;
import org.oobnet.core.counters.DeviceCounters;
import org.oobnet.core.counters.HopSnapshot;
import org.oobnet.core.counters.OobCounterType;
import org.oobnet.core.counters.StageCounters;
import org.oobnet.core.counters.StageHop;

/**
 * One reading of a runtime's counters file as Prometheus metric families: the stages' counters
 * ({@code oobnet_stage_*}, labelled {@code stage} when the runtime has several), each stage device's
 * ({@code oobnet_device_*{device, stage}}), every socket's ({@code oobnet_socket_*{protocol, fd, socket}}), the protocols' own
 * ({@code oobnet_<protocol>_*{fd, socket}}), the stall histogram's buckets
 * ({@code oobnet_stage_stalls_by_duration{range}}), the per-hop timestamps (summary {@code oobnet_stage_hop_ns{hop}}) and the runtime itself ({@code oobnet_runtime_info},
 * {@code oobnet_runtime_running}). Counters whose type this class does not know (a newer runtime's) still appear,
 * as gauges named after their label.
 * <p>
 * <b>Note:</b> in-band; stateless.
 */
public final class CounterMetrics
{
    // "<counter>: <protocol> fd=<fd> id=<socket id>", the label oob-core gives socket and protocol counters
    private static final Pattern SOCKET_LABEL = Pattern.compile("^(.+): (\\S+) fd=(-?\\d+) id=(\\d+)$");

    private CounterMetrics()
    {
    }

    /**
     * Reads every counter once.
     *
     * @param reader an open counters file.
     * @return the metric families, in the file's order of first appearance.
     */
    public static MetricSnapshots read(final CountersFileReader reader)
    {
        final Map<String, Family> families = new LinkedHashMap<>();
        family(families, "oobnet_runtime_running", "1 while the process that owns the counters file is alive", false)
            .add(Labels.EMPTY, reader.isOwnerAlive() ? 1 : 0);
        family(families, "oobnet_runtime_info", "The runtime that owns the counters file (always 1)", false)
            .add(Labels.of("path", reader.path().toString(), "pid", Long.toString(reader.pid()),
                "stage_cpu", Integer.toString(reader.stageCpu()), "isolated", Boolean.toString(reader.isIsolated())), 1);
        final CountersReader counters = reader.counters();
        counters.forEach((value, id, label) -> add(families, counters.getCounterTypeId(id), label, value));
        final List<MetricSnapshot> snapshots = new ArrayList<>(families.size());
        for (final Family family : families.values())
        {
            snapshots.add(family.snapshot());
        }
        final SummarySnapshot hops = hops(counters);
        if (null != hops)
        {
            snapshots.add(hops);
        }
        return new MetricSnapshots(snapshots);
    }

    // the stages' per-hop histograms as one summary: p50, p99 and the max (quantile 1), count; no sum kept
    private static SummarySnapshot hops(final CountersReader counters)
    {
        final Map<String, Map<StageHop, HopSnapshot>> stages = HopSnapshot.readAll(counters);
        if (stages.isEmpty())
        {
            return null;
        }
        final SummarySnapshot.Builder builder = SummarySnapshot.builder().name("oobnet_stage_hop_ns")
            .help("Per-hop timestamps on the stage, ns (quantiles are log-linear bucket lower bounds, 1 is the max)");
        stages.forEach((stage, hops) -> hops.values().forEach(hop -> builder.dataPoint(
            SummaryDataPointSnapshot.builder()
                .labels(withStage(Labels.of("hop", hop.hop().label()), stage.isEmpty() ? null : stage))
                .count(hop.count())
                .sum(hop.sumNs())
                .quantiles(Quantiles.of(new Quantile(0.5, hop.valueAtPercentile(50)),
                    new Quantile(0.99, hop.valueAtPercentile(99)), new Quantile(1.0, hop.maxNs())))
                .build())));
        return builder.build();
    }

    private static void add(final Map<String, Family> families, final int typeId, final String label, final long value)
    {
        final OobCounterType type = OobCounterType.of(typeId);
        if (type == OobCounterType.HOP_BUCKET || type == OobCounterType.HOP_COUNT || type == OobCounterType.HOP_MAX_NS ||
            type == OobCounterType.HOP_SUM_NS)
        {
            // one summary for all of them (hops)
            return;
        }
        if (type == OobCounterType.STALL_BUCKET)
        {
            final String stage = StageCounters.stageOf(label);
            final String range = label.substring(type.label().length(),
                label.length() - (null == stage ? 0 : StageCounters.STAGE_LABEL_SEPARATOR.length() + stage.length()));
            family(families, "oobnet_stage_stalls_by_duration",
                "Stage cycles longer than the stall threshold, by duration (log2 buckets)", true)
                .add(withStage(Labels.of("range", range.trim()), stage), value);
            return;
        }
        if (type != null && type.typeId() >= OobCounterType.DEVICE_SOCKETS.typeId() &&
            label.startsWith(OobCounterType.DEVICE_LABEL_PREFIX) && label.contains(": "))
        {
            // "device <name>[@<stage>]: <counter>": one family per counter, labelled by device (and stage)
            final int colon = label.indexOf(": ");
            final String device = label.substring(OobCounterType.DEVICE_LABEL_PREFIX.length(), colon);
            final String counter = label.substring(colon + 2);
            final int at = device.lastIndexOf(DeviceCounters.STAGE_SEPARATOR);
            final Labels labels = at < 0 ? Labels.of("device", device) :
                Labels.of("device", device.substring(0, at), "stage", device.substring(at + 1));
            family(families, "oobnet_device_" + name(counter), "Per stage device: " + counter,
                type == OobCounterType.DEVICE_COUNTER).add(labels, value);
            return;
        }
        final Matcher socket = SOCKET_LABEL.matcher(label);
        if (type != null && type.isSocketCounter() && socket.matches())
        {
            family(families, "oobnet_socket_" + name(type.label()), "Per OOB socket: " + type.label(), true)
                .add(socketLabels(socket, true), value);
        }
        else if (type != null && !type.isSocketCounter())
        {
            family(families, "oobnet_stage_" + name(type.label().replaceFirst("^stage ", "")),
                "The OOB stage: " + type.label(), !isGauge(type))
                .add(withStage(Labels.EMPTY, StageCounters.stageOf(label)), value);
        }
        else if (typeId >= OobCounterType.FIRST_PROTOCOL_TYPE_ID && socket.matches())
        {
            family(families, "oobnet_" + name(socket.group(2)) + "_" + name(socket.group(1)),
                "Per " + socket.group(2) + " socket: " + socket.group(1), true)
                .add(socketLabels(socket, false), value);
        }
        else
        {
            // a counter this reader does not know: kept, as a gauge (nothing is assumed about it)
            family(families, "oobnet_" + name(label.contains(":") ? label.substring(0, label.indexOf(':')) : label),
                "Counter type " + typeId + ": " + label, false)
                .add(socket.matches() ? socketLabels(socket, true) : Labels.EMPTY, value);
        }
    }

    private static boolean isGauge(final OobCounterType type)
    {
        return type == OobCounterType.STAGE_MAX_CYCLE_NS || type == OobCounterType.STAGE_SOCKETS ||
            type == OobCounterType.STALL_THRESHOLD_NS || type == OobCounterType.STAGE_DEVICES ||
            type == OobCounterType.STAGE_CPU || type == OobCounterType.STAGE_ISOLATED;
    }

    // several stages: each stage counter carries its stage's name (one stage: no label, as before)
    private static Labels withStage(final Labels labels, final String stage)
    {
        return null == stage ? labels : labels.merge(Labels.of("stage", stage));
    }

    private static Labels socketLabels(final Matcher socket, final boolean withProtocol)
    {
        return withProtocol
            ? Labels.of("protocol", socket.group(2), "fd", socket.group(3), "socket", socket.group(4))
            : Labels.of("fd", socket.group(3), "socket", socket.group(4));
    }

    // a label ("packets in", "stall threshold ns") as a metric name part: lower case, [a-z0-9_] only
    static String name(final String label)
    {
        return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    private static Family family(
        final Map<String, Family> families, final String name, final String help, final boolean counter)
    {
        return families.computeIfAbsent(name, n -> new Family(n, help, counter));
    }

    // the data points of one metric family, gathered before the snapshot is built
    private static final class Family
    {
        private final String name;
        private final String help;
        private final boolean counter;
        private final List<Labels> labels = new ArrayList<>();
        private final List<Long> values = new ArrayList<>();

        Family(final String name, final String help, final boolean counter)
        {
            this.name = name;
            this.help = help;
            this.counter = counter;
        }

        Family add(final Labels pointLabels, final long value)
        {
            labels.add(pointLabels);
            values.add(value);
            return this;
        }

        MetricSnapshot snapshot()
        {
            if (counter)
            {
                final CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
                for (int i = 0; i < labels.size(); i++)
                {
                    builder.dataPoint(CounterDataPointSnapshot.builder().labels(labels.get(i)).value(values.get(i))
                        .build());
                }
                return builder.build();
            }
            final GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
            for (int i = 0; i < labels.size(); i++)
            {
                builder.dataPoint(GaugeDataPointSnapshot.builder().labels(labels.get(i)).value(values.get(i)).build());
            }
            return builder.build();
        }
    }
}
