package org.oobnet.inband.sys;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import org.oobnet.inband.Errno;

import static org.oobnet.inband.SocketConstants.MSG_DONTWAIT;

/**
 * Run in a {@code -Xint} JVM by {@link QuietErrnoTest}: the stage's failure paths as a deoptimised stage runs them,
 * interpreted. Prints {@code QUIET <bytes>}, what failing {@code *Quiet} calls (errno read through
 * {@code __errno_location()}) allocated, and {@code CAPTURING <bytes>}, what the same failures through the
 * capturing calls the stage made before allocated (the control). Exits non-zero when an errno is wrong.
 * <p>
 * <b>Note:</b> a JVM of its own, since the test's JVM compiles these calls.
 */
public final class QuietErrnoMain
{
    /** Failing calls measured per variant. */
    public static final int CALLS = 1_000;

    private QuietErrnoMain()
    {
    }

    /**
     * @param args unused.
     */
    public static void main(final String[] args)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final ErrnoCapture errno = new ErrnoCapture();
        // as a stage's set-up does, in-band: past the method handles' customisation threshold
        LibC.customizeStageCalls();
        long quiet = 0;
        long capturing = 0;
        for (int round = 0; round < 2; round++)
        {
            // twice: the first round links every call site; the second is the one measured
            final long start = threads.getCurrentThreadAllocatedBytes();
            final long quietErrors = quietFailures();
            final long middle = threads.getCurrentThreadAllocatedBytes();
            final long capturingErrors = capturingFailures(errno);
            final long end = threads.getCurrentThreadAllocatedBytes();
            if (quietErrors != -4L * Errno.EBADF * CALLS || capturingErrors != -2L * Errno.EBADF * CALLS)
            {
                System.out.println("WRONG quiet=" + quietErrors + " capturing=" + capturingErrors);
                System.exit(2);
            }
            quiet = middle - start;
            capturing = end - middle;
        }
        System.out.println("QUIET " + quiet);
        System.out.println("CAPTURING " + capturing);
    }

    // the stage's failing calls now: the TX-ring kick, the busy-poll batch send, the in-band fallback send, the
    // stream receive
    private static long quietFailures()
    {
        final MemorySegment none = MemorySegment.NULL;
        long sum = 0;
        for (int i = 0; i < CALLS; i++)
        {
            sum += LibC.sendQuiet(-1, none, 0, MSG_DONTWAIT);
            sum += LibC.sendmmsgQuiet(-1, none, 0, MSG_DONTWAIT);
            sum += LibC.sendtoQuiet(-1, none, 0, MSG_DONTWAIT, none, 0);
            sum += LibC.recvAtQuiet(-1, 0L, 0, MSG_DONTWAIT);
        }
        return sum;
    }

    // what the TX-ring kick and the busy-poll batch send repeated with capture to learn errno, before
    private static long capturingFailures(final ErrnoCapture errno)
    {
        final MemorySegment none = MemorySegment.NULL;
        long sum = 0;
        for (int i = 0; i < CALLS; i++)
        {
            sum += LibC.sendCritical(errno, -1, none, 0, MSG_DONTWAIT);
            sum += LibC.sendmmsg(errno, -1, none, 0, MSG_DONTWAIT);
        }
        return sum;
    }
}
