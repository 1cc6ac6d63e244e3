package org.oobnet.inband.sys;

import java.lang.management.ManagementFactory;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.oobnet.inband.Errno;
import org.oobnet.inband.KSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oobnet.inband.SocketConstants.AF_INET;
import static org.oobnet.inband.SocketConstants.MSG_DONTWAIT;
import static org.oobnet.inband.SocketConstants.SOCK_DGRAM;

/**
 * The non-capturing ({@code *Quiet}) calls a stage makes, and that they stay allocation-free when the calling code
 * runs interpreted (as after a deoptimisation) past the JDK's method-handle customisation threshold.
 */
class QuietCallsTest
{
    // java.lang.invoke.MethodHandle.CUSTOMIZE_THRESHOLD is 127; customising a handle spins a class (~50 KB).
    private static final int CALLS = 1_000;
    private static final long ALLOWED_BYTES = 8 * 1024;

    @Test
    void shouldSendOnAConnectedSocketWhenSendQuiet() throws Exception
    {
        try (KSocket a = KSocket.socket(AF_INET, SOCK_DGRAM, 0); KSocket b = KSocket.socket(AF_INET, SOCK_DGRAM, 0))
        {
            b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            a.connect(b.localName());
            assertEquals(3, LibC.sendQuiet(a.fd(), MemorySegment.ofArray(new byte[3]), 3, MSG_DONTWAIT));
        }
    }

    @Test
    void shouldReturnMinusEbadfWhenSendQuietFailsOnABadDescriptor()
    {
        assertEquals(-Errno.EBADF, LibC.sendQuiet(-1, MemorySegment.NULL, 0, MSG_DONTWAIT));
        assertEquals(-Errno.EBADF, LibC.sendCritical(new ErrnoCapture(), -1, MemorySegment.NULL, 0, MSG_DONTWAIT));
    }

    @Test
    void shouldNotAllocateWhenStageCallsRunInterpretedPastTheCustomizeThreshold() throws Exception
    {
        LibC.customizeStageCalls();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final AtomicLong allocated = new AtomicLong(-1);
        // A fresh thread and a method run this few times stay interpreted, as a stage's rare path does.
        final Thread thread = new Thread(() ->
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < CALLS; i++)
            {
                LibC.getsocknameQuiet(-1, MemorySegment.NULL, MemorySegment.NULL);
                LibC.getsockoptQuiet(-1, 0, 0, MemorySegment.NULL, MemorySegment.NULL);
                LibC.sendQuiet(-1, MemorySegment.NULL, 0, MSG_DONTWAIT);
            }
            allocated.set(threads.getCurrentThreadAllocatedBytes() - before);
        }, "quiet-calls");
        thread.start();
        thread.join();
        assertTrue(allocated.get() >= 0 && allocated.get() < ALLOWED_BYTES,
            "allocated=" + allocated.get() + " bytes over calls=" + CALLS);
    }
}
