package org.oobnet.udp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.oobnet.config.InterfaceConfig;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.core.RuntimeStage;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.udp.frame.DropReason;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A socket bound on west's interface and then named onto east ({@code SO_OOB_STAGE} after bind) moves all or
 * nothing: east's port on that interface opens before the socket moves, so no datagram is refused for the move's
 * sake (before, the old port's deliveries were refused with {@code EXDEV} for as long as the port took to open and
 * counted as {@code receive-full}; now a datagram that comes first fixes the socket's stage, {@code EBUSY}); when the port cannot open, the socket stays on west, still receiving, and the
 * error names the stage and the interface.
 */
class StageNamedAfterBindTest
{
    private static final String A_WEST = "oobs0";
    private static final String B_WEST = "oobs1";
    private static final String A_WEST_ADDRESS = "10.251.251.1";
    private static final String B_WEST_ADDRESS = "10.251.251.2";
    private static final int PEER_PORT = 6310;
    private static final int PORT = 5310;

    @Test
    void shouldRefuseNoDatagramWhenNamedOntoAnotherStageAsTrafficStarts() throws Exception
    {
        run((fixture, a, stack, runtime, socket, westPort, traffic) ->
        {
            final RuntimeStage west = runtime.stage("west");
            final RuntimeStage east = runtime.stage("east");
            final Set<Thread> threads = ConcurrentHashMap.newKeySet();
            socket.stageReceiveHandler((s, buf, o, l) -> threads.add(Thread.currentThread()));

            // the datagrams start as the option is set: either the move wins (the socket is on east) or the first
            // datagram does (its I/O fixed the socket on west: EBUSY); either way none is refused for the move's sake
            traffic.set(true);
            int rc = 0;
            try
            {
                fixture.call(a, () ->
                {
                    socket.ksocket().setOption(OobSocket.SOL_OOB, OobSocket.SO_OOB_STAGE, name("east"));
                    return null;
                });
            }
            catch (final ErrnoException ex)
            {
                rc = -ex.errno();
            }
            final RuntimeStage expected = 0 == rc ? east : west;
            System.out.println("named after bind as traffic starts: rc=" + rc + " stage=" + socket.runtimeStage().name());
            if (rc < 0)
            {
                assertEquals(-Errno.EBUSY, rc);
            }
            assertEquals(expected, socket.runtimeStage());
            final long before = socket.counters().packetsIn().get();
            UdpHosts.await(() -> socket.counters().packetsIn().get() >= before + 200, "datagrams after the move");
            threads.clear();
            final long later = socket.counters().packetsIn().get();
            UdpHosts.await(() -> socket.counters().packetsIn().get() >= later + 50, "datagrams after the move");
            assertEquals(Set.of(expected.thread()), threads);
            System.out.println("west's port: " + westPort.drops());
            assertEquals(0, westPort.drops().drops(DropReason.RECEIVE_FULL), "west's port: " + westPort.drops());
            final PacketPort eastOnWest = stack.port(westPort.ifindex(), east.stage());
            if (null != eastOnWest)
            {
                assertEquals(0, eastOnWest.drops().drops(DropReason.RECEIVE_FULL), "east's port: " + eastOnWest.drops());
            }
        });
    }

    @Test
    void shouldStayOnItsStageWhenTheNamedStagesPortCannotOpen() throws Exception
    {
        run((fixture, a, stack, runtime, socket, westPort, traffic) ->
        {
            final RuntimeStage west = runtime.stage("west");
            final RuntimeStage east = runtime.stage("east");
            final Set<Thread> threads = ConcurrentHashMap.newKeySet();
            socket.stageReceiveHandler((s, buf, o, l) -> threads.add(Thread.currentThread()));

            // from this thread's namespace, which has no oobs0: east's port there cannot open
            final ErrnoException ex = assertThrows(ErrnoException.class,
                () -> socket.ksocket().setOption(OobSocket.SOL_OOB, OobSocket.SO_OOB_STAGE, name("east")));
            assertEquals(Errno.ENODEV, ex.errno(), ex.getMessage());
            assertEquals("setsockopt: ENODEV (No such device) fd=" + socket.ksocket().fd() + " level=" +
                OobSocket.SOL_OOB + " name=" + OobSocket.SO_OOB_STAGE + " hook=setoptRedirect stage=east interface=" +
                A_WEST + " step=open port", ex.getMessage());

            assertEquals(west, socket.runtimeStage());
            assertNull(stack.port(westPort.ifindex(), east.stage()), "east has no port on " + A_WEST);
            traffic.set(true);
            final long before = socket.counters().packetsIn().get();
            UdpHosts.await(() -> socket.counters().packetsIn().get() >= before + 200, "datagrams still on west");
            assertEquals(Set.of(west.thread()), threads);
        });
    }

    private interface Scenario
    {
        void run(NetnsFixture fixture, NetnsFixture.Host a, UdpStack stack, OobRuntime runtime, OobSocket socket,
            PacketPort westPort, AtomicBoolean traffic) throws Exception;
    }

    // A's socket bound on west's interface (so on west); B blasts datagrams at it once the scenario sets traffic
    private static void run(final Scenario scenario) throws Exception
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
            final Path countersDir = Files.createTempDirectory("oob-udp-named-after-bind");
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
                DatagramChannel peer = fixture.call(b, () -> DatagramChannel.open()
                    .bind(new InetSocketAddress(B_WEST_ADDRESS, PEER_PORT))))
            {
                final OobSocket socket = OobSocket.of(fixture.call(a, () ->
                {
                    final KSocket s = KSocket.socket(SocketConstants.AF_INET,
                        SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_OOB, 0);
                    sockets.add(s);
                    s.bind(new InetSocketAddress(A_WEST_ADDRESS, PORT));
                    return s;
                }));
                assertEquals(runtime.stage("west"), socket.runtimeStage());
                final AtomicBoolean running = new AtomicBoolean(true);
                final AtomicBoolean traffic = new AtomicBoolean();
                final Thread blaster = blaster(running, traffic, peer, new InetSocketAddress(A_WEST_ADDRESS, PORT));
                try
                {
                    scenario.run(fixture, a, stack, runtime, socket, stack.portNamed(A_WEST), traffic);
                }
                finally
                {
                    for (final KSocket s : sockets)
                    {
                        if (!s.isClosed())
                        {
                            s.close();
                        }
                    }
                    runtime.close();
                    running.set(false);
                    blaster.join();
                }
            }
            finally
            {
                stack.close();
            }
        }
    }

    private static MemorySegment name(final String text)
    {
        return Arena.ofAuto().allocateFrom(text, StandardCharsets.US_ASCII);
    }

    // a plain thread: the channel was made in B's namespace and stays there
    private static Thread blaster(final AtomicBoolean running, final AtomicBoolean traffic, final DatagramChannel channel,
        final InetSocketAddress target)
    {
        final Thread thread = new Thread(() ->
        {
            final ByteBuffer payload = ByteBuffer.allocate(32);
            while (running.get())
            {
                if (!traffic.get())
                {
                    LockSupport.parkNanos(20_000L);
                    continue;
                }
                try
                {
                    payload.clear();
                    channel.send(payload, target);
                }
                catch (final java.io.IOException ex)
                {
                    return;
                }
                LockSupport.parkNanos(20_000L);
            }
        }, "blaster");
        thread.start();
        return thread;
    }
}
