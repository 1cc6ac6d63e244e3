package org.oobnet.harness.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The raw-frame ping-pong benchmark: two network namespaces joined by veth, one process per side, each side's
 * one spinning thread pinned to its own CPU; first OOB packet sockets on both sides (the stage spinning on the
 * TPACKET_V2 RX ring, replies from the TX ring), then, in the same run, kernel UDP sockets spinning on
 * {@code recv(MSG_DONTWAIT)}. The namespaces ({@code oobb-<pid>-a}, {@code -b}, addresses 10.251.200.0/24) and
 * every child process are removed when the run ends, also on failure.
 * <p>
 * <b>Note:</b> in-band; needs root (namespaces, AF_PACKET).
 */
public final class PacketPingPong
{
    private static final String MAC_A = "02000afbc801";
    private static final String MAC_B = "02000afbc802";
    private static final String IP_A = "10.251.200.1";
    private static final String IP_B = "10.251.200.2";

    private final String nsA;
    private final String nsB;
    private final List<Process> children = new ArrayList<>();

    /**
     * A run's namespaces, named after this process.
     */
    public PacketPingPong()
    {
        final long pid = ProcessHandle.current().pid();
        this.nsA = "oobb-" + pid + "-a";
        this.nsB = "oobb-" + pid + "-b";
    }

    /**
     * Run both paths and print one {@code RESULT} line each.
     *
     * @param out     where to print.
     * @param warmup  round trips not recorded.
     * @param samples round trips recorded.
     * @param payload bytes after the Ethernet header (raw) or UDP payload bytes.
     * @param cpuA    CPU of side A's spinner.
     * @param cpuB    CPU of side B's spinner.
     * @return the two result lines, OOB first.
     * @throws Exception when setup or a side fails.
     */
    public List<String> run(
        final PrintWriter out, final int warmup, final int samples, final int payload, final int cpuA, final int cpuB)
        throws Exception
    {
        final Thread cleanup = new Thread(this::cleanUp, "pingpong-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try
        {
            setUp();
            final List<String> results = new ArrayList<>();
            for (final String path : new String[]{ "oob", "udp" })
            {
                final String result = runPath(path, warmup, samples, payload, cpuA, cpuB);
                out.println(result);
                out.flush();
                results.add(result);
            }
            return results;
        }
        finally
        {
            cleanUp();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    private String runPath(
        final String path, final int warmup, final int samples, final int payload, final int cpuA, final int cpuB)
        throws Exception
    {
        final Process echo = side(nsB, path + "-echo", cpuB, MAC_B, MAC_A, IP_B, IP_A, warmup, samples, payload);
        try
        {
            final BufferedReader echoOut = reader(echo);
            final String ready = echoOut.readLine();
            if (!"READY".equals(ready))
            {
                throw new IllegalStateException(path + "-echo did not start: " + ready + " " + stderr(echo));
            }
            final Process ping = side(nsA, path + "-ping", cpuA, MAC_A, MAC_B, IP_A, IP_B, warmup, samples, payload);
            final BufferedReader pingOut = reader(ping);
            String line;
            String result = null;
            while (null != (line = pingOut.readLine()))
            {
                if (line.startsWith("RESULT "))
                {
                    result = line;
                }
            }
            if (!ping.waitFor(30, TimeUnit.SECONDS) || null == result)
            {
                throw new IllegalStateException(path + "-ping failed: exit=" + (ping.isAlive() ? "running" :
                    ping.exitValue()) + " " + stderr(ping));
            }
            return result;
        }
        finally
        {
            echo.getOutputStream().close();
            if (!echo.waitFor(10, TimeUnit.SECONDS))
            {
                echo.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private Process side(
        final String namespace, final String role, final int cpu, final String ownMac, final String peerMac,
        final String ownIp, final String peerIp, final int warmup, final int samples, final int payload)
        throws IOException
    {
        final String java = ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, java,
            "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-XX:+UseParallelGC", "-Xms256m", "-Xmx256m",
            "-cp", System.getProperty("java.class.path"), PingPongSide.class.getName(),
            role, Integer.toString(cpu), "veth0", ownMac, peerMac, ownIp, peerIp,
            Integer.toString(warmup), Integer.toString(samples), Integer.toString(payload)));
        final Process process = new ProcessBuilder(command).start();
        children.add(process);
        return process;
    }

    private void setUp() throws IOException, InterruptedException
    {
        cleanUp();
        ip("netns", "add", nsA);
        ip("netns", "add", nsB);
        ip("link", "add", "name", "veth0", "netns", nsA, "type", "veth", "peer", "name", "veth0", "netns", nsB);
        ip("-n", nsA, "link", "set", "veth0", "address", mac(MAC_A));
        ip("-n", nsB, "link", "set", "veth0", "address", mac(MAC_B));
        ip("-n", nsA, "addr", "add", IP_A + "/24", "dev", "veth0");
        ip("-n", nsB, "addr", "add", IP_B + "/24", "dev", "veth0");
        for (final String ns : new String[]{ nsA, nsB })
        {
            ip("-n", ns, "link", "set", "lo", "up");
            ip("-n", ns, "link", "set", "veth0", "up");
        }
        // static neighbours: no ARP exchange inside the measured round trips
        ip("-n", nsA, "neigh", "replace", IP_B, "lladdr", mac(MAC_B), "dev", "veth0", "nud", "permanent");
        ip("-n", nsB, "neigh", "replace", IP_A, "lladdr", mac(MAC_A), "dev", "veth0", "nud", "permanent");
    }

    private void cleanUp()
    {
        for (final Process child : children)
        {
            child.destroyForcibly();
        }
        children.clear();
        for (final String ns : new String[]{ nsA, nsB })
        {
            try
            {
                new ProcessBuilder("ip", "netns", "delete", ns).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(10, TimeUnit.SECONDS);
            }
            catch (final IOException | InterruptedException ignore)
            {
                // best effort: absent namespaces are fine
            }
        }
    }

    private static void ip(final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0)
        {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
        }
    }

    private static String mac(final String hex)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i += 2)
        {
            sb.append(i == 0 ? "" : ":").append(hex, i, i + 2);
        }
        return sb.toString();
    }

    private static BufferedReader reader(final Process process)
    {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    private static String stderr(final Process process)
    {
        try
        {
            if (process.isAlive())
            {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        catch (final IOException | InterruptedException e)
        {
            return "(no stderr: " + e + ")";
        }
    }
}
