package org.oobnet.harness.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.oobnet.harness.bench.mcast.McastPayload;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.udp.frame.Ipv4Flyweight;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code oobnet mcast dump} and {@code send} on a bridge of three namespaces, against real kernel peers: dump (the
 * OOB path) in A counts what a kernel {@code mcast send} in S and a python3 sender with a sequence hole in K
 * publish, exactly; {@code send} over the OOB path reaches a kernel receiver with every sequence number.
 */
class McastCommandTest
{
    private static final String G1 = "239.251.1.1";
    private static final String G2 = "239.251.1.2";
    private static final int PORT = 7100;

    @TempDir
    Path dir;

    // both transports: the kernel transport's dump opens no packet port, so it counts no other frame as a drop
    @ParameterizedTest
    @ValueSource(strings = { "packet", "kernel" })
    void shouldCountGroupsSourcesAndGapsOfKernelSendersThroughTheOobPath(final String transport) throws Exception
    {
        try (NetnsFixture fixture = NetnsFixture.create(3))
        {
            final NetnsFixture.Host a = fixture.host(0);
            final NetnsFixture.Host s = fixture.host(1);
            final NetnsFixture.Host k = fixture.host(2);
            final Path json = dir.resolve("dump.json");
            final StringWriter dumpOut = new StringWriter();
            final CompletableFuture<Integer> dump = new CompletableFuture<>();
            fixture.call(a, () ->
            {
                // a thread of A's namespace: the host's own thread stays free
                Thread.ofPlatform().start(() -> dump.complete(execute(dumpOut, "mcast", "dump", "-i", a.interfaceName(),
                    "--join", G1 + ":" + PORT, "--join", G2, "--port", Integer.toString(PORT), "--count", "315",
                    "--duration", "30s", "--idle", "yield", "--transport", transport, "--json", json.toString())));
                return null;
            });
            awaitJoined(fixture, a, dump, G1, G2);

            // 2000/s: the dump's 256-frame RX ring then holds 128 ms of traffic, so a stage descheduled on a loaded
            // machine still counts every datagram (at 20000/s, 7 parallel builds made it overflow: 44 kernel drops)
            final StringWriter sendOut = new StringWriter();
            assertEquals(0, (int)fixture.call(s, () -> execute(sendOut, "mcast", "send", "-i", s.interfaceName(),
                "--group", G1 + ":" + PORT, "--count", "200", "--rate", "2000", "--path", "kernel")), sendOut.toString());
            assertEquals(0, (int)fixture.call(s, () -> execute(sendOut, "mcast", "send", "--group", G2,
                "--port", Integer.toString(PORT), "--count", "100", "--rate", "2000", "--path", "kernel",
                "-i", s.interfaceName())), sendOut.toString());
            // K: sequences 0..9 and 15..19 of mcast send's format, from python3: 5 missing
            pythonSend(fixture, k, G1, PORT);

            assertEquals(0, (int)dump.get(40, TimeUnit.SECONDS), dumpOut.toString());
            final JsonNode result = new ObjectMapper().readTree(json.toFile());
            assertEquals(315, result.get("received").asLong(), result.toString());
            assertEquals(215, result.get("by_group").get(G1).asLong(), result.toString());
            assertEquals(100, result.get("by_group").get(G2).asLong(), result.toString());
            assertEquals(300, result.get("by_source").get(s.address()).asLong(), result.toString());
            assertEquals(15, result.get("by_source").get(k.address()).asLong(), result.toString());
            assertEquals(2, result.get("by_source").size(), result.toString());
            assertEquals(5, result.get("gaps").asLong(), result.toString());
            assertEquals("software", result.get("timestamps").asText(), result.toString());
            final JsonNode latency = result.get("latency_ns");
            assertEquals(315, latency.get("count").asLong(), result.toString());
            assertTrue(latency.get("p50").asLong() > 0 && latency.get("p99").asLong() >= latency.get("p50").asLong(),
                result.toString());
            assertTrue(dumpOut.toString().contains("group " + G1 + ":" + PORT + " received=215 gaps=5"),
                dumpOut.toString());
            if ("kernel".equals(transport))
            {
                assertEquals(0, result.get("drops").size(), "nothing dropped, no port's tap counted: " + result);
            }
        }
    }

    @Test
    void shouldPublishEverySequenceThroughTheOobPathToAKernelReceiver() throws Exception
    {
        try (NetnsFixture fixture = NetnsFixture.create(3))
        {
            final NetnsFixture.Host a = fixture.host(0);
            final NetnsFixture.Host k = fixture.host(2);
            try (DatagramChannel receiver = fixture.call(k, () ->
            {
                final NetworkInterface nif = NetworkInterface.getByName(k.interfaceName());
                final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                // room for the whole burst (rmem_max caps the request; the drain below keeps up when it runs): a
                // drain thread off its CPU for 20-30 ms on a loaded machine let a default buffer overflow
                channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
                channel.bind(new InetSocketAddress("0.0.0.0", PORT));
                channel.join(InetAddress.getByName(G1), nif);
                channel.configureBlocking(false);
                return channel;
            }))
            {
                // the receiver drains while the sender runs: 500 datagrams overflow a default socket buffer
                final boolean[] seen = new boolean[500];
                final CompletableFuture<Integer> received = new CompletableFuture<>();
                fixture.call(k, () -> Thread.ofPlatform().start(() ->
                {
                    int n = 0;
                    try
                    {
                        final long deadline = System.nanoTime() + 20_000_000_000L;
                        final ByteBuffer in = ByteBuffer.allocateDirect(2048);
                        while (n < 500 && System.nanoTime() - deadline < 0)
                        {
                            in.clear();
                            final InetSocketAddress from = (InetSocketAddress)receiver.receive(in);
                            if (null == from)
                            {
                                Thread.sleep(1);
                                continue;
                            }
                            if (a.address().equals(from.getAddress().getHostAddress()) && 100 == in.position())
                            {
                                seen[(int)McastPayload.sequence(new UnsafeBuffer(in), 0, in.position())] = true;
                                n++;
                            }
                        }
                        received.complete(n);
                    }
                    catch (final Exception | Error ex)
                    {
                        received.completeExceptionally(ex);
                    }
                }));
                Thread.sleep(300);
                final Path json = dir.resolve("send.json");
                final StringWriter out = new StringWriter();
                assertEquals(0, (int)fixture.call(a, () -> execute(out, "mcast", "send", "-i", a.interfaceName(),
                    "--group", G1 + ":" + PORT, "--count", "500", "--rate", "2000", "--size", "100", "--json",
                    json.toString())), out.toString());
                assertEquals(500, new ObjectMapper().readTree(json.toFile()).get("sent").asLong());
                assertTrue(out.toString().contains("fast-path=500"), out.toString());
                assertEquals(500, (int)received.get(30, TimeUnit.SECONDS), "from " + a.address() + ", 100 bytes");
                for (int i = 0; i < seen.length; i++)
                {
                    assertTrue(seen[i], "sequence " + i);
                }
            }
        }
    }

    private static int execute(final StringWriter out, final String... args)
    {
        final CommandLine cli = OobnetCli.commandLine();
        final StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        final int status = cli.execute(args);
        out.append(err.toString());
        return status;
    }

    // the kernel of A lists both groups on the interface (/proc/net/igmp of A's namespace): the dump joined
    private static void awaitJoined(
        final NetnsFixture fixture, final NetnsFixture.Host a, final CompletableFuture<Integer> dump,
        final String... groups) throws Exception
    {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (true)
        {
            final String igmp = fixture.call(a, () -> Files.readString(Path.of("/proc/thread-self/net/igmp")));
            boolean all = true;
            for (final String group : groups)
            {
                // /proc/net/igmp prints the group's network-order word as a host-order (little-endian) hex
                all &= igmp.contains(String.format(Locale.ROOT, "%08X", Integer.reverseBytes(
                    Ipv4Flyweight.parseAddress(group))));
            }
            if (all)
            {
                return;
            }
            if (dump.isDone() || System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("dump did not join " + List.of(groups) + ": " + igmp + " dump=" +
                    (dump.isDone() ? dump.get() : "running"));
            }
            Thread.sleep(20);
        }
    }

    private static void pythonSend(final NetnsFixture fixture, final NetnsFixture.Host host, final String group,
        final int port) throws Exception
    {
        final String script = String.join("\n",
            "import socket, struct, sys, time",
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(sys.argv[1]))",
            "s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)",
            "for seq in list(range(0, 10)) + list(range(15, 20)):",
            "    s.sendto(struct.pack('>IQQ', 0x4F4F424D, seq, time.time_ns()) + bytes(12), (sys.argv[2], int(sys.argv[3])))");
        final Process process = new ProcessBuilder(fixture.commandIn(host, List.of("python3", "-c", script,
            host.address(), group, Integer.toString(port)))).redirectErrorStream(true).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "python3 sender");
        assertEquals(0, process.exitValue(), new String(process.getInputStream().readAllBytes()));
    }
}
