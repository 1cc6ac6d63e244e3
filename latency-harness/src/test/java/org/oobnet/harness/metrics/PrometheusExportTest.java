package org.oobnet.harness.metrics;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.bus.OobBusAddress;
import org.oobnet.core.counters.HopHistogram;
import org.oobnet.core.counters.StageHop;
import org.oobnet.harness.cli.OobnetCli;
import org.oobnet.inband.KSocket;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_OOB;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_OOB;

/**
 * {@code oobnet stat --prometheus} and {@code --serve} against a real running runtime with AF_OOB bus traffic: the
 * text format's HELP/TYPE lines and labelled samples, and scrapes by {@code java.net.http} of the endpoint served by
 * another process, each a fresh reading.
 */
class PrometheusExportTest
{
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(final String... args)
    {
        final CommandLine cli = OobnetCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private OobRuntime start()
    {
        return OobRuntime.start(OobConfig.builder()
            .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
            .countersDir(dir)
            .countersValuesBytes(1024 * 128)
            .errorLogBytes(4096)
            .build());
    }

    @Test
    void shouldExportHopsAsOneSummaryWhenTheStageRecorded()
    {
        try (OobRuntime runtime = start())
        {
            // the test thread writes the hop histogram: no device delivers frames here, so the stage never does
            final HopHistogram hop = runtime.counters().hops().histogram(StageHop.PICKUP_TO_HANDLER_DONE);
            hop.record(1024);
            hop.record(1024);
            hop.record(3072);
            assertEquals(0, execute("stat", "--prometheus", "--dir", dir.toString()), err.toString());
            final String text = out.toString();
            assertTrue(text.contains("# TYPE oobnet_stage_hop_ns summary\n"), text);
            assertTrue(text.contains("oobnet_stage_hop_ns{hop=\"pickup->handler_done\",quantile=\"0.5\"} 1024.0\n"), text);
            assertTrue(text.contains("oobnet_stage_hop_ns{hop=\"pickup->handler_done\",quantile=\"0.99\"} 3072.0\n"), text);
            assertTrue(text.contains("oobnet_stage_hop_ns{hop=\"pickup->handler_done\",quantile=\"1.0\"} 3072.0\n"), text);
            assertTrue(text.contains("oobnet_stage_hop_ns_count{hop=\"pickup->handler_done\"} 3\n"), text);
            assertTrue(text.contains("oobnet_stage_hop_ns_sum{hop=\"pickup->handler_done\"} 5120.0\n"), text);
            assertTrue(text.contains("oobnet_stage_hop_ns_count{hop=\"kick->tx_complete\"} 0\n"), text);
            assertTrue(!text.contains("oobnet_stage_hop{") && !text.contains("oobnet_stage_hop_count{"), text);
        }
    }

    // two AF_OOB bus sockets: rx bound to a name, tx connected to it
    private record BusPair(Arena arena, KSocket rx, KSocket tx) implements AutoCloseable
    {
        static BusPair open() throws Exception
        {
            final Arena arena = Arena.ofConfined();
            final KSocket rx = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
            final KSocket tx = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
            rx.bind(OobBusAddress.encode("rx", arena));
            tx.connect(OobBusAddress.encode("rx", arena));
            return new BusPair(arena, rx, tx);
        }

        @Override
        public void close() throws Exception
        {
            tx.close();
            rx.close();
            arena.close();
        }
    }

    private static void send(final OobSocket from, final OobSocket to, final int count, final long expected)
    {
        for (int i = 0; i < count; i++)
        {
            assertEquals(0, from.offer(new UnsafeBuffer(new byte[4]), 0, 4));
        }
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (to.counters().packetsIn().get() != expected && System.nanoTime() - deadline < 0)
        {
            Thread.yield();
        }
        assertEquals(expected, to.counters().packetsIn().get());
    }

    @Test
    void shouldPrintOneReadingInTheTextFormat() throws Exception
    {
        try (OobRuntime runtime = start(); BusPair bus = BusPair.open())
        {
            final KSocket rx = bus.rx();
            final KSocket tx = bus.tx();
            final OobSocket in = OobSocket.of(rx);
            final OobSocket sender = OobSocket.of(tx);
            send(sender, in, 3, 3);

            assertEquals(0, execute("stat", "--prometheus", "--dir", dir.toString()), err.toString());
            final String text = out.toString();
            final long pid = ProcessHandle.current().pid();
            assertTrue(text.contains("# HELP oobnet_runtime_running 1 while the process that owns the counters " +
                "file is alive\n# TYPE oobnet_runtime_running gauge\noobnet_runtime_running 1.0\n"), text);
            assertTrue(text.contains("# TYPE oobnet_runtime_info gauge\noobnet_runtime_info{isolated=\"" +
                runtime.isolated() + "\",path=\"" + runtime.countersPath() + "\",pid=\"" + pid + "\",stage_cpu=\"" +
                runtime.stageCpu() + "\"} 1.0\n"), text);
            assertTrue(text.contains("# HELP oobnet_stage_cycles_total The OOB stage: stage cycles\n" +
                "# TYPE oobnet_stage_cycles_total counter\noobnet_stage_cycles_total "), text);
            assertTrue(text.contains("# TYPE oobnet_stage_sockets gauge\noobnet_stage_sockets 2.0\n"), text);
            assertTrue(text.contains("# HELP oobnet_socket_packets_in_total Per OOB socket: packets in\n" +
                "# TYPE oobnet_socket_packets_in_total counter\n" +
                "oobnet_socket_packets_in_total{fd=\"" + rx.fd() + "\",protocol=\"bus\",socket=\"" + in.id() +
                "\"} 3.0\noobnet_socket_packets_in_total{fd=\"" + tx.fd() + "\",protocol=\"bus\",socket=\"" +
                sender.id() + "\"} 0.0\n"), text);
            assertTrue(text.contains("oobnet_socket_bytes_out_total{fd=\"" + tx.fd() + "\",protocol=\"bus\"," +
                "socket=\"" + sender.id() + "\"} 12.0\n"), text);
            assertTrue(text.contains("# TYPE oobnet_stage_stalls_by_duration_total counter\n"), text);
            // every family once, its TYPE before its samples, every sample line well formed
            final Pattern sample = Pattern.compile("[a-z_]+(\\{([a-z_]+=\"[^\"\\\\\\n]*\",?)*})? -?[0-9.E]+");
            String type = null;
            for (final String line : text.split("\n"))
            {
                if (line.startsWith("# TYPE "))
                {
                    assertTrue(!text.substring(text.indexOf(line) + line.length()).contains(line), "twice: " + line);
                    type = line.split(" ")[2];
                }
                else if (!line.startsWith("# HELP "))
                {
                    assertTrue(sample.matcher(line).matches(), line);
                    assertNotNull(type, line);
                    assertTrue(line.startsWith(type), type + " then " + line);
                }
            }
        }
    }

    @Test
    void shouldLabelEachStageOfASeveralStageRuntime() throws Exception
    {
        final int last = Runtime.getRuntime().availableProcessors() - 1;
        try (OobRuntime runtime = OobRuntime.start(OobConfig.builder()
            .countersDir(dir)
            .countersValuesBytes(1024 * 128)
            .errorLogBytes(4096)
            .stages(List.of(
                new OobConfig.StageSpec("feed", 0, OobConfig.IdleStrategyKind.BACKOFF, 100_000L, List.of()),
                new OobConfig.StageSpec("orders", last, OobConfig.IdleStrategyKind.BACKOFF, 100_000L, List.of())))
            .build());
            Arena arena = Arena.ofConfined())
        {
            final KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
            try
            {
                socket.setOption(OobSocket.SOL_OOB, OobSocket.SO_OOB_STAGE, arena.allocateFrom("orders"));
                final long deadline = System.nanoTime() + 10_000_000_000L;
                while (runtime.stage("orders").counters().sockets().get() != 1 && System.nanoTime() - deadline < 0)
                {
                    Thread.yield();
                }

                assertEquals(0, execute("stat", "--prometheus", "--dir", dir.toString()), err.toString());
                final String text = out.toString();
                assertTrue(text.contains("oobnet_stage_sockets{stage=\"feed\"} 0.0\n"), text);
                assertTrue(text.contains("oobnet_stage_sockets{stage=\"orders\"} 1.0\n"), text);
                assertTrue(text.contains("oobnet_stage_cpu{stage=\"orders\"} " + last + ".0\n"), text);
                assertTrue(text.contains("oobnet_stage_cycles_total{stage=\"feed\"} "), text);
                assertTrue(text.contains("oobnet_stage_cycles_total{stage=\"orders\"} "), text);
            }
            finally
            {
                socket.close();
            }
        }
    }

    @Test
    void shouldServeFreshReadingsToAnHttpClient() throws Exception
    {
        try (OobRuntime runtime = start(); BusPair bus = BusPair.open())
        {
            final KSocket rx = bus.rx();
            final KSocket tx = bus.tx();
            final OobSocket in = OobSocket.of(rx);
            send(OobSocket.of(tx), in, 2, 2);

            final Process server = new ProcessBuilder(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), OobnetCli.class.getName(),
                "stat", "--serve", "127.0.0.1:0", "--dir", dir.toString())).redirectErrorStream(true).start();
            try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)))
            {
                final String first = lines.readLine();
                assertNotNull(first, "the server ended without a word");
                final Matcher url = Pattern.compile("^oobnet stat: serving (http://127\\.0\\.0\\.1:\\d+/metrics) from " +
                    Pattern.quote(runtime.countersPath().toString()) + " \\(Prometheus text format; Ctrl-C stops\\)$")
                    .matcher(first);
                assertTrue(url.matches(), first);
                final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                final HttpRequest get = HttpRequest.newBuilder(URI.create(url.group(1)))
                    .timeout(Duration.ofSeconds(10)).build();
                final String packetsIn = "oobnet_socket_packets_in_total{fd=\"" + rx.fd() + "\",protocol=\"bus\"," +
                    "socket=\"" + in.id() + "\"} ";

                final HttpResponse<String> before = client.send(get, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, before.statusCode(), before.body());
                assertEquals("text/plain; version=0.0.4; charset=utf-8",
                    before.headers().firstValue("Content-Type").orElseThrow());
                assertTrue(before.body().contains(packetsIn + "2.0\n"), before.body());

                send(OobSocket.of(tx), in, 3, 5);
                final HttpResponse<String> after = client.send(get, HttpResponse.BodyHandlers.ofString());
                assertTrue(after.body().contains(packetsIn + "5.0\n"), after.body());

                final HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(url.group(1)))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(405, post.statusCode());

                runtime.close();
                final HttpResponse<String> gone = client.send(get, HttpResponse.BodyHandlers.ofString());
                assertEquals(503, gone.statusCode());
                assertEquals("oobnet stat: no counters file: countersFile=" + runtime.countersPath() +
                    " does not exist (is a runtime running with countersDir=" + dir + "?)\n", gone.body());
            }
            finally
            {
                server.destroy();
                assertTrue(server.waitFor(30, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void shouldListenOnLoopbackUnlessAnAddressIsGiven()
    {
        assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9464),
            PrometheusExport.parseServe("9464"));
        assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), PrometheusExport.parseServe(":0"));
        assertTrue(PrometheusExport.parseServe("0.0.0.0:9464").getAddress().isAnyLocalAddress());
        assertEquals("--serve=9x: port=9x is not a number (give HOST:PORT, or PORT for loopback)",
            assertThrows(IllegalArgumentException.class, () -> PrometheusExport.parseServe("9x")).getMessage());
        assertEquals("--serve=127.0.0.1:70000: port=70000 must be 0..65535",
            assertThrows(IllegalArgumentException.class,
                () -> PrometheusExport.parseServe("127.0.0.1:70000")).getMessage());
    }

    @Test
    void shouldSayInOneLineWhatIsWrong()
    {
        assertEquals(2, execute("stat", "--serve", "9x", "--dir", dir.toString()));
        assertEquals("oobnet stat: --serve=9x: port=9x is not a number (give HOST:PORT, or PORT for loopback)\n",
            err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, execute("stat", "--prometheus", "--dir", dir.toString()));
        assertEquals("oobnet stat: no counters file: countersFile=" + dir.resolve("counters.dat") +
            " does not exist (is a runtime running with countersDir=" + dir + "?)\n", err.toString());
    }
}
