package org.oobnet.harness.bench.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.harness.cli.OobnetCli;
import org.oobnet.harness.report.ResultFolder;
import org.oobnet.harness.report.RunJson;

/** The unprivileged path: both sides on loopback, kernel socket transports only. Needs no privileges. */
class LoopbackRunTest
{
    @TempDir
    Path dir;

    private String run(final int expectedExit, final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try
        {
            assertEquals(expectedExit, OobnetCli.commandLine().execute(args), out.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldMeasureInbandOnLoopbackWithFixedRate() throws IOException
    {
        final Path out = dir.resolve("udp");
        final String text = run(0, "latency", "udp", "--loopback", "--transport", "inband", "--count", "500",
            "--warmup", "100", "--rate", "2000", "--out", out.toString());
        assertTrue(text.contains("RTT|  500 exchanges  (udp/inband, 64 bytes, 2000 Hz (500.000 us period), CPU"),
            text);
        assertTrue(text.contains("\nRTS|"), text);
        final JsonNode run = RunJson.read(out.resolve(ResultFolder.SUMMARY_FILE)).get(0);
        assertEquals("loopback", run.get("network").asText());
        assertEquals(2000, run.get("rate_hz").asLong());
        assertEquals(500, run.get("count").asLong() + run.get("lost").asLong());
    }

    @Test
    void shouldSkipRawFramesOnLoopbackAndSaySo()
    {
        final String text = run(1, "latency", "packet", "--loopback", "--count", "10",
            "--out", dir.resolve("packet").toString());
        assertTrue(text.contains("oobnet: packet-oob skipped: packet/oob needs two network namespaces " +
            "(privileges)"), text);
    }
}
