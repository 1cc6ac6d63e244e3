package org.oobnet.harness.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.oobnet.harness.cli.OobnetCli;
import org.oobnet.harness.report.ResultFolder;
import org.oobnet.harness.report.RunJson;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.netns.testing.Privileges;
import org.oobnet.udp.frame.Ipv4Flyweight;
import picocli.CommandLine;

/**
 * Every kind of run the harness makes with an OOB stage reports that the stage allocated nothing after its warm-up
 * (issue 14 item 4, issue 15's "the stage's allocation 0 B"): the timer, raw frames through the stage, UDP on both
 * transports (each in the child JVMs the harness starts, with the low-latency profile), and {@code mcast dump} on
 * both transports (in this JVM) against a kernel {@code mcast send} and a second one restarting its sequence (the
 * dump's late-or-duplicate path, first taken after the warm-up). A row with {@code stage_alloc_bytes} > 0 names
 * the run; JFR on the child (see {@code docs/architecture.md}, "Allocation on the stage") shows what allocated.
 */
class StageAllocationRunsTest
{
    private static final String GROUP = "239.251.3.1";
    private static final int PORT = 7130;

    @TempDir
    Path dir;

    @Test
    void shouldAllocateNothingOnTheStageAfterWarmUpInTimerRuns() throws IOException
    {
        Privileges.requireNetworkPrivileges("latency timer (a pinned OOB stage in a child JVM)");
        final Path out = dir.resolve("timer");
        assertEquals(0, OobnetCli.commandLine().execute("latency", "timer", "--period", "50us", "--count", "40000",
            "--warmup", "20000", "--out", out.toString()));
        assertNoStageAllocation(RunJson.read(out.resolve(ResultFolder.SUMMARY_FILE)));
    }

    @Test
    void shouldAllocateNothingOnTheStageAfterWarmUpInPacketAndUdpRuns() throws IOException
    {
        Privileges.requireNetworkPrivileges("latency packet and udp through the OOB stage between two namespaces");
        final Path out = dir.resolve("compare");
        assertEquals(0, OobnetCli.commandLine().execute("latency", "compare", "--runs",
            "packet/oob,udp/packet,udp/kernel", "--rounds", "1", "--count", "20000", "--warmup", "10000",
            "--out", out.toString()));
        final JsonNode summary = RunJson.read(out.resolve(ResultFolder.SUMMARY_FILE));
        assertEquals(3, summary.size(), summary.toString());
        assertNoStageAllocation(summary);
    }

    @ParameterizedTest
    @ValueSource(strings = { "packet", "kernel" })
    void shouldAllocateNothingOnTheStageAfterWarmUpInMcastDump(final String transport) throws Exception
    {
        try (NetnsFixture fixture = NetnsFixture.create(2))
        {
            final NetnsFixture.Host a = fixture.host(0);
            final NetnsFixture.Host s = fixture.host(1);
            final Path json = dir.resolve("dump-" + transport + ".json");
            final StringWriter dumpOut = new StringWriter();
            final CompletableFuture<Integer> dump = new CompletableFuture<>();
            // 14000 datagrams: the dump measures from its 1400th (its warm-up), on a thread of A's namespace
            fixture.call(a, () ->
            {
                Thread.ofPlatform().start(() -> dump.complete(execute(dumpOut, "mcast", "dump", "-i", a.interfaceName(),
                    "--join", GROUP + ":" + PORT, "--count", "14000", "--duration", "20s", "--idle", "yield",
                    "--transport", transport, "--json", json.toString())));
                return null;
            });
            awaitJoined(fixture, a, dump);
            // a second sender from the same host, its sequence restarted at 0, overlaps the first well after the
            // warm-up: the dump's late-or-duplicate path, first taken in the measured phase
            final StringWriter sendOut = new StringWriter();
            final CompletableFuture<Integer> first = send(fixture, s, sendOut, "8000");
            Thread.sleep(2_500);
            final StringWriter restartedOut = new StringWriter();
            assertEquals(0, (int)send(fixture, s, restartedOut, "6000").get(60, TimeUnit.SECONDS), restartedOut.toString());
            assertEquals(0, (int)first.get(60, TimeUnit.SECONDS), sendOut.toString());

            assertEquals(0, (int)dump.get(60, TimeUnit.SECONDS), dumpOut.toString());
            final JsonNode result = new ObjectMapper().readTree(json.toFile());
            // thousands past the dump's warm-up; on a loaded machine the kernel transport's socket buffer can
            // overflow while its stage waits for the CPU: those datagrams are counted drops, not missing
            long dropped = 0;
            for (final JsonNode count : result.path("drops"))
            {
                dropped += count.asLong();
            }
            assertTrue(result.get("received").asLong() >= 5000 &&
                result.get("received").asLong() + dropped >= 12000, "traffic flowed: " + result);
            assertTrue(result.get("late_or_duplicate").asLong() > 0, "the restarted sequence came late: " + result);
            assertEquals(0, result.get("stage_allocated_bytes").asLong(),
                "mcast dump --transport " + transport + ": the stage allocated after warm-up: " + result);
        }
    }

    // mcast send at 4000/s through the kernel from host s, on a thread of its namespace
    private static CompletableFuture<Integer> send(
        final NetnsFixture fixture, final NetnsFixture.Host s, final StringWriter out, final String count) throws Exception
    {
        final CompletableFuture<Integer> sent = new CompletableFuture<>();
        fixture.call(s, () ->
        {
            Thread.ofPlatform().start(() -> sent.complete(execute(out, "mcast", "send", "-i", s.interfaceName(),
                "--group", GROUP + ":" + PORT, "--count", count, "--rate", "4000", "--path", "kernel")));
            return null;
        });
        return sent;
    }

    private static void assertNoStageAllocation(final JsonNode summary)
    {
        final List<String> allocating = new ArrayList<>();
        for (final JsonNode row : summary)
        {
            assertTrue(row.get("stage_alloc_bytes").isIntegralNumber(), "measured on the stage: " + row);
            if (row.get("stage_alloc_bytes").asLong() != 0)
            {
                allocating.add(row.get("label").asText() + " stage_alloc_bytes=" + row.get("stage_alloc_bytes"));
            }
        }
        assertEquals(List.of(), allocating, summary.toString());
    }

    private static int execute(final StringWriter out, final String... args)
    {
        final CommandLine cli = OobnetCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        return cli.execute(args);
    }

    // the dump's kernel socket joined: /proc/net/igmp of its namespace lists the group
    private static void awaitJoined(
        final NetnsFixture fixture, final NetnsFixture.Host a, final CompletableFuture<Integer> dump) throws Exception
    {
        final String word = String.format(Locale.ROOT, "%08X", Integer.reverseBytes(Ipv4Flyweight.parseAddress(GROUP)));
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (!fixture.call(a, () -> Files.readString(Path.of("/proc/thread-self/net/igmp"))).contains(word))
        {
            if (dump.isDone() || System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("dump did not join " + GROUP + ": dump=" + (dump.isDone() ? dump.get() : "running"));
            }
            Thread.sleep(20);
        }
    }
}
