package org.oobnet.core;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.oobnet.core.bus.OobBusAddress;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.KSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_OOB;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;
import static org.oobnet.inband.SocketConstants.SOCK_OOB;

/**
 * {@link KSocket#closeAll}: several OOB sockets closed with one wait for the stage (every detach queued, then
 * awaited), on a yielding and on a backing-off stage. Every socket is released and destroyed, its counters freed, as by
 * {@link KSocket#close()}; one already closed in the list is skipped and reported ({@code EBADF}) after the others
 * closed. The figures (open, close one by one, closeAll, per socket, in one run) are printed for BENCHMARKS.md;
 * no time is asserted.
 */
class BulkCloseTest
{
    private static final int SOCKETS = 4_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = OobConfig.IdleStrategyKind.class, names = {"YIELD", "BACKOFF"})
    void shouldReleaseEverySocketOnceWhenClosedTogether(final OobConfig.IdleStrategyKind idle) throws Exception
    {
        try (OobRuntime runtime = OobRuntime.start(CoreTests.config(dir.resolve(idle.name().toLowerCase()))
                .idleStrategy(idle)
                .countersValuesBytes(OobConfig.countersValuesBytesFor(SOCKETS))
                .build());
            Arena arena = Arena.ofConfined())
        {
            // not measured: the first sockets load and compile the path
            final List<KSocket> warmUp = open(arena, "warm-up-", 400);
            for (int i = 0; i < 200; i++)
            {
                warmUp.get(i).close();
            }
            KSocket.closeAll(warmUp.subList(200, 400));
            assertEquals(0, runtime.liveSockets(), "live OOB sockets after the warm-up");

            final long openStart = System.nanoTime();
            final List<KSocket> sockets = open(arena, "bulk-", SOCKETS);
            final long openNs = System.nanoTime() - openStart;
            CoreTests.await(() -> runtime.counters().sockets().get() == SOCKETS, "all sockets on the stage");
            final List<KSocket> oneByOne = sockets.subList(0, SOCKETS / 2);
            final List<KSocket> together = new ArrayList<>(sockets.subList(SOCKETS / 2, SOCKETS));

            final long closeStart = System.nanoTime();
            for (final KSocket socket : oneByOne)
            {
                socket.close();
            }
            final long closeNs = System.nanoTime() - closeStart;
            assertEquals(SOCKETS - SOCKETS / 2, runtime.liveSockets(), "live OOB sockets after the single closes");

            // one already closed among them: skipped, reported after the others closed
            together.add(oneByOne.get(0));
            final long closeAllStart = System.nanoTime();
            final ErrnoException ex = assertThrows(ErrnoException.class, () -> KSocket.closeAll(together));
            final long closeAllNs = System.nanoTime() - closeAllStart;
            assertEquals(Errno.EBADF, ex.errno());
            assertEquals("close: EBADF (Bad file descriptor) fd=" + oneByOne.get(0).fd() + " already closed",
                ex.getMessage());

            assertEquals(0, runtime.liveSockets(), "every context destroyed");
            assertEquals(0, runtime.counters().sockets().get(), "no socket left on the stage");
            for (final KSocket socket : together)
            {
                assertTrue(socket.isClosed(), socket.toString());
            }
            final int half = SOCKETS / 2;
            System.out.printf("BulkCloseTest %s %d sockets, load %s: open %.1f us/socket, close one by one %.1f " +
                "us/socket, closeAll %.1f us/socket, ratio %.1fx%n", idle, SOCKETS,
                java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0],
                openNs / 1e3 / SOCKETS, closeNs / 1e3 / half, closeAllNs / 1e3 / half, (double)closeNs / closeAllNs);
        }
    }

    private static List<KSocket> open(final Arena arena, final String prefix, final int count) throws Exception
    {
        final List<KSocket> sockets = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final KSocket socket = KSocket.socket(AF_OOB, SOCK_DGRAM | SOCK_OOB, 0);
            socket.bind(OobBusAddress.encode(prefix + i, arena));
            sockets.add(socket);
        }
        return sockets;
    }
}
