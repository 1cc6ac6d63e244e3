package org.oobnet.netns;

import org.junit.jupiter.api.Test;
import org.oobnet.netns.testing.Privileges;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetnsTopologyTest
{
    private static final String PREFIX = "oobu";
    private static final long PID = ProcessHandle.current().pid();

    @Test
    void shouldExchangeDatagramBetweenTwoHostsAndRemoveThemOnClose() throws Exception
    {
        Privileges.requireNetworkPrivileges("a two-host topology");
        final List<String> created;
        try (NetnsTopology topology = NetnsTopology.builder(PREFIX).instance("a").create())
        {
            created = topology.namespaces();
            assertEquals(List.of(PREFIX + PID + "a-h0", PREFIX + PID + "a-h1"), created);
            assertTrue(NetnsTopology.listNamespaces().containsAll(created), "namespaces exist while open");
            final NetnsTopology.Host a = topology.host(0);
            final NetnsTopology.Host b = topology.host(1);
            assertEquals("10.251.0.1", a.address());
            assertEquals("02:00:0a:fb:00:02", b.mac());

            final DatagramChannel receiver = inNamespace(b.namespace(), () ->
                DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(b.address(), 40125)));
            final DatagramChannel sender = inNamespace(a.namespace(), () -> DatagramChannel.open(StandardProtocolFamily.INET));
            try (receiver; sender)
            {
                sender.send(ByteBuffer.wrap("over veth".getBytes(StandardCharsets.US_ASCII)),
                    new InetSocketAddress(b.address(), 40125));
                final ByteBuffer buffer = ByteBuffer.allocate(64);
                final InetSocketAddress from = (InetSocketAddress)receiver.receive(buffer);
                buffer.flip();
                assertEquals("over veth", StandardCharsets.US_ASCII.decode(buffer).toString());
                assertEquals(a.address(), from.getAddress().getHostAddress());
            }
        }
        final List<String> after = NetnsTopology.listNamespaces();
        for (final String ns : created)
        {
            assertFalse(after.contains(ns), ns + " removed on close");
        }
    }

    @Test
    void shouldApplyNamesSubnetMtuAndStaticNeighboursWhenAsked()
    {
        Privileges.requireNetworkPrivileges("a configured two-host topology");
        try (NetnsTopology topology = NetnsTopology.builder(PREFIX + "-").subnet(200).mtu(1400).staticNeighbours(true)
            .hostSuffixes("a", "b").interfaceNames("ua" + PID, "ub" + PID).create())
        {
            final NetnsTopology.Host a = topology.host(0);
            final NetnsTopology.Host b = topology.host(1);
            assertEquals(PREFIX + "-" + PID + "-a", a.namespace());
            assertEquals("10.251.200.2", b.address());
            assertEquals("02:00:0a:fb:c8:01", a.mac());
            final String link = IpCommand.run("-n", a.namespace(), "link", "show", "dev", "ua" + PID);
            assertTrue(link.contains("mtu 1400") && link.contains(a.mac()) && link.contains("UP"), link);
            assertTrue(IpCommand.run("-n", a.namespace(), "link", "show", "dev", "lo").contains("UP"), "lo up");
            final String neighbours = IpCommand.run("-n", a.namespace(), "neigh", "show", "dev", "ua" + PID);
            assertTrue(neighbours.contains(b.address() + " lladdr " + b.mac() + " PERMANENT"), neighbours);
        }
    }

    @Test
    void shouldLeaveLinksSilentWhenIpv6DisabledAndNoAddresses()
    {
        Privileges.requireNetworkPrivileges("a silent two-host topology");
        try (NetnsTopology topology = NetnsTopology.builder(PREFIX).instance("s").disableIpv6(true)
            .assignAddresses(false).staticNeighbours(true).create())
        {
            for (final NetnsTopology.Host host : topology.hosts())
            {
                final String ns = host.namespace();
                final String dev = host.interfaceName();
                assertEquals("1", IpCommand.run("netns", "exec", ns, "cat", "/proc/sys/net/ipv6/conf/" + dev + "/disable_ipv6"));
                final String addresses = IpCommand.run("-n", ns, "addr", "show", "dev", dev);
                assertFalse(addresses.contains("inet"), addresses);
                assertTrue(addresses.contains("UP") && addresses.contains(host.mac()), addresses);
                assertEquals("", IpCommand.run("-n", ns, "neigh", "show", "dev", dev), "no neighbours without addresses");
            }
        }
    }

    @Test
    void shouldJoinThreeHostsThroughABridge() throws Exception
    {
        Privileges.requireNetworkPrivileges("a bridged topology");
        try (NetnsTopology topology = NetnsTopology.builder(PREFIX).instance("c").hosts(3).create())
        {
            assertEquals(PREFIX + PID + "c-sw", topology.switchNamespace());
            assertEquals(4, topology.namespaces().size(), "three hosts and a switch");
            final NetnsTopology.Host c = topology.host(2);
            final DatagramChannel receiver = inNamespace(c.namespace(), () ->
                DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(c.address(), 40126)));
            try (receiver)
            {
                for (int i = 0; i < 2; i++)
                {
                    final NetnsTopology.Host from = topology.host(i);
                    try (DatagramChannel sender = inNamespace(from.namespace(),
                        () -> DatagramChannel.open(StandardProtocolFamily.INET)))
                    {
                        sender.send(ByteBuffer.wrap(new byte[]{ (byte)i }), new InetSocketAddress(c.address(), 40126));
                    }
                    final ByteBuffer buffer = ByteBuffer.allocate(8);
                    final InetSocketAddress source = (InetSocketAddress)receiver.receive(buffer);
                    assertEquals(from.address(), source.getAddress().getHostAddress());
                    assertEquals(i, buffer.get(0));
                }
            }
        }
    }

    @Test
    void shouldRemoveWhatWasMadeAndNameTheCommandWhenAStepFails()
    {
        Privileges.requireNetworkPrivileges("a failing topology");
        final IllegalStateException thrown = assertThrows(IllegalStateException.class,
            () -> NetnsTopology.builder(PREFIX).instance("f").interfaceNames("bad name", "veth0").create());
        assertTrue(thrown.getMessage().startsWith("`ip link add name bad name"), thrown.getMessage());
        for (final String ns : NetnsTopology.listNamespaces())
        {
            assertFalse(ns.startsWith(PREFIX + PID + "f-"), ns + " removed after the failure");
        }
    }

    @Test
    void shouldRemoveNamespacesOfDeadProcessesOnly() throws Exception
    {
        Privileges.requireNetworkPrivileges("the stale-namespace sweep");
        final Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        final String stale = PREFIX + dead.pid() + "x1-h0";
        final String live = PREFIX + PID + "live-h0";
        IpCommand.run("netns", "add", stale);
        IpCommand.run("netns", "add", live);
        try
        {
            final List<String> removed = NetnsTopology.removeStale(PREFIX);
            assertTrue(removed.contains(stale), removed.toString());
            final List<String> left = NetnsTopology.listNamespaces();
            assertFalse(left.contains(stale), "stale namespace swept");
            assertTrue(left.contains(live), "a live owner's namespace stays");
        }
        finally
        {
            IpCommand.tryRun("netns", "delete", stale);
            IpCommand.tryRun("netns", "delete", live);
        }
    }

    @Test
    void shouldParseTheOwnerPidFromTheName()
    {
        assertEquals(1234, NetnsTopology.ownerPid("oobt", "oobt1234x7-h0"));
        assertEquals(1234, NetnsTopology.ownerPid("oobb-", "oobb-1234-a"));
        assertEquals(4194999, NetnsTopology.ownerPid("oobh", "oobh4194999-a"));
        assertEquals(77, NetnsTopology.ownerPid("oobnet-doctor-", "oobnet-doctor-77"));
        assertEquals(-1, NetnsTopology.ownerPid("oobt", "other-ns"));
        assertEquals(-1, NetnsTopology.ownerPid("oobt", "oobtx-h0"));
        assertEquals(-1, NetnsTopology.ownerPid("oobt", "oobt-none0"));
    }

    @Test
    void shouldRejectBadDescriptionsWithTheirValue()
    {
        assertEquals("prefix=Bad must match [a-z][a-z0-9-]{0,15}",
            assertThrows(IllegalArgumentException.class, () -> NetnsTopology.builder("Bad")).getMessage());
        assertEquals("hostCount=1 must be between 2 and 200",
            assertThrows(IllegalArgumentException.class, () -> NetnsTopology.builder("oobu").hosts(1)).getMessage());
        assertEquals("subnet=256 must be between 0 and 255",
            assertThrows(IllegalArgumentException.class, () -> NetnsTopology.builder("oobu").subnet(256)).getMessage());
        assertEquals("mtu=20 must be 0 or between 68 and 65535",
            assertThrows(IllegalArgumentException.class, () -> NetnsTopology.builder("oobu").mtu(20)).getMessage());
        assertEquals("hostSuffixes.size=1 must equal hostCount=2",
            assertThrows(IllegalArgumentException.class, () -> NetnsTopology.builder("oobu").hostSuffixes("a").create())
                .getMessage());
    }

    /** Runs {@code task} on a fresh platform thread that entered {@code namespace}; its sockets stay there. */
    private static <T> T inNamespace(final String namespace, final Callable<T> task) throws Exception
    {
        final FutureTask<T> future = new FutureTask<>(() ->
        {
            NamespaceEntry.enter(namespace);
            return task.call();
        });
        final Thread thread = Thread.ofPlatform().name("enter-" + namespace).start(future);
        thread.join();
        return future.get();
    }
}
