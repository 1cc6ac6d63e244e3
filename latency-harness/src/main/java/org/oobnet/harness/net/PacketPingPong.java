package org.oobnet.harness.net;

import org.oobnet.netns.NetnsTopology;

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
 * every child process are removed when the run ends, also on failure. The namespaces are an inband-stack
 * {@link NetnsTopology} with static neighbours, so no ARP exchange falls inside the measured round trips.
 * <p>
 * <b>Note:</b> in-band; needs root (namespaces, AF_PACKET).
 */
public final class PacketPingPong
{
    /** Namespace names start with this, then this process' id, then {@code -a} or {@code -b}. */
    static final String PREFIX = "oobb-";
    /** Third byte of the addresses: 10.251.200.0/24. */
    private static final int SUBNET = 200;

    private final List<Process> children = new ArrayList<>();
    private NetnsTopology topology;

    /**
     * A run's namespaces, named after this process ({@code oobb-<pid>-a}, {@code oobb-<pid>-b}).
     */
    public PacketPingPong()
    {
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
        final NetnsTopology.Host a = topology.host(0);
        final NetnsTopology.Host b = topology.host(1);
        final Process echo = side(b, a, path + "-echo", cpuB, warmup, samples, payload);
        try
        {
            final BufferedReader echoOut = reader(echo);
            final String ready = echoOut.readLine();
            if (!"READY".equals(ready))
            {
                throw new IllegalStateException(path + "-echo did not start: " + ready + " " + stderr(echo));
            }
            final Process ping = side(a, b, path + "-ping", cpuA, warmup, samples, payload);
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
        final NetnsTopology.Host own, final NetnsTopology.Host peer, final String role, final int cpu,
        final int warmup, final int samples, final int payload)
        throws IOException
    {
        final String java = ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final List<String> command = NetnsTopology.commandIn(own.namespace(), List.of(java,
            "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-XX:+UseParallelGC", "-Xms256m", "-Xmx256m",
            "-cp", System.getProperty("java.class.path"), PingPongSide.class.getName(),
            role, Integer.toString(cpu), own.interfaceName(), hex(own.mac()), hex(peer.mac()), own.address(),
            peer.address(),
            Integer.toString(warmup), Integer.toString(samples), Integer.toString(payload)));
        final Process process = new ProcessBuilder(command).start();
        children.add(process);
        return process;
    }

    private void setUp()
    {
        cleanUp();
        topology = NetnsTopology.builder(PREFIX)
            .hostSuffixes("a", "b")
            .subnet(SUBNET)
            .staticNeighbours(true)
            .create();
    }

    private void cleanUp()
    {
        for (final Process child : children)
        {
            child.destroyForcibly();
        }
        children.clear();
        if (topology != null)
        {
            topology.close();
            topology = null;
        }
    }

    /** {@code 02:00:0a:fb:c8:01} as PingPongSide takes it: {@code 02000afbc801}. */
    private static String hex(final String mac)
    {
        return mac.replace(":", "");
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
