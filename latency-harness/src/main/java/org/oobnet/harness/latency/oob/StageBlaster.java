package org.oobnet.harness.latency.oob;

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
 * <b>Note:</b> {@link #doWork} runs on the stage, allocation-free; {@link #start}, {@link #isDone} and the counts are
 * in-band, through volatile fields and ordered stores.
 */
public final class StageBlaster implements OobTask
{
    /** The floor program's EtherType (floor.c's FLOOR_ETHER_TYPE), which its counter receives. */
    public static final int ETHER_TYPE = 0x88B6;
    /** Frames claimed per cycle at most: the ring is kicked once for all of them. */
    public static final int BATCH = 64;

    private final OobSocket socket;
    private final EthernetHeaderFlyweight ethernet = new EthernetHeaderFlyweight();
    private final long ownMac;
    private final int frameLength;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong full = new AtomicLong();
    private volatile long deadlineNs;
    private volatile boolean done;
    private long sequence;

    /**
     * @param socket    the OOB packet socket.
     * @param ownMac    this side's MAC address.
     * @param sizeBytes the payload's length (the frame adds the Ethernet header).
     */
    public StageBlaster(final OobSocket socket, final long ownMac, final int sizeBytes)
    {
        if (sizeBytes < 16 || sizeBytes > 1500)
        {
            throw new IllegalArgumentException("size=" + sizeBytes + " must be between 16 and 1500");
        }
        this.socket = socket;
        this.ownMac = ownMac;
        this.frameLength = EthernetHeaderFlyweight.HEADER_LENGTH + sizeBytes;
    }

    /**
     * In-band: sends until {@code deadlineNs} ({@code System.nanoTime()}).
     *
     * @param deadlineNs when to stop.
     */
    public void start(final long deadlineNs)
    {
        this.deadlineNs = deadlineNs;
    }

    @Override
    public int doWork(final long nowNs)
    {
        // volatile read: pairs with start()
        final long deadline = deadlineNs;
        if (deadline == 0 || done)
        {
            return 0;
        }
        if (nowNs - deadline >= 0)
        {
            done = true;
            return 0;
        }
        int n = 0;
        while (n < BATCH)
        {
            if (socket.oobClaim(frameLength) != 0)
            {
                // ring full until the kernel sent what the last kick handed it
                full.lazySet(full.get() + 1);
                break;
            }
            final MutableDirectBuffer out = socket.claim().buffer();
            final int at = socket.claim().offset();
            ethernet.wrap(out, at).putHeader(EthernetHeaderFlyweight.BROADCAST, ownMac, ETHER_TYPE);
            out.putLong(at + EthernetHeaderFlyweight.HEADER_LENGTH, ++sequence, ByteOrder.nativeOrder());
            out.setMemory(at + EthernetHeaderFlyweight.HEADER_LENGTH + 8, frameLength - EthernetHeaderFlyweight.HEADER_LENGTH - 8,
                (byte)0);
            socket.oobCommit();
            n++;
        }
        // single writer: ordered store, read in-band
        sent.lazySet(sent.get() + n);
        return n;
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
