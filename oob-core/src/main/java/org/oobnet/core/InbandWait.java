package org.oobnet.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How an in-band thread waits for a stage's answer (a command's acknowledgement, room on the command queue):
 * spins briefly, then yields, then parks for short intervals that grow to {@link #MAX_PARK_NS}. A stage that is
 * running answers within the spin or yield phase (a cycle is microseconds); only a descheduled or stalled stage
 * reaches the parks, which stay short so the answer is seen soon after it comes (a long sleep made every socket
 * close cost a whole park: closing 10 000 sockets took minutes on a loaded machine).
 * <p>
 * Bounded: a stage that stalls without stopping (a handler that never returns) answers never; after
 * {@link OobConfig#stageAnswerTimeoutNs()} the wait ends with a {@link StageTimeoutException} naming the command,
 * the stage and how long it waited. Not interruptible: the stage may be working on the command (a socket's detach,
 * whose memory is freed only after it), so an interrupt neither ends the wait nor makes it spin (a park returns at
 * once while the flag is set); the flag is taken while waiting and set again by {@link #done()}.
 * <p>
 * <b>Note:</b> in-band only; one instance per wait, not thread safe.
 */
final class InbandWait
{
    /** Spin this long first: a running stage's cycle is shorter. */
    static final long SPIN_NS = 2_000L;
    /** Then yield until this long since the first {@link #idle()}: gives the CPU to the stage if it shares it. */
    static final long YIELD_NS = 50_000L;
    /** The first park. The kernel's timer slack (50 µs for a normal thread) makes any park at least that long. */
    static final long MIN_PARK_NS = 10_000L;
    /** The longest park: an answer is seen at most this (plus the timer slack) after it came. */
    static final long MAX_PARK_NS = 100_000L;

    private final String stageName;
    private final String what;
    private final long timeoutNs;
    private boolean started;
    private boolean interrupted;
    private long startNs;
    private long parkNs = MIN_PARK_NS;

    /**
     * @param stageName the stage waited for, for the timeout's message.
     * @param what      what is waited for (the command's name, "room on the command queue").
     * @param timeoutNs the longest wait.
     */
    InbandWait(final String stageName, final String what, final long timeoutNs)
    {
        this.stageName = stageName;
        this.what = what;
        this.timeoutNs = timeoutNs;
    }

    /**
     * Waits a little, more as the wait goes on: call it in the loop that checks for the answer, and {@link #done()}
     * once the loop ends.
     *
     * @throws StageTimeoutException once the wait took longer than its timeout (the interrupt flag set again if
     *                               it was taken).
     */
    void idle()
    {
        final long nowNs = System.nanoTime();
        if (!started)
        {
            started = true;
            startNs = nowNs;
        }
        final long waitedNs = nowNs - startNs;
        if (waitedNs - timeoutNs > 0)
        {
            done();
            throw new StageTimeoutException("stage=" + stageName + " command=" + what + " waited=" +
                TimeUnit.NANOSECONDS.toMillis(waitedNs) + "ms timeout=" + TimeUnit.NANOSECONDS.toMillis(timeoutNs) +
                "ms: the stage did not answer (stalled, not stopped); the command stays queued and the stage may" +
                " still run it");
        }
        if (waitedNs < SPIN_NS)
        {
            Thread.onSpinWait();
        }
        else if (waitedNs < YIELD_NS)
        {
            Thread.yield();
        }
        else
        {
            // a set interrupt flag makes every park return at once: take it, so the wait parks, and set it again
            // in done()
            interrupted |= Thread.interrupted();
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(MAX_PARK_NS, parkNs << 1);
        }
    }

    /**
     * The wait is over (answered or given up): an interrupt that came meanwhile is set again on the thread.
     */
    void done()
    {
        if (interrupted)
        {
            interrupted = false;
            Thread.currentThread().interrupt();
        }
    }
}
