package org.oobnet.harness.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces joined by five veth pairs with fixed MAC and IPv4 addresses and permanent neighbours (so a
 * recreated pair is the same to the frames), built with {@code ip}: pair one carries oob-udp's packet transport, pair
 * two oob-udp's kernel transport, pair three the MoldUDP64 feed, pair four oob-udp's multicast stream, pair five the
 * raw packet stream. Each stream has a pair of its own, so that what B's end of a pair received and no socket took
 * (read from the interface's statistics) is that stream's alone. B's links of pairs one, two and five can be taken
 * down and up, those pairs deleted and recreated.
 * <p>
 * <b>Note:</b> in-band; not thread safe.
 */
final class SoakNetwork implements AutoCloseable
{
    static final String A_INTERFACE = "soa";
    static final String B_INTERFACE = "sob";
    static final String A_MAC = "02:0b:05:00:00:01";
    static final String B_MAC = "02:0b:05:00:00:02";
    /** Pair one's IPv4 addresses: oob-udp's packet transport. */
    static final String A_ADDRESS = "10.251.100.1";
    static final String B_ADDRESS = "10.251.100.2";
    /** Pair two: oob-udp's kernel transport, on its own pair so that B's packet port never sees its frames. */
    static final String A2_INTERFACE = "ska";
    static final String B2_INTERFACE = "skb";
    static final String A2_MAC = "02:0b:05:00:01:01";
    static final String B2_MAC = "02:0b:05:00:01:02";
    static final String A2_ADDRESS = "10.251.101.1";
    static final String B2_ADDRESS = "10.251.101.2";
    // pair three: the MoldUDP64 feed only (its loss is the publisher's seeded schedule; flap and recreate leave it)
    static final String A3_INTERFACE = "sma";
    static final String B3_INTERFACE = "smb";
    static final String A3_MAC = "02:0b:05:00:02:01";
    static final String B3_MAC = "02:0b:05:00:02:02";
    static final String A3_ADDRESS = "10.251.102.1";
    static final String B3_ADDRESS = "10.251.102.2";
    // pair four: oob-udp's multicast stream only (joins and leaves are its faults; flap and recreate leave it), so
    // that B's port on it counts that stream's frames alone
    static final String A4_INTERFACE = "sga";
    static final String B4_INTERFACE = "sgb";
    static final String A4_MAC = "02:0b:05:00:03:01";
    static final String B4_MAC = "02:0b:05:00:03:02";
    static final String A4_ADDRESS = "10.251.103.1";
    static final String B4_ADDRESS = "10.251.103.2";

    // pair five: the raw packet stream only (EtherType frames, no IP), apart from oob-udp's port on pair one: raw
    // frames that went past the raw socket as B's link came up were booked to the udp stream there (SoakLedgers)
    static final String A5_INTERFACE = "sra";
    static final String B5_INTERFACE = "srb";
    static final String A5_MAC = "02:0b:05:00:04:01";
    static final String B5_MAC = "02:0b:05:00:04:02";
    static final String A5_ADDRESS = "10.251.104.1";
    static final String B5_ADDRESS = "10.251.104.2";

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
            network.createPair(A3_INTERFACE, A3_MAC, A3_ADDRESS, B3_INTERFACE, B3_MAC, B3_ADDRESS);
            network.createPair(A4_INTERFACE, A4_MAC, A4_ADDRESS, B4_INTERFACE, B4_MAC, B4_ADDRESS);
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
        createPair(A_INTERFACE, A_MAC, A_ADDRESS, B_INTERFACE, B_MAC, B_ADDRESS);
        createPair(A2_INTERFACE, A2_MAC, A2_ADDRESS, B2_INTERFACE, B2_MAC, B2_ADDRESS);
        createPair(A5_INTERFACE, A5_MAC, A5_ADDRESS, B5_INTERFACE, B5_MAC, B5_ADDRESS);
    }

    private void createPair(final String aName, final String aMac, final String aAddress,
        final String bName, final String bMac, final String bAddress) throws IOException
    {
        run("ip", "link", "add", aName, "netns", namespaceA, "address", aMac, "type", "veth",
            "peer", "name", bName, "netns", namespaceB, "address", bMac);
        configure(namespaceA, aName, aAddress, bAddress, bMac);
        configure(namespaceB, bName, bAddress, aAddress, aMac);
        if (A2_INTERFACE.equals(aName))
        {
            // While a carrier is down the kernel swaps in its noop qdisc, which discards what the IP stack sends
            // and reports success: the kernel transport's datagrams would vanish uncounted. With the route over a
            // down link ignored, sendmmsg fails with ENETUNREACH instead (counted) before reaching that qdisc.
            // Not on pair one: oob-udp's resolver would lose the route too and send through the kernel's path.
            run("ip", "netns", "exec", namespaceA, "sysctl", "-q", "-w",
                "net.ipv4.conf." + aName + ".ignore_routes_with_linkdown=1");
        }
    }

    // permanent neighbours: no ARP on the links, and a carrier going down does not flush them
    private void configure(final String namespace, final String name, final String address, final String peer,
        final String peerMac) throws IOException
    {
        run("ip", "-n", namespace, "address", "add", address + "/24", "dev", name);
        run("ip", "-n", namespace, "link", "set", name, "up");
        run("ip", "-n", namespace, "neigh", "replace", peer, "lladdr", peerMac, "dev", name, "nud", "permanent");
    }

    /** B's end of pairs one, two and five down or up. */
    void linkB(final boolean up) throws IOException
    {
        for (final String name : List.of(B_INTERFACE, B2_INTERFACE, B5_INTERFACE))
        {
            run("ip", "-n", namespaceB, "link", "set", name, up ? "up" : "down");
        }
    }

    /** Pairs one, two and five deleted and made again, same names, MACs and addresses. */
    void recreatePair() throws IOException
    {
        run("ip", "-n", namespaceA, "link", "del", A_INTERFACE);
        run("ip", "-n", namespaceA, "link", "del", A2_INTERFACE);
        run("ip", "-n", namespaceA, "link", "del", A5_INTERFACE);
        createPair();
    }

    /**
     * A's end of pair two, {@code tx_packets}: the frames it handed to B's end (only the kernel transport's
     * datagrams use pair two: no ARP, no IPv6).
     *
     * @return the count since the pair was made.
     * @throws IOException when it cannot be read.
     */
    long kernelPairTransmitted() throws IOException
    {
        return statistic(namespaceA, A2_INTERFACE, "tx_packets");
    }

    /**
     * B's end of pair one (oob-udp's packet transport), a receive statistic ({@code rx_packets}) since the pair was
     * made.
     *
     * @param name the statistic's file name.
     * @return its value.
     * @throws IOException when it cannot be read.
     */
    long pairOneReceived(final String name) throws IOException
    {
        return statistic(namespaceB, B_INTERFACE, name);
    }

    /**
     * B's end of pair five (the raw packet stream), a receive statistic ({@code rx_packets}, {@code rx_dropped},
     * {@code rx_nohandler}) since the pair was made.
     *
     * @param name the statistic's file name.
     * @return its value.
     * @throws IOException when it cannot be read.
     */
    long rawPairReceived(final String name) throws IOException
    {
        return statistic(namespaceB, B5_INTERFACE, name);
    }

    private long statistic(final String namespace, final String link, final String name) throws IOException
    {
        final List<String> out = run("ip", "netns", "exec", namespace, "cat",
            "/sys/class/net/" + link + "/statistics/" + name);
        return Long.parseLong(out.get(0).trim());
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
