package org.oobnet.harness.bench.throughput;

import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.MutableDirectBuffer;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobTask;
import org.oobnet.packet.frame.EthernetHeaderFlyweight;

/**
 * The throughput sender on the OOB stage: every cycle it fills as many TX-ring frames as the ring takes (up to a
 * batch), each a raw frame of the floor's EtherType ({@link #ETHER_TYPE}, so the C counter counts it) carrying a
 * sequence number; the stage kicks the ring once per cycle (batched), until the deadline.
 * <p>
 * It writes what the C {@code sendmmsg} row writes per frame, the Ethernet header and the sequence number: the
 * payload's other bytes stay the zeros the kernel mapped the ring with, since nothing else writes the TX ring.
 * It also times its cycles from the stage clock it is given, so that a run shows where the core went: in this task
 * (filling frames) or outside it (almost all of it the kick, {@code send(2)} of the batch, plus the stage's duty
 * cycle).
 * <p>
 * <b>Note:</b> {@link #doWork} runs on the stage, allocation-free; {@link #start}, {@link #isDone} and the counts are
 * in-band: the totals are plain fields written before the volatile {@code done}, read once {@link #isDone()}.
 */
public final class StageBlaster implements OobTask
{
    /** The floor program's EtherType (floor.c's FLOOR_ETHER_TYPE), which its counter receives. */
    public static final int ETHER_TYPE = 0x88B6;
    /**
     * The warm-up frames' EtherType: the same path as the measured frames (so the JIT compiles it) but not counted
     * by the floor's counter, whose socket only receives {@link #ETHER_TYPE}.
     */
    public static final int WARMUP_ETHER_TYPE = 0x88B7;
    /** Frames claimed per cycle at most by default: the ring is kicked once for all of them. */
    public static final int BATCH = 64;

    private final OobSocket socket;
    private final EthernetHeaderFlyweight ethernet = new EthernetHeaderFlyweight();
    private final long ownMac;
    private final int frameLength;
    private final int batch;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong full = new AtomicLong();
    private volatile long requestedWarmupNs;
    private volatile long requestedDurationNs = -1;
    private long deadlineNs;
    private long warmupEndNs;
    private volatile boolean done;
    private long sequence;
    private long cycles;
    private long fillNs;
    private long firstCycleNs;
    private long lastCycleNs;

    /**
     * @param socket    the OOB packet socket.
     * @param ownMac    this side's MAC address.
     * @param sizeBytes the payload's length (the frame adds the Ethernet header).
     */
    public StageBlaster(final OobSocket socket, final long ownMac, final int sizeBytes)
    {
        this(socket, ownMac, sizeBytes, BATCH);
    }

    /**
     * @param socket    the OOB packet socket.
     * @param ownMac    this side's MAC address.
     * @param sizeBytes the payload's length (the frame adds the Ethernet header).
     * @param batch     frames claimed per cycle at most (one kick each cycle).
     */
    public StageBlaster(final OobSocket socket, final long ownMac, final int sizeBytes, final int batch)
    {
        if (sizeBytes < 16 || sizeBytes > 1500)
        {
            throw new IllegalArgumentException("size=" + sizeBytes + " must be between 16 and 1500");
        }
        if (batch < 1)
        {
            throw new IllegalArgumentException("batch=" + batch + " must be positive");
        }
        this.batch = batch;
        this.socket = socket;
        this.ownMac = ownMac;
        this.frameLength = EthernetHeaderFlyweight.HEADER_LENGTH + sizeBytes;
    }

    /**
     * In-band: sends warm-up frames for {@code warmupNs}, then counted ones for {@code durationNs}, both timed from
     * the stage's first cycle that runs this task: on a loaded machine the task can first run long after it was
     * added, and windows timed from the caller's clock then passed with no cycle in them (sent=0, seen in CI).
     *
     * @param warmupNs   how long the warm-up lasts.
     * @param durationNs how long the counted phase lasts.
     */
    public void start(final long warmupNs, final long durationNs)
    {
        this.requestedWarmupNs = warmupNs;
        // volatile write last: doWork reads requestedDurationNs first
        this.requestedDurationNs = durationNs;
    }

    @Override
    public int doWork(final long nowNs)
    {
        if (done)
        {
            return 0;
        }
        if (deadlineNs == 0)
        {
            // volatile read: pairs with start()
            final long durationNs = requestedDurationNs;
            if (durationNs < 0)
            {
                return 0;
            }
            warmupEndNs = nowNs + requestedWarmupNs;
            deadlineNs = warmupEndNs + durationNs;
        }
        final long deadline = deadlineNs;
        if (nowNs - deadline >= 0)
        {
            lastCycleNs = nowNs;
            // volatile write: publishes the plain totals above to isDone()'s reader
            done = true;
            return 0;
        }
        final boolean measuring = nowNs - warmupEndNs >= 0;
        if (measuring && 0 == cycles++)
        {
            firstCycleNs = nowNs;
        }
        final int etherType = measuring ? ETHER_TYPE : WARMUP_ETHER_TYPE;
        // the task's own clock: the stage read nowNs before its duty cycle, which kicked the previous batch
        final long fillStartNs = System.nanoTime();
        int n = 0;
        while (n < batch)
        {
            if (socket.oobClaim(frameLength) != 0)
            {
                // ring full until the kernel sent what the last kick handed it
                full.lazySet(full.get() + 1);
                break;
            }
            final MutableDirectBuffer out = socket.claim().buffer();
            final int at = socket.claim().offset();
            ethernet.wrap(out, at).putHeader(EthernetHeaderFlyweight.BROADCAST, ownMac, etherType);
            out.putLong(at + EthernetHeaderFlyweight.HEADER_LENGTH, ++sequence, ByteOrder.nativeOrder());
            socket.oobCommit();
            n++;
        }
        if (measuring)
        {
            // single writer: ordered store, read in-band
            sent.lazySet(sent.get() + n);
            fillNs += System.nanoTime() - fillStartNs;
        }
        return n;
    }

    /**
     * In-band, once {@link #isDone()}: stage cycles that sent.
     *
     * @return cycles.
     */
    public long cycles()
    {
        return cycles;
    }

    /**
     * In-band, once {@link #isDone()}: nanoseconds this task spent claiming, writing and committing frames.
     *
     * @return nanoseconds.
     */
    public long fillNs()
    {
        return fillNs;
    }

    /**
     * In-band, once {@link #isDone()}: nanoseconds from the first sending cycle to the deadline; what is not
     * {@link #fillNs()} went outside this task (the kick and the stage's duty cycle).
     *
     * @return nanoseconds.
     */
    public long cycleNs()
    {
        // no counted cycle at all (the stage never ran inside the window): nothing was measured
        return 0 == cycles ? 0 : lastCycleNs - firstCycleNs;
    }

    /**
     * @return whether the deadline passed.
     */
    public boolean isDone()
    {
        return done;
    }

    /**
     * @return frames committed to the TX ring.
     */
    public long sent()
    {
        return sent.get();
    }

    /**
     * @return cycles that found the TX ring full.
     */
    public long ringFull()
    {
        return full.get();
    }
}
