package org.oobnet.inband;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.LibC;
import org.oobnet.inband.testing.SteadyStateAllocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_INET;
import static org.oobnet.inband.SocketConstants.MSG_DONTWAIT;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;

/**
 * The calls a stage makes in steady state allocate nothing: the raw sys layer with a caller-owned
 * {@link ErrnoCapture}, and {@code KSocket}'s kernel-style {@code try*} calls on native memory.
 */
class HotPathAllocationTest
{
    private static final int WARMUP = 50_000;
    private static final int MEASURED = 20_000;
    /** Slack for the measurement itself (the MXBean call can allocate a little, once). */
    private static final long SLACK_BYTES = 1024;

    @Test
    void shouldNotAllocateWhenPollingEmptySocketsInSteadyState() throws Exception
    {
        try (KSocket socket = KSocket.socket(AF_INET, SOCK_DGRAM, 0); Arena arena = Arena.ofConfined())
        {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final ErrnoCapture errno = new ErrnoCapture(arena);
            final MemorySegment buffer = arena.allocate(64);
            final int fd = socket.fd();
            long sink = 0;
            for (int i = 0; i < WARMUP; i++)
            {
                sink += LibC.recv(errno, fd, buffer, 64, MSG_DONTWAIT);
                sink += LibC.recvCritical(errno, fd, buffer, 64, MSG_DONTWAIT);
                sink += socket.tryRecv(buffer, MSG_DONTWAIT);
            }
            final long[] rounds = { WARMUP };
            final long[] sinks = { sink };
            final long allocated = SteadyStateAllocation.ofCallingThread(() ->
            {
                long roundSink = 0;
                for (int i = 0; i < MEASURED; i++)
                {
                    roundSink += LibC.recv(errno, fd, buffer, 64, MSG_DONTWAIT);
                    roundSink += LibC.recvCritical(errno, fd, buffer, 64, MSG_DONTWAIT);
                    roundSink += socket.tryRecv(buffer, MSG_DONTWAIT);
                }
                sinks[0] += roundSink;
                rounds[0] += MEASURED;
            });
            assertEquals(-3L * Errno.EAGAIN * rounds[0], sinks[0], "every call said EAGAIN");
            assertTrue(allocated < SLACK_BYTES, "allocated=" + allocated + " bytes over " + MEASURED + " rounds");
        }
    }
}
