package org.oobnet.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportingTest
{
    private static final RunDescription RUN = new RunDescription("udp-inband", "udp", "inband", "oobnet", 64, 1,
        false, 0, 0, true, "veth", 0, 100_000);

    @TempDir
    Path dir;

    /** Uniform 1..100000 µs, one observation each: every percentile is known exactly. */
    private static Histogram uniform()
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        recorder.restart();
        for (long us = 1; us <= 100_000; us++)
        {
            recorder.recordNs(us * 1000);
        }
        recorder.swapInterval();
        final Histogram h = LatencyRecorder.newHistogram();
        h.add(recorder.total());
        return h;
    }

    private static RunResult result(final Histogram h)
    {
        return new RunResult(RUN, h, 500, 1_000_000_000L, 3, 2, -1, -1, 4096,
            new GcDelta(Map.of("Copy", 2L), Map.of("Copy", 7L)), 20_000_000_000L, 0);
    }

    @Test
    void shouldReportPercentilesOfAKnownDistributionWithinRecorderPrecision()
    {
        final Histogram h = uniform();
        assertEquals(100_000, h.getTotalCount());
        for (final double p : SockperfSummary.PERCENTILES)
        {
            final double expectedNs = p / 100.0 * 100_000 * 1000;
            final double actual = h.getValueAtPercentile(p);
            assertTrue(Math.abs(actual - expectedNs) <= expectedNs * 0.001 + 1000,
                "p" + p + " expected " + expectedNs + " got " + actual);
        }
        assertEquals(1000, h.getMinValue());
        assertEquals(100_000_000, h.getMaxValue(), 100_000_000 * 0.001);
    }

    @Test
    void shouldClampValuesAboveTheRangeAndCountThem()
    {
        final LatencyRecorder recorder = new LatencyRecorder();
        recorder.recordNs(LatencyRecorder.HIGHEST_TRACKABLE_NS * 2);
        recorder.recordNs(-5);
        final Histogram interval = recorder.swapInterval();
        assertEquals(2, interval.getTotalCount());
        assertEquals(1, recorder.clampedCount());
        assertEquals(0, interval.getMinValue());
    }

    @Test
    void shouldPrintLatmusLinesWithRunningBestAndWorst()
    {
        final LatmusLines lines = new LatmusLines();
        final Histogram first = LatencyRecorder.newHistogram();
        // below 2048 ns the histogram is exact at 3 significant digits
        first.recordValue(1_000);
        first.recordValue(2_000);
        final Histogram second = LatencyRecorder.newHistogram();
        second.recordValue(500);
        assertEquals("RTD|      1.000|      1.500|      2.000|       2|        -|      1.000|      2.000",
            lines.rtd(first, 2, -1));
        assertEquals("RTD|      0.500|      0.500|      0.500|       0|        3|      0.500|      2.000",
            lines.rtd(second, 0, 3));
        assertEquals("RTD|          -|          -|          -|       0|        -|      0.500|      2.000",
            lines.rtd(LatencyRecorder.newHistogram(), 0, -1));
        assertEquals("RTH|----lat min|----lat avg|----lat max|-overrun|---stalls|---lat best|--lat worst",
            LatmusLines.COLUMNS);
    }

    @Test
    void shouldPrintLatmusHeaderWithNoisolAndRate()
    {
        assertEquals("RTT|  100000 exchanges  (udp/inband, 64 bytes, ping-pong, CPU1-noisol)",
            LatmusLines.header(RUN));
        final RunDescription paced = new RunDescription("x", "udp", "inband", "oobnet", 64, 3, true, 2, 10_000,
            false, "veth", 20_000_000_000L, 0);
        assertEquals("RTT|  00:00:20  (udp/inband, 64 bytes, 10000 Hz (100.000 us period), CPU3, profile off)",
            LatmusLines.header(paced));
        final Histogram h = LatencyRecorder.newHistogram();
        h.recordValue(2_000);
        assertEquals("RTS|      2.000|      2.000|      2.000|       0|        -|    00:00:20/00:00:20",
            LatmusLines.rts(h, 0, -1, 20_000_000_000L, paced));
    }

    @Test
    void shouldPrintSockperfSummaryWithEveryPercentile()
    {
        final List<String> lines = SockperfSummary.lines(result(uniform()));
        assertTrue(lines.get(0).contains("warm-up=500 samples"), lines.get(0));
        assertTrue(lines.get(0).contains("GC=2 collections, 7 ms"), lines.get(0));
        assertTrue(lines.contains("oobnet: Total 100000 observations; each percentile contains 1000.00 observations"));
        final String median = lines.stream().filter(l -> l.startsWith("oobnet: ---> percentile 50.000 = "))
            .findFirst().orElseThrow();
        assertEquals(50_000.0, Double.parseDouble(median.substring(median.indexOf('=') + 1).trim()), 50.0);
        assertTrue(lines.contains("oobnet: ---> <MIN> observation =      1.000"));
        assertEquals(4 + SockperfSummary.PERCENTILES.length + 1, lines.size());
    }

    @Test
    void shouldWriteJsonWithEveryRequiredFieldAndReadItBack() throws IOException
    {
        final Histogram h = uniform();
        final Path file = dir.resolve("summary.json");
        RunJson.writeSummary(file, List.of(result(h)));
        final JsonNode array = RunJson.read(file);
        assertEquals(1, array.size());
        final JsonNode run = array.get(0);
        assertEquals("udp", run.get("scenario").asText());
        assertEquals("inband", run.get("transport").asText());
        assertEquals(64, run.get("size").asInt());
        assertEquals(100_000, run.get("count").asLong());
        assertEquals(false, run.get("isolated").asBoolean());
        for (final String key : List.of("min", "p50", "p90", "p99", "p99_9", "p99_99", "max"))
        {
            assertTrue(run.get("rtt_ns").has(key), key);
        }
        assertEquals(h.getValueAtPercentile(99.9), run.get("rtt_ns").get("p99_9").asLong());
        assertTrue(run.get("stage_alloc_bytes").isNull());
        assertTrue(run.get("stalls").isNull());
        assertEquals(2, run.get("gc").get("collections").asLong());
        assertEquals(7, run.get("gc").get("by_collector").get("Copy").get("time_ms").asLong());

        final RunResult back = RunJson.fromJson(run, h);
        assertEquals(RUN, back.run());
        assertEquals(-1, back.stalls());
        assertEquals(3, back.lost());
        assertEquals(4096, back.clientAllocBytes());
        assertEquals(2, back.gc().totalCollections());
    }

    @Test
    void shouldWriteHgrmDatAndPngThatReadBack() throws IOException
    {
        final ResultFolder folder = new ResultFolder(dir.resolve("run"));
        final RunResult r = result(uniform());
        folder.writeRun(r);
        folder.writeSummary("test", List.of(r));

        final List<String> hgrm = Files.readAllLines(folder.dir().resolve("udp-inband.hgrm"));
        assertTrue(hgrm.get(0).trim().startsWith("Value"), hgrm.get(0));
        assertTrue(hgrm.stream().anyMatch(l -> l.startsWith("#[Mean")), "hgrm has the mean footer");

        final List<String> dat = Files.readAllLines(folder.dir().resolve("udp-inband.dat"));
        assertTrue(dat.get(0).startsWith("# "));
        final long cells = dat.stream().filter(l -> !l.startsWith("#")).count();
        assertTrue(cells >= 100_000 - 200 && cells <= GnuplotHistogram.MAX_CELLS, "cells=" + cells);
        final long total = dat.stream().filter(l -> !l.startsWith("#"))
            .mapToLong(l -> Long.parseLong(l.split(" ")[1])).sum();
        final long beyond = dat.stream().filter(l -> l.contains("beyond"))
            .mapToLong(l -> Long.parseLong(l.split(" ")[1])).sum();
        assertEquals(100_000, total + beyond);

        final Path png = folder.dir().resolve(ResultFolder.PLOT_FILE);
        assertTrue(Files.size(png) > 1000);
        final BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1000, image.getWidth());
    }

    @Test
    void shouldWriteIntervalLogReadableByHistogramLogReader() throws IOException
    {
        final Path file = dir.resolve("run.hlog");
        final LatencyRecorder recorder = new LatencyRecorder();
        recorder.restart();
        try (java.io.PrintStream out = new java.io.PrintStream(file.toFile()))
        {
            final HistogramLogWriter writer = new HistogramLogWriter(out);
            writer.outputLogFormatVersion();
            writer.outputStartTime(System.currentTimeMillis());
            writer.outputLegend();
            for (int interval = 0; interval < 3; interval++)
            {
                for (int i = 1; i <= 100; i++)
                {
                    recorder.recordNs(i * 1000L * (interval + 1));
                }
                writer.outputIntervalHistogram(recorder.swapInterval());
            }
        }
        final HistogramLogReader reader = new HistogramLogReader(file.toFile());
        final Histogram sum = LatencyRecorder.newHistogram();
        int intervals = 0;
        Histogram next;
        while ((next = (Histogram)reader.nextIntervalHistogram()) != null)
        {
            sum.add(next);
            intervals++;
        }
        assertEquals(3, intervals);
        assertEquals(300, sum.getTotalCount());
        assertEquals(recorder.total().getMaxValue(), sum.getMaxValue());
    }

    private static List<String> ratios(final String line)
    {
        final String[] tokens = line.trim().split("\\s+");
        return List.of(tokens[9], tokens[10], tokens[11], tokens[12]);
    }

    @Test
    void shouldCompareRowsWithRatiosToInbandAndKernel()
    {
        final Histogram slow = LatencyRecorder.newHistogram();
        slow.recordValue(100_000);
        final Histogram fast = LatencyRecorder.newHistogram();
        fast.recordValue(10_000);
        final RunResult inband = result(slow);
        final RunResult kernel = new RunResult(RUN.withLabel("udp-kernel"), fast, 0, 0, 0, 0, 0, 0, 0, GcDelta.NONE,
            1, 0);
        final RunResult kernelRow = new RunResult(new RunDescription("udp-kernel", "udp", "kernel", "oobnet", 64, 1,
            false, 0, 0, true, "veth", 0, 1), fast, 0, 0, 0, 0, 0, 0, 0, GcDelta.NONE, 1, 0);
        final List<String> lines = CompareTable.lines(List.of(inband, kernelRow));
        assertEquals(List.of("1.00", "1.00", "10.00", "10.00"), ratios(lines.get(1)), lines.get(1));
        assertEquals(List.of("0.10", "0.10", "1.00", "1.00"), ratios(lines.get(2)), lines.get(2));
        assertEquals(kernel.count(), kernelRow.count());
    }
}
