package org.oobnet.harness.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces joined by one veth pair with fixed MAC addresses (so a recreated pair is the same to
 * the frames), built with {@code ip}; links can be taken down and up, the pair deleted and recreated.
 * <p>
 * <b>Note:</b> in-band; not thread safe.
 */
final class SoakNetwork implements AutoCloseable
{
    static final String A_INTERFACE = "soa";
    static final String B_INTERFACE = "sob";
    static final String A_MAC = "02:0b:05:00:00:01";
    static final String B_MAC = "02:0b:05:00:00:02";

    final String namespaceA;
    final String namespaceB;
    private boolean closed;

    private SoakNetwork(final String prefix)
    {
        this.namespaceA = prefix + "-a";
        this.namespaceB = prefix + "-b";
    }

    static SoakNetwork create() throws IOException
    {
        final SoakNetwork network = new SoakNetwork("oobs-" + ProcessHandle.current().pid());
        // an interrupted soak (Ctrl-C, SIGTERM) still removes its namespaces
        Runtime.getRuntime().addShutdownHook(new Thread(network::close, "soak-netns-cleanup"));
        try
        {
            network.run("ip", "netns", "add", network.namespaceA);
            network.run("ip", "netns", "add", network.namespaceB);
            // no IPv6: no router and neighbour solicitations or MLD reports beside the soak's frames
            for (final String namespace : List.of(network.namespaceA, network.namespaceB))
            {
                network.run("ip", "netns", "exec", namespace, "sysctl", "-q", "-w",
                    "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            }
            network.createPair();
        }
        catch (final IOException | RuntimeException ex)
        {
            network.close();
            throw ex;
        }
        return network;
    }

    private void createPair() throws IOException
    {
        run("ip", "link", "add", A_INTERFACE, "netns", namespaceA, "address", A_MAC, "type", "veth",
            "peer", "name", B_INTERFACE, "netns", namespaceB, "address", B_MAC);
        run("ip", "netns", "exec", namespaceA, "ip", "link", "set", A_INTERFACE, "up");
        run("ip", "netns", "exec", namespaceB, "ip", "link", "set", B_INTERFACE, "up");
    }

    void linkB(final boolean up) throws IOException
    {
        run("ip", "netns", "exec", namespaceB, "ip", "link", "set", B_INTERFACE, up ? "up" : "down");
    }

    void recreatePair() throws IOException
    {
        run("ip", "netns", "exec", namespaceA, "ip", "link", "del", A_INTERFACE);
        createPair();
    }

    List<String> run(final String... command) throws IOException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try
        {
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": timed out");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted", ex);
        }
        if (process.exitValue() != 0)
        {
            throw new IOException(String.join(" ", command) + ": exit=" + process.exitValue() + ": " + output.trim());
        }
        return new ArrayList<>(output.lines().toList());
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final String namespace : List.of(namespaceA, namespaceB))
        {
            try
            {
                run("ip", "netns", "del", namespace);
            }
            catch (final IOException ignore)
            {
                // not made, or already gone
            }
        }
    }
}
