package org.oobnet.udp.route;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.netns.IpCommand;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;
import org.oobnet.udp.frame.Ipv4Flyweight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Route and neighbour resolution from the real kernel of two namespaces joined by veth.
 */
class RouteResolverTest
{
    private NetnsFixture fixture;
    private NetnsFixture.Host a;
    private NetnsFixture.Host b;
    private RouteResolver resolver;

    @BeforeEach
    void setUp() throws Exception
    {
        fixture = NetnsFixture.create(2);
        a = fixture.host(0);
        b = fixture.host(1);
        resolver = fixture.call(a, RouteResolver::new);
    }

    @AfterEach
    void tearDown()
    {
        if (null != resolver)
        {
            resolver.close();
        }
        if (null != fixture)
        {
            fixture.close();
        }
    }

    @Test
    void shouldResolvePeerMacAcrossVethWhenKernelHasNoEntry() throws Exception
    {
        final int peer = Ipv4Flyweight.parseAddress(b.address());
        assertNull(resolver.routes().lookup(peer));

        final NextHop hop = resolver.solicit(peer, false);

        assertEquals(peer, hop.nextHop());
        assertEquals(Ipv4Flyweight.parseAddress(a.address()), hop.srcAddress());
        assertEquals(EthernetHeaderFlyweight.parseMac(a.mac()), hop.srcMac());
        assertEquals(1500, hop.mtu());
        assertEquals(RtnetlinkDescriptor.RTN_UNICAST, hop.routeType());
        assertEquals(hop, resolver.routes().lookup(peer));
        final NeighbourEntry neighbour = resolver.neighbours().lookup(peer);
        assertNotNull(neighbour);
        assertEquals(EthernetHeaderFlyweight.parseMac(b.mac()), neighbour.mac());
        assertTrue(IpCommand.run("-n", a.namespace(), "neigh", "show").contains(b.mac()),
            "the kernel resolved the peer too");
    }

    @Test
    void shouldFailWithEnetunreachWhenNoRoute()
    {
        final ErrnoException ex = assertThrows(ErrnoException.class,
            () -> resolver.solicit(Ipv4Flyweight.parseAddress("10.251.9.1"), false));
        assertEquals(Errno.ENETUNREACH, ex.errno());
    }

    @Test
    void shouldFailWithEhostunreachWhenNobodyAnswersArp()
    {
        final ErrnoException ex = assertThrows(ErrnoException.class,
            () -> resolver.solicit(Ipv4Flyweight.parseAddress("10.251.0.77"), false,
                TimeUnit.MILLISECONDS.toNanos(300)));
        assertEquals(Errno.EHOSTUNREACH, ex.errno());
        assertTrue(ex.getMessage().contains("no ARP answer for 10.251.0.77"), ex.getMessage());
    }

    @Test
    void shouldResolveBroadcastWithoutArp() throws Exception
    {
        final int broadcast = Ipv4Flyweight.parseAddress("10.251.0.255");
        final NextHop hop = resolver.solicit(broadcast, false);
        assertEquals(RtnetlinkDescriptor.RTN_BROADCAST, hop.routeType());
        assertEquals(EthernetHeaderFlyweight.BROADCAST, resolver.neighbours().lookup(hop.nextHop()).mac());
    }

    @Test
    void shouldKeepBroadcastNeighbourAcrossRefresh() throws Exception
    {
        final int broadcast = Ipv4Flyweight.parseAddress("10.251.0.255");
        resolver.solicit(broadcast, false);
        resolver.refresh();
        assertEquals(EthernetHeaderFlyweight.BROADCAST, resolver.neighbours().lookup(broadcast).mac());
        assertNotNull(resolver.routes().lookup(broadcast));
    }

    @Test
    void shouldDropNonPermanentEntriesAndKeepPermanentOnesWhenKernelForgets() throws Exception
    {
        final int peer = Ipv4Flyweight.parseAddress(b.address());
        resolver.solicit(peer, false);
        IpCommand.run("-n", a.namespace(), "neigh", "flush", "dev", a.interfaceName());
        resolver.refresh();
        assertNull(resolver.neighbours().lookup(peer), "non-permanent neighbour follows the kernel");

        resolver.solicit(peer, true);
        IpCommand.run("-n", a.namespace(), "neigh", "flush", "dev", a.interfaceName());
        resolver.refresh();
        assertEquals(EthernetHeaderFlyweight.parseMac(b.mac()), resolver.neighbours().lookup(peer).mac());
    }

    @Test
    void shouldServeStageRequestsOnResolverThread() throws Exception
    {
        final int peer = Ipv4Flyweight.parseAddress(b.address());
        resolver.start(1000);
        resolver.requestSolicit(peer);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (null == resolver.neighbours().lookup(peer) && System.nanoTime() - deadlineNs < 0)
        {
            Thread.sleep(1);
        }
        assertEquals(EthernetHeaderFlyweight.parseMac(b.mac()), resolver.neighbours().lookup(peer).mac());
        assertNotNull(resolver.routes().lookup(peer));
    }

    @Test
    void shouldRefreshWhenKernelAnnouncesNeighbourChange() throws Exception
    {
        final int peer = Ipv4Flyweight.parseAddress(b.address());
        resolver.solicit(peer, false);
        resolver.start(60_000);
        final long before = resolver.refreshCount();
        IpCommand.run("-n", a.namespace(), "neigh", "replace", b.address(), "lladdr", "02:00:0a:fb:00:99",
            "dev", a.interfaceName(), "nud", "reachable");
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (resolver.neighbours().lookup(peer).mac() != 0x02000AFB0099L && System.nanoTime() - deadlineNs < 0)
        {
            Thread.sleep(1);
        }
        assertEquals(0x02000AFB0099L, resolver.neighbours().lookup(peer).mac());
        assertTrue(resolver.refreshCount() > before);
    }
}
