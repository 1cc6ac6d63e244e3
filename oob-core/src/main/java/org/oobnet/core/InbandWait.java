package org.oobnet.core;

import java.util.concurrent.locks.LockSupport;

/**
 * How an in-band thread waits for a stage's answer (a command's acknowledgement, room on the command queue):
 * spins briefly, then yields, then parks for short intervals that grow to {@link #MAX_PARK_NS}. A stage that is
 * running answers within the spin or yield phase (a cycle is microseconds); only a descheduled or stalled stage
 * reaches the parks, which stay short so the answer is seen soon after it comes (a long sleep made every socket
 * close cost a whole park: closing 10 000 sockets took minutes on a loaded machine).
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

    private boolean started;
    private long startNs;
    private long parkNs = MIN_PARK_NS;

    /**
     * Waits a little, more as the wait goes on: call it in the loop that checks for the answer.
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
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(MAX_PARK_NS, parkNs << 1);
        }
    }
}
