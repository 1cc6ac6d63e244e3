package org.oobnet.example.quickstart;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quickstart applications run as an application runs: a child {@code java} with the two JVM flags and the
 * application's class path (the jars from the local repository, resolved through the BOM), on loopback with the
 * kernel transport and, with root, on the packet path in a network namespace this test makes.
 */
class QuickstartTest
{
    private static final String[] FLAGS =
        {"--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"};

    private static final java.nio.file.Path STDERR = java.nio.file.Path.of("target", "quickstart-stderr.log");

    @Test
    void shouldPassMessagesOverTheBus() throws Exception
    {
        final Process process = java(List.of(), BusHello.class, List.of()).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, process.exitValue(), output + stderr());
        assertEquals("received [EURUSD 1.0841, EURUSD 1.0842, EURUSD 1.0840]\n" +
            "feed packetsOut=3 strategy packetsIn=3\nclosed\n", output);
    }

    @Test
    void shouldEchoOnTheStageOverLoopback() throws Exception
    {
        echo(List.of(), "lo", "127.0.0.1", "kernel", new InetSocketAddress("127.0.0.1", 0));
    }

    @Test
    void shouldEchoOnThePacketPathInANamespace() throws Exception
    {
        final boolean root = 0 == new com.sun.security.auth.module.UnixSystem().getUid();
        if (!root && "1".equals(System.getenv("OOBNET_REQUIRE_PRIVILEGED")))
        {
            throw new AssertionError("the packet path needs root (a network namespace and CAP_NET_RAW); " +
                "OOBNET_REQUIRE_PRIVILEGED=1 forbids skipping");
        }
        Assumptions.assumeTrue(root, "the packet path needs root (a network namespace and CAP_NET_RAW)");
        final long pid = ProcessHandle.current().pid();
        final String ns = "oobqs" + pid;
        final String host = "qsh" + pid % 100_000;
        final String app = "qsa" + pid % 100_000;
        final String net = "10.251." + (100 + pid % 100) + ".";
        try
        {
            ip("netns", "add", ns);
            ip("link", "add", host, "type", "veth", "peer", "name", app, "netns", ns);
            ip("addr", "add", net + "1/30", "dev", host);
            ip("link", "set", host, "up");
            ip("-n", ns, "addr", "add", net + "2/30", "dev", app);
            ip("-n", ns, "link", "set", app, "up");
            ip("-n", ns, "link", "set", "lo", "up");
            echo(List.of("ip", "netns", "exec", ns), app, net + "2", "packet", new InetSocketAddress(net + "1", 0));
        }
        finally
        {
            quietly("link", "del", host);
            quietly("netns", "del", ns);
        }
    }

    private static void echo(
        final List<String> prefix, final String interfaceName, final String address, final String transport,
        final InetSocketAddress from) throws Exception
    {
        final Process process = java(prefix, UdpEcho.class,
            List.of(interfaceName, address, "0", transport, "3")).start();
        final List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = reader.readLine()) && !line.startsWith("READY "))
            {
                lines.add(line);
            }
            assertNotNull(line, "UdpEcho ended before READY: " + lines);
            final String[] ready = line.substring("READY ".length()).split(":");
            final InetSocketAddress echo = new InetSocketAddress(ready[0], Integer.parseInt(ready[1]));
            try (DatagramChannel channel = DatagramChannel.open())
            {
                channel.bind(from);
                channel.socket().setSoTimeout(5_000);
                for (int i = 0; i < 3; i++)
                {
                    final String text = "hello " + i;
                    channel.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), echo);
                    final DatagramPacket packet = new DatagramPacket(new byte[64], 64);
                    channel.socket().receive(packet);
                    assertEquals(text, new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII));
                    assertEquals(echo, packet.getSocketAddress());
                }
            }
            while (null != (line = reader.readLine()))
            {
                lines.add(line);
            }
        }
        finally
        {
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
            }
        }
        assertEquals(0, process.exitValue(), String.join("\n", lines) + stderr());
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("echoed=3 failed=0 packetsIn=3 packetsOut=3 stageCycles="), lines.get(0));
        assertEquals("closed", lines.get(1));
    }

    private static String stderr() throws IOException
    {
        return "\nstderr (" + STDERR + "):\n" + java.nio.file.Files.readString(STDERR);
    }

    private static ProcessBuilder java(final List<String> prefix, final Class<?> main, final List<String> args)
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(List.of(FLAGS));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        // stderr to a file: libraries' warnings (JCTools' sun.misc.Unsafe, SLF4J without a provider) go there
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(STDERR.toFile()));
    }

    private static void ip(final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && 0 == process.exitValue(),
            String.join(" ", command) + ": " + output);
    }

    private static void quietly(final String... args)
    {
        try
        {
            final List<String> command = new ArrayList<>(List.of("ip"));
            command.addAll(List.of(args));
            new ProcessBuilder(command).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        }
        catch (final IOException | InterruptedException ex)
        {
            // best effort: the namespace's name carries this JVM's pid, a later run does not reuse it
        }
    }
}
