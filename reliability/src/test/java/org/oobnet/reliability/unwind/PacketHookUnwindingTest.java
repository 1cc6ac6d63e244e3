package org.oobnet.reliability.unwind;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.Errno;
import org.oobnet.inband.SockAddr;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.sys.TpacketStatsDescriptor;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.packet.PacketConfig;
import org.oobnet.packet.PacketProtocol;
import org.oobnet.reliability.unwind.FailingEverywhereProtocol.Point;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.oobnet.inband.SocketConstants.AF_PACKET;
import static org.oobnet.inband.SocketConstants.SOCK_OOB;
import static org.oobnet.inband.SocketConstants.SOCK_RAW;

/**
 * oob-packet's real protocol (TPACKET_V2 RX and TX rings mapped from the kernel) with each entry point failing
 * in turn: after every failure and the close that follows, the process holds exactly the descriptors, socket
 * mappings and allocated counters it held before, no OOB context is left, the stage still runs, and the socket
 * ended as docs/sdk.md says (a failed attach fails {@code socket()}; a failed post-hook or redirect fails only
 * that call and leaves the socket open and closable; a throwing stage method is counted as a hook error and the
 * stage goes on; a throwing release or destroy still frees everything).
 * <p>
 * Complements oob-testkit's contract (hook order, contexts and descriptors with the AF_OOB bus): here the
 * resources are a real protocol's kernel rings, and the redirects and stage methods fail too.
 */
class PacketHookUnwindingTest
{
    private static final int ETHER_TYPE = 0x88b6;
    private static final int INJECTED_ERRNO = Errno.ENOBUFS;
    private static NetnsFixture fixture;

    @TempDir
    Path countersDir;

    /** One failure, and what the caller sees from it. */
    enum Case
    {
        ATTACH_RETURNS_ERRNO(Point.ATTACH, false),
        ATTACH_THROWS(Point.ATTACH, true),
        BIND_RETURNS_ERRNO(Point.BIND, false),
        BIND_THROWS(Point.BIND, true),
        INBAND_IOCTL_RETURNS_ERRNO(Point.INBAND_IOCTL, false),
        INBAND_IOCTL_THROWS(Point.INBAND_IOCTL, true),
        SETOPT_RETURNS_ERRNO(Point.SETOPT, false),
        SETOPT_THROWS(Point.SETOPT, true),
        GETOPT_RETURNS_ERRNO(Point.GETOPT, false),
        GETOPT_THROWS(Point.GETOPT, true),
        ON_STAGE_ATTACH_THROWS(Point.ON_STAGE_ATTACH, true),
        POLL_THROWS(Point.POLL, true),
        FLUSH_THROWS(Point.FLUSH, true),
        ON_STAGE_DETACH_THROWS(Point.ON_STAGE_DETACH, true),
        RELEASE_THROWS(Point.RELEASE, true),
        DESTROY_THROWS(Point.DESTROY, true);

        final Point point;
        final boolean throwing;

        Case(final Point point, final boolean throwing)
        {
            this.point = point;
            this.throwing = throwing;
        }

        /** The errno the failing call reports: the hook's own, or EIO for a hook that threw. */
        int expectedErrno()
        {
            return throwing ? Errno.EIO : INJECTED_ERRNO;
        }
    }

    @BeforeAll
    static void createNamespaces()
    {
        fixture = NetnsFixture.create(2);
    }

    @AfterAll
    static void removeNamespaces()
    {
        if (null != fixture)
        {
            fixture.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void shouldLeakNoDescriptorMappingCounterOrContextWhenHookFails(final Case failure) throws Exception
    {
        final PacketConfig config = PacketConfig.fromProperties(Map.of(
            PacketConfig.RX_FRAMES_KEY, "64", PacketConfig.TX_FRAMES_KEY, "64"));
        final FailingEverywhereProtocol protocol = new FailingEverywhereProtocol(
            new PacketProtocol(config), failure.point, failure.throwing, INJECTED_ERRNO);
        final NetnsFixture.Host host = fixture.host(0);
        try (OobRuntime runtime = OobRuntime.start(OobConfig.builder()
            .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
            .countersDir(countersDir)
            .build(), new ProtocolRegistry().register(AF_PACKET, protocol)))
        {
            // one socket through its whole life first, so lazily made resources are in the baseline
            final KSocket warm = openBound(host);
            assertTrue(ProcessResources.countSocketMappings() > 0, "a bound packet socket maps its rings");
            warm.close();
            final int liveBefore = runtime.liveSockets();
            final ProcessResources before = ProcessResources.take(runtime.countersPath());
            final long errorsBefore = runtime.counters().errors().get();

            protocol.armed(true);
            exercise(failure, host, runtime);
            protocol.armed(false);

            awaitTrue(() -> runtime.liveSockets() == liveBefore, "live OOB contexts back to " + liveBefore);
            awaitTrue(() -> before.equals(ProcessResources.take(runtime.countersPath())),
                () -> "resources back to " + before + ", now " + ProcessResources.take(runtime.countersPath()));
            if (failure.throwing)
            {
                assertTrue(runtime.counters().errors().get() > errorsBefore, "the exception reached the error log");
            }
            assertTrue(runtime.stageThread().isAlive(), "stage thread alive");
            final long cycles = runtime.counters().cycles().get();
            awaitTrue(() -> runtime.counters().cycles().get() > cycles + 2, "stage still cycling");

            // and the protocol still works: a new socket maps its rings and gives them back
            final KSocket after = openBound(host);
            assertTrue(ProcessResources.countSocketMappings() > before.socketMappings(), "rings mapped again");
            after.close();
            awaitTrue(() -> before.equals(ProcessResources.take(runtime.countersPath())), "resources back again");
        }
    }

    private void exercise(final Case failure, final NetnsFixture.Host host, final OobRuntime runtime)
        throws Exception
    {
        switch (failure.point)
        {
            case ATTACH ->
            {
                final ErrnoException thrown = assertThrows(ErrnoException.class, () -> fixture.call(host, () ->
                    KSocket.socket(AF_PACKET, SOCK_RAW | SOCK_OOB, SocketConstants.htons(ETHER_TYPE))));
                assertEquals(failure.expectedErrno(), thrown.errno(), "socket() fails with: " + thrown);
            }
            case BIND ->
            {
                final KSocket socket = open(host);
                final OobSocket context = OobSocket.of(socket);
                final ErrnoException thrown = assertThrows(ErrnoException.class, () -> bind(host, socket));
                assertEquals(failure.expectedErrno(), thrown.errno(), "bind() fails with: " + thrown);
                assertFalse(socket.isClosed(), "a failed bind leaves the socket open");
                assertTrue(context.counters().hookErrors().get() > 0, "hook error counted");
                closeAndCheck(socket, context);
            }
            case INBAND_IOCTL, SETOPT, GETOPT ->
            {
                final KSocket socket = openBound(host);
                final OobSocket context = OobSocket.of(socket);
                final ErrnoException thrown = assertThrows(ErrnoException.class, () -> redirected(failure.point, socket));
                assertEquals(failure.expectedErrno(), thrown.errno(), failure.point + " fails with: " + thrown);
                assertFalse(socket.isClosed(), "a failed " + failure.point + " leaves the socket open");
                closeAndCheck(socket, context);
            }
            case ON_STAGE_ATTACH, POLL, FLUSH ->
            {
                final long errors = runtime.counters().errors().get();
                final KSocket socket = openBound(host);
                final OobSocket context = OobSocket.of(socket);
                awaitTrue(() -> context.counters().hookErrors().get() > 0, "stage hook error counted on the socket");
                awaitTrue(() -> runtime.counters().errors().get() > errors, "stage error counted");
                closeAndCheck(socket, context);
            }
            case ON_STAGE_DETACH, RELEASE, DESTROY ->
            {
                final KSocket socket = openBound(host);
                final OobSocket context = OobSocket.of(socket);
                awaitTrue(context::isOnStage, "socket on the stage");
                closeAndCheck(socket, context);
            }
            default -> fail("no case for " + failure);
        }
    }

    private static void redirected(final Point point, final KSocket socket) throws Exception
    {
        try (Arena arena = Arena.ofConfined())
        {
            switch (point)
            {
                case INBAND_IOCTL -> socket.ioctl(SocketConstants.FIONREAD, arena.allocate(ValueLayout.JAVA_INT));
                case SETOPT -> socket.setOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_RCVBUF, 256 * 1024);
                case GETOPT -> socket.getOption(SocketConstants.SOL_PACKET, SocketConstants.PACKET_STATISTICS,
                    arena.allocate(TpacketStatsDescriptor.LENGTH, 4));
                default -> throw new IllegalArgumentException(point.toString());
            }
        }
    }

    private static void closeAndCheck(final KSocket socket, final OobSocket context) throws Exception
    {
        socket.close();
        assertTrue(socket.isClosed(), "closed");
        awaitTrue(context::isDestroyed, "context destroyed after close");
        assertFalse(context.isOpen(), "context no longer open");
    }

    private static KSocket open(final NetnsFixture.Host host) throws Exception
    {
        return fixture.call(host, () -> KSocket.socket(AF_PACKET, SOCK_RAW | SOCK_OOB, SocketConstants.htons(ETHER_TYPE)));
    }

    private static KSocket openBound(final NetnsFixture.Host host) throws Exception
    {
        final KSocket socket = open(host);
        try
        {
            bind(host, socket);
        }
        catch (final Exception | Error ex)
        {
            socket.close();
            throw ex;
        }
        return socket;
    }

    private static void bind(final NetnsFixture.Host host, final KSocket socket) throws Exception
    {
        fixture.run(host, () ->
        {
            try (Arena arena = Arena.ofConfined())
            {
                final int ifIndex = LibC.ifNameToIndex(ErrnoCapture.current(), arena.allocateFrom(host.interfaceName()));
                assertTrue(ifIndex > 0, "if_nametoindex(" + host.interfaceName() + ")");
                final MemorySegment ll = SockAddr.encodeLinkLayer(ifIndex, ETHER_TYPE, null, arena);
                socket.bind(ll);
            }
        });
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what)
    {
        awaitTrue(condition, () -> what);
    }

    private static void awaitTrue(final BooleanSupplier condition, final java.util.function.Supplier<String> what)
    {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out waiting for: " + what.get());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
    }
}
