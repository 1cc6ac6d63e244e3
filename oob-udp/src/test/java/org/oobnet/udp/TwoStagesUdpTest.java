package org.oobnet.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.config.InterfaceConfig;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.core.RuntimeStage;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.testing.SteadyStateAllocation;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.udp.frame.Ipv4Flyweight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two stages, two veth pairs between A and B: {@code east} serves A's {@code veth0}, {@code west} a second pair
 * ({@code oobs0} in A, {@code oobs1} in B). Each interface's port is on its stage; a socket lands on the stage of
 * its bound address or {@code SO_BINDTODEVICE}; a socket named onto east but bound on west's interface gets east's
 * own port there (one port per (stage, interface)), and so does one named onto east after its bind; traffic on both pairs at once is served by the right stage's
 * thread, neither stage allocates, and the runtime closes under traffic.
 */
class TwoStagesUdpTest
{
    private static final String A_WEST = "oobs0";
    private static final String B_WEST = "oobs1";
    private static final String A_WEST_ADDRESS = "10.251.251.1";
    private static final String B_WEST_ADDRESS = "10.251.251.2";
    private static final int PEER_PORT = 6300;

    @Test
    void shouldServeEachInterfaceOnItsOwnStage() throws Exception
    {
        try (NetnsFixture fixture = NetnsFixture.create(2))
        {
            final NetnsFixture.Host a = fixture.host(0);
            final NetnsFixture.Host b = fixture.host(1);
            ExtraVethPair.add(fixture, a, A_WEST, A_WEST_ADDRESS, b, B_WEST, B_WEST_ADDRESS);

            final UdpStack stack = fixture.call(a, () -> UdpStack.open(new UdpStackConfig(UdpTransport.PACKET,
                List.of(InterfaceConfig.defaults(a.interfaceName()), InterfaceConfig.defaults(A_WEST)),
                UdpStackConfig.DEFAULT_KERNEL_BATCH, UdpStackConfig.DEFAULT_RX_POLL_LIMIT, true,
                UdpStackConfig.DEFAULT_REFRESH_INTERVAL_MS)));
            final Path countersDir = Files.createTempDirectory("oob-udp-two-stages");
            final ProtocolRegistry registry = new ProtocolRegistry().register(SocketConstants.AF_INET, stack.protocol());
            final int last = Runtime.getRuntime().availableProcessors() - 1;
            final List<KSocket> sockets = new ArrayList<>();
            try (OobRuntime runtime = OobRuntime.start(OobConfig.builder()
                .countersDir(countersDir)
                .stages(List.of(
                    new OobConfig.StageSpec("east", 0, OobConfig.IdleStrategyKind.BACKOFF, 100_000L,
                        List.of(a.interfaceName())),
                    new OobConfig.StageSpec("west", last, OobConfig.IdleStrategyKind.BACKOFF, 100_000L,
                        List.of(A_WEST))))
                .build(), registry);
                DatagramChannel eastPeer = fixture.call(b, () -> DatagramChannel.open()
                    .bind(new InetSocketAddress(b.address(), PEER_PORT)));
                DatagramChannel westPeer = fixture.call(b, () -> DatagramChannel.open()
                    .bind(new InetSocketAddress(B_WEST_ADDRESS, PEER_PORT))))
            {
                final RuntimeStage east = runtime.stage("east");
                final RuntimeStage west = runtime.stage("west");
                final OobSocket x = bound(fixture, a, sockets, a.address(), 5300, null);
                final OobSocket y = bound(fixture, a, sockets, A_WEST_ADDRESS, 5301, null);
                final OobSocket z = bound(fixture, a, sockets, "0.0.0.0", 5302, A_WEST);
                assertEquals(east, x.runtimeStage());
                assertEquals(west, y.runtimeStage());
                assertEquals(west, z.runtimeStage());

                // named after its bind onto a stage that does not serve the bound interface: moved, and its new stage
                // gets a port there (before w, so that east has none on the west interface yet)
                final PacketPort westPort = stack.portNamed(A_WEST);
                final OobSocket v = bound(fixture, a, sockets, A_WEST_ADDRESS, 5304, null);
                assertEquals(west, v.runtimeStage());
                assertNull(stack.port(westPort.ifindex(), east.stage()), "east has no port on " + A_WEST);
                fixture.call(a, () ->
                {
                    v.ksocket().setOption(OobSocket.SOL_OOB, OobSocket.SO_OOB_STAGE, name("east"));
                    return null;
                });
                assertEquals(east, v.runtimeStage());
                assertNotNull(stack.port(westPort.ifindex(), east.stage()), "east's port on " + A_WEST + " after v");

                // named onto a stage that does not serve the bound interface: served by a port of its own stage there
                final OobSocket w = OobSocket.of(fixture.call(a, () ->
                {
                    final KSocket s = udp(sockets);
                    s.setOption(OobSocket.SOL_OOB, OobSocket.SO_OOB_STAGE, name("east"));
                    s.bind(new InetSocketAddress(A_WEST_ADDRESS, 5303));
                    return s;
                }));
                assertEquals(east, w.runtimeStage());
                final PacketPort eastOnWest = stack.port(westPort.ifindex(), east.stage());
                assertNotNull(eastOnWest, "east's own port on " + A_WEST);
                assertNotSame(westPort, eastOnWest);
                assertSame(westPort, stack.port(westPort.ifindex(), west.stage()));

                final Set<Thread> xThreads = ConcurrentHashMap.newKeySet();
                final Set<Thread> yThreads = ConcurrentHashMap.newKeySet();
                final Set<Thread> zThreads = ConcurrentHashMap.newKeySet();
                final Set<Thread> wThreads = ConcurrentHashMap.newKeySet();
                final Set<Thread> vThreads = ConcurrentHashMap.newKeySet();
                v.stageReceiveHandler((s, buf, o, l) -> vThreads.add(Thread.currentThread()));
                w.stageReceiveHandler((s, buf, o, l) -> wThreads.add(Thread.currentThread()));
                x.stageReceiveHandler((s, buf, o, l) -> xThreads.add(Thread.currentThread()));
                y.stageReceiveHandler((s, buf, o, l) -> yThreads.add(Thread.currentThread()));
                z.stageReceiveHandler((s, buf, o, l) -> zThreads.add(Thread.currentThread()));

                // B sends to all three at once, from two threads (one per pair), until each got 200
                final AtomicBoolean running = new AtomicBoolean(true);
                final Thread toEast = blaster(running, eastPeer, new InetSocketAddress(a.address(), 5300));
                final Thread toWest = blaster(running, westPeer, new InetSocketAddress(A_WEST_ADDRESS, 5301),
                    new InetSocketAddress(A_WEST_ADDRESS, 5302), new InetSocketAddress(A_WEST_ADDRESS, 5303),
                    new InetSocketAddress(A_WEST_ADDRESS, 5304));
                try
                {
                    UdpHosts.await(() -> x.counters().packetsIn().get() >= 200 && y.counters().packetsIn().get() >= 200 &&
                        z.counters().packetsIn().get() >= 200 && w.counters().packetsIn().get() >= 200 &&
                        v.counters().packetsIn().get() >= 200, "datagrams on both pairs");
                    assertEquals(Set.of(east.thread()), wThreads);
                    assertEquals(Set.of(east.thread()), vThreads);
                    assertTrue(eastOnWest.packetCounters().get(PacketCounter.FRAMES_IN) > 0);
                    assertEquals(Set.of(east.thread()), xThreads);
                    assertEquals(Set.of(west.thread()), yThreads);
                    assertEquals(Set.of(west.thread()), zThreads);
                    assertEquals(east.name(), "east");
                    assertTrue(stack.portNamed(a.interfaceName()).packetCounters().get(PacketCounter.FRAMES_IN) > 0);
                    assertTrue(stack.portNamed(A_WEST).packetCounters().get(PacketCounter.FRAMES_IN) > 0);

                    // and back: each socket's sends leave by its own stage's port
                    final long eastOut = stack.portNamed(a.interfaceName()).packetCounters().get(PacketCounter.FRAMES_OUT);
                    final long westOut = stack.portNamed(A_WEST).packetCounters().get(PacketCounter.FRAMES_OUT);
                    final UnsafeBuffer payload = new UnsafeBuffer("reply".getBytes(StandardCharsets.US_ASCII));
                    fixture.call(a, () ->
                    {
                        UdpSockets.solicit(x, Ipv4Flyweight.parseAddress(b.address()), false);
                        UdpSockets.solicit(y, Ipv4Flyweight.parseAddress(B_WEST_ADDRESS), false);
                        return null;
                    });
                    assertEquals(0, UdpSockets.sendTo(x, Ipv4Flyweight.parseAddress(b.address()), PEER_PORT, payload, 0, 5));
                    assertEquals(0, UdpSockets.sendTo(y, Ipv4Flyweight.parseAddress(B_WEST_ADDRESS), PEER_PORT, payload,
                        0, 5));
                    UdpHosts.await(() ->
                        stack.portNamed(a.interfaceName()).packetCounters().get(PacketCounter.FRAMES_OUT) > eastOut &&
                        stack.portNamed(A_WEST).packetCounters().get(PacketCounter.FRAMES_OUT) > westOut,
                        "a frame out of each stage's port");
                    // the stage counts a fast send after committing its frame: wait for the count, not only the frame
                    UdpHosts.await(() -> UdpSockets.state(x).fastSends() >= 1 && UdpSockets.state(y).fastSends() >= 1,
                        "x's and y's sends counted on the fast path");
                    assertEquals(1, UdpSockets.state(x).fastSends());
                    assertEquals(1, UdpSockets.state(y).fastSends());

                    // w's sends leave by east's own port on the west interface, not by west's
                    final long eastOnWestOut = eastOnWest.packetCounters().get(PacketCounter.FRAMES_OUT);
                    fixture.call(a, () ->
                    {
                        UdpSockets.solicit(w, Ipv4Flyweight.parseAddress(B_WEST_ADDRESS), false);
                        return null;
                    });
                    assertEquals(0, UdpSockets.sendTo(w, Ipv4Flyweight.parseAddress(B_WEST_ADDRESS), PEER_PORT, payload,
                        0, 5));
                    UdpHosts.await(() -> eastOnWest.packetCounters().get(PacketCounter.FRAMES_OUT) > eastOnWestOut,
                        "a frame out of east's port on " + A_WEST);
                    UdpHosts.await(() -> UdpSockets.state(w).fastSends() >= 1, "w's send counted on the fast path");
                    assertEquals(1, UdpSockets.state(w).fastSends());

                    // neither stage allocates while both pairs carry traffic
                    for (final RuntimeStage stage : runtime.stages())
                    {
                        final AtomicLong cycles = new AtomicLong();
                        final long allocated = SteadyStateAllocation.ofThread(stage.thread().threadId(), () ->
                        {
                            final long before = stage.counters().cycles().get();
                            while (stage.counters().cycles().get() - before < 5_000)
                            {
                                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
                            }
                            cycles.set(stage.counters().cycles().get() - before);
                        });
                        assertEquals(0, allocated, "bytes allocated by stage " + stage.name() + " under traffic");
                    }
                }
                finally
                {
                    // close under traffic: the blasters still run while every socket and the runtime close
                    for (final KSocket socket : sockets)
                    {
                        if (!socket.isClosed())
                        {
                            socket.close();
                        }
                    }
                    runtime.close();
                    running.set(false);
                    toEast.join();
                    toWest.join();
                }
                assertEquals(0, runtime.liveSockets());
            }
            finally
            {
                stack.close();
            }
        }
    }

    private static KSocket udp(final List<KSocket> sockets) throws ErrnoException
    {
        final KSocket s = KSocket.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_OOB, 0);
        sockets.add(s);
        return s;
    }

    private static java.lang.foreign.MemorySegment name(final String text)
    {
        return java.lang.foreign.Arena.ofAuto().allocateFrom(text, StandardCharsets.US_ASCII);
    }

    private static OobSocket bound(final NetnsFixture fixture, final NetnsFixture.Host host, final List<KSocket> sockets,
        final String address, final int port, final String device) throws Exception
    {
        return OobSocket.of(fixture.call(host, () ->
        {
            final KSocket s = udp(sockets);
            if (null != device)
            {
                s.setOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_BINDTODEVICE, name(device));
            }
            s.bind(new InetSocketAddress(address, port));
            return s;
        }));
    }

    // a plain thread: the channel was made in B's namespace and stays there
    private static Thread blaster(final AtomicBoolean running, final DatagramChannel channel,
        final InetSocketAddress... targets)
    {
        final Thread thread = new Thread(() ->
        {
            final ByteBuffer payload = ByteBuffer.allocate(32);
            while (running.get())
            {
                for (final InetSocketAddress target : targets)
                {
                    try
                    {
                        payload.clear();
                        channel.send(payload, target);
                    }
                    catch (final java.io.IOException ex)
                    {
                        return;
                    }
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000L);
            }
        }, "blaster");
        thread.start();
        return thread;
    }
}
