package org.oobnet.harness.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

/**
 * The JSON form of run results: {@code summary.json} and {@code --json FILE} (an array, one object per run), and
 * the per-run file a measuring child process hands back to the orchestrating parent.
 * <p>
 * Fields that do not apply (no OOB stage: {@code stalls}, {@code stage_alloc_bytes}) are {@code null}, never a
 * made-up 0. <b>Note:</b> stateless, thread safe.
 */
public final class RunJson
{
    /**
     * A row's kernel drops of the measuring side's RX ring, the name the feed bench gives its rings' drops; null for
     * a row whose measuring side reads no ring of its own.
     */
    public static final String RING_KERNEL_DROPS = "ring_kernel_drops";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunJson()
    {
    }

    /**
     * @param result a run.
     * @return its JSON object.
     */
    public static ObjectNode toJson(final RunResult result)
    {
        final RunDescription run = result.run();
        final Histogram h = result.histogram();
        final ObjectNode o = MAPPER.createObjectNode();
        o.put("label", run.label());
        o.put("scenario", run.scenario());
        o.put("transport", run.transport());
        o.put("peer_kind", run.peerKind());
        o.put("network", run.network());
        o.put("size", run.sizeBytes());
        o.put("count", h.getTotalCount());
        o.put("cpu", run.cpu());
        o.put("peer_cpu", run.peerCpu());
        o.put("isolated", run.isolated());
        o.put("profile", run.profile());
        if (run.rateHz() > 0)
        {
            o.put("rate_hz", run.rateHz());
        }
        else
        {
            o.putNull("rate_hz");
        }
        o.put("requested_duration_ns", run.durationNs());
        o.put("requested_count", run.requestedCount());
        final ObjectNode rtt = o.putObject("rtt_ns");
        final boolean any = h.getTotalCount() > 0;
        rtt.put("min", any ? h.getMinValue() : 0);
        rtt.put("mean", any ? h.getMean() : 0);
        rtt.put("p25", h.getValueAtPercentile(25));
        rtt.put("p50", h.getValueAtPercentile(50));
        rtt.put("p75", h.getValueAtPercentile(75));
        rtt.put("p90", h.getValueAtPercentile(90));
        rtt.put("p99", h.getValueAtPercentile(99));
        rtt.put("p99_9", h.getValueAtPercentile(99.9));
        rtt.put("p99_99", h.getValueAtPercentile(99.99));
        rtt.put("p99_999", h.getValueAtPercentile(99.999));
        rtt.put("max", h.getMaxValue());
        o.put("warmup_count", result.warmupCount());
        o.put("warmup_ns", result.warmupNs());
        o.put("measured_ns", result.measuredNs());
        o.put("lost", result.lost());
        putApplicable(o, RING_KERNEL_DROPS, result.ringKernelDrops());
        o.put("overruns", result.overruns());
        putApplicable(o, "stalls", result.stalls());
        putApplicable(o, "stage_alloc_bytes", result.stageAllocBytes());
        o.put("client_alloc_bytes", result.clientAllocBytes());
        o.put("clamped", result.clamped());
        o.set("hops", HopsReport.toJson(result));
        o.set("peer_hops", HopsReport.peerJson(result));
        o.set("sched", SchedBlock.toJson(result.sched()));
        o.set("jit", JitBlock.toJson(result.jit()));
        final ObjectNode gc = o.putObject("gc");
        gc.put("collections", result.gc().totalCollections());
        gc.put("time_ms", result.gc().totalTimeMs());
        final ObjectNode byCollector = gc.putObject("by_collector");
        result.gc().collections().forEach((name, n) ->
        {
            final ObjectNode c = byCollector.putObject(name);
            c.put("collections", n);
            c.put("time_ms", result.gc().timesMs().getOrDefault(name, 0L));
        });
        return o;
    }

    /**
     * Reads back what {@link #toJson(RunResult)} wrote; the histogram comes separately (from the interval log).
     *
     * @param o         the run's object.
     * @param histogram the run's histogram.
     * @return the result.
     */
    public static RunResult fromJson(final JsonNode o, final Histogram histogram)
    {
        final RunDescription run = new RunDescription(
            o.path("label").asText(), o.path("scenario").asText(), o.path("transport").asText(),
            o.path("peer_kind").asText(), o.path("size").asInt(), o.path("cpu").asInt(-1),
            o.path("isolated").asBoolean(), o.path("peer_cpu").asInt(-1), o.path("rate_hz").asLong(0),
            o.path("profile").asBoolean(), o.path("network").asText(), o.path("requested_duration_ns").asLong(),
            o.path("requested_count").asLong());
        final Map<String, Long> counts = new LinkedHashMap<>();
        final Map<String, Long> times = new LinkedHashMap<>();
        o.path("gc").path("by_collector").properties().forEach(e ->
        {
            counts.put(e.getKey(), e.getValue().path("collections").asLong());
            times.put(e.getKey(), e.getValue().path("time_ms").asLong());
        });
        return new RunResult(run, histogram, o.path("warmup_count").asLong(), o.path("warmup_ns").asLong(),
            o.path("lost").asLong(), o.path("overruns").asLong(), applicable(o.path("stalls")),
            applicable(o.path("stage_alloc_bytes")), o.path("client_alloc_bytes").asLong(),
            new GcDelta(counts, times), o.path("measured_ns").asLong(), o.path("clamped").asLong(),
            HopsReport.fromJson(o.get("hops")), HopsReport.fromJson(o.get("peer_hops")), null,
            JitBlock.fromJson(o.get("jit")), List.of(RoundPercentiles.of(histogram)),
            applicable(o.path(RING_KERNEL_DROPS)));
    }

    /**
     * Writes an array with one object per run, each with {@code ratio_to_floor} (its p50, p99 and p99.9 over its C
     * floor row's, see {@link FloorReference}, and the p50 and p99 ratios round by round, {@code rounds_p50} and
     * {@code rounds_p99}, with their medians and 95 % intervals, {@code rounds_p50_median} and
     * {@code rounds_p99_median} ({@link MedianInterval}: {@code lower}/{@code upper} null below six rounds); null
     * without one).
     *
     * @param file    the file to write.
     * @param results the runs.
     * @throws IOException when the file cannot be written.
     */
    public static void writeSummary(final Path file, final List<RunResult> results) throws IOException
    {
        final ArrayNode array = MAPPER.createArrayNode();
        for (final RunResult result : results)
        {
            final ObjectNode o = toJson(result);
            final RunResult floor = FloorReference.of(results, result);
            if (floor == null)
            {
                o.putNull("ratio_to_floor");
            }
            else
            {
                final ObjectNode ratio = o.putObject("ratio_to_floor");
                ratio.put("floor", floor.run().label());
                putRatio(ratio, "p50", FloorReference.ratio(result, floor, 50));
                putRatio(ratio, "p99", FloorReference.ratio(result, floor, 99));
                putRatio(ratio, "p99_9", FloorReference.ratio(result, floor, 99.9));
                final double[] p50 = FloorReference.roundRatios(result, floor, 50);
                final double[] p99 = FloorReference.roundRatios(result, floor, 99);
                putRoundRatios(ratio.putArray("rounds_p50"), p50);
                putRoundRatios(ratio.putArray("rounds_p99"), p99);
                putMedian(ratio, "rounds_p50_median", p50);
                putMedian(ratio, "rounds_p99_median", p99);
                ratio.set("hops", HopsReport.floorRatioJson(result, floor));
            }
            array.add(o);
        }
        write(file, array);
    }

    /**
     * @param file a file.
     * @param node what to write in it, indented.
     * @throws IOException when the file cannot be written.
     */
    public static void write(final Path file, final JsonNode node) throws IOException
    {
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        MAPPER.writeValue(file.toFile(), node);
    }

    /**
     * @param file a JSON file.
     * @return its tree.
     * @throws IOException when it cannot be read or parsed.
     */
    public static JsonNode read(final Path file) throws IOException
    {
        return MAPPER.readTree(file.toFile());
    }

    private static void putRatio(final ObjectNode o, final String name, final double ratio)
    {
        if (Double.isNaN(ratio))
        {
            o.putNull(name);
        }
        else
        {
            o.put(name, ratio);
        }
    }

    /**
     * Writes the {@link MedianInterval} of a ratio per round as {@code n}, {@code median}, {@code lower},
     * {@code upper} (null without an interval) and {@code coverage}; null when no ratio is left.
     *
     * @param ratio  the object to put it in.
     * @param name   its key, e.g. {@code rounds_p50_median}.
     * @param rounds a ratio per round (NaN ones left out).
     */
    public static void putMedian(final ObjectNode ratio, final String name, final double[] rounds)
    {
        final MedianInterval median = MedianInterval.of(rounds, MedianInterval.CONFIDENCE);
        if (median.n() == 0)
        {
            ratio.putNull(name);
            return;
        }
        final ObjectNode o = ratio.putObject(name);
        o.put("n", median.n());
        o.put("median", median.median());
        if (median.hasInterval())
        {
            o.put("lower", median.lower());
            o.put("upper", median.upper());
        }
        else
        {
            o.putNull("lower");
            o.putNull("upper");
        }
        o.put("coverage", median.coverage());
    }

    /**
     * @param array  where the ratios go, one per round, null for a round without one.
     * @param ratios a ratio per round.
     */
    public static void putRoundRatios(final ArrayNode array, final double[] ratios)
    {
        for (final double ratio : ratios)
        {
            if (Double.isNaN(ratio))
            {
                array.addNull();
            }
            else
            {
                array.add(ratio);
            }
        }
    }

    private static void putApplicable(final ObjectNode o, final String name, final long value)
    {
        if (value < 0)
        {
            o.putNull(name);
        }
        else
        {
            o.put(name, value);
        }
    }

    private static long applicable(final JsonNode node)
    {
        return node.isNull() || node.isMissingNode() ? -1 : node.asLong();
    }
}
