package org.oobnet.packet.ring;

import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.RetryBackoff;
import org.oobnet.core.counters.StageHops;
import org.oobnet.inband.Errno;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.LibC;
import org.oobnet.packet.capture.CaptureTap;
import org.oobnet.packet.frame.Tpacket2HeaderFlyweight;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.packet.stats.PacketCounters;

import java.lang.foreign.MemorySegment;

/**
 * The producer side of a TPACKET_V2 TX ring: claim a free frame, write it in place, commit it
 * ({@code TP_STATUS_SEND_REQUEST}); one {@link #flush()} per cycle kicks every committed frame with a single
 * {@code send(fd, NULL, 0, MSG_DONTWAIT)}.
 * <p>
 * The socket runs with {@code PACKET_LOSS} on, so the kernel skips a frame it cannot send instead of stopping the
 * ring at it; lengths the kernel would refuse are refused here first and counted as wrong format. A frame the
 * kernel still marked {@code TP_STATUS_WRONG_FORMAT} is counted and reused when the ring comes round to it.
 * <p>
 * Completions: with a {@link TxCompletionHandler} ({@link #completions}), {@link #reapCompletions()} hands each
 * frame the kernel gave back to it, in ring order, with the transmit timestamp the kernel wrote in its header (a
 * {@code TP_STATUS_TS_*} flag; only when the socket's {@code PACKET_TIMESTAMP} asks for it and the driver stamped
 * the skb). A frame is reused only once reaped, so no completion is ever lost.
 * <p>
 * <b>Note:</b> stage only; allocation-free after construction.
 */
public final class TxRing
{
    /** Shortest frame: an Ethernet header. */
    public static final int MIN_FRAME_LENGTH = 14;
    private static final int BUSY = Tpacket2HeaderFlyweight.TP_STATUS_SEND_REQUEST |
        Tpacket2HeaderFlyweight.TP_STATUS_SENDING;
    private static final int TIMESTAMPED = Tpacket2HeaderFlyweight.TP_STATUS_TS_SOFTWARE |
        Tpacket2HeaderFlyweight.TP_STATUS_TS_RAW_HARDWARE;

    private final MemorySegment ring;
    private final long address;
    private final RingGeometry geometry;
    private final PacketCounters counters;
    private final int fd;
    private final Tpacket2HeaderFlyweight header = new Tpacket2HeaderFlyweight();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer captureView = new UnsafeBuffer(0, 0);
    private int maxFrameLength;
    private int index;
    private int claimedIndex = -1;
    private int pending;
    private long pendingBytes;
    private int lastKickErrno;
    private CaptureTap capture;
    private int ifIndex;
    // frames committed since the last kick's capture: they end at index
    private int uncaptured;
    private final RetryBackoff backoff = new RetryBackoff();
    // completions: who takes them (null: not tracked), the next frame to reap, frames committed and not yet reaped
    private TxCompletionHandler completions;
    private int reapIndex;
    private int unreaped;
    private int lastCommitted = -1;

    /**
     * The producer of a mapped TX ring.
     *
     * @param ring           the mapped TX ring.
     * @param geometry       its geometry.
     * @param fd             the socket, for the kick.
     * @param maxFrameLength longest frame the interface takes (MTU + link header), at most the slot's room.
     * @param counters       where to count.
     */
    public TxRing(
        final MemorySegment ring,
        final RingGeometry geometry,
        final int fd,
        final int maxFrameLength,
        final PacketCounters counters)
    {
        if (ring.byteSize() < geometry.ringBytes())
        {
            throw new IllegalArgumentException("ring bytes=" + ring.byteSize() + " smaller than geometry " + geometry);
        }
        this.ring = ring;
        this.address = ring.address();
        this.geometry = geometry;
        this.fd = fd;
        this.maxFrameLength = Math.min(maxFrameLength, geometry.maxTxFrameBytes());
        this.counters = counters;
        // in-band: so that the stage's rarely taken downcalls (failed kick, health check) never customise on it
        LibC.customizeStageCalls();
        linkStatusAccess();
    }

    /**
     * In-band, before the stage sends: where kicked frames are copied while a capture of the interface runs.
     *
     * @param tap     the socket's tap, or null for none.
     * @param ifIndex the interface the socket sends on.
     */
    public void capture(final CaptureTap tap, final int ifIndex)
    {
        this.capture = tap;
        this.ifIndex = ifIndex;
    }

    // in-band: the first getAcquire/setRelease through the header's VarHandle links its call site, which allocates
    // (MethodHandleNatives.varHandleOperationLinkerMethod); done here on frame 0, still TP_STATUS_AVAILABLE and
    // written back unchanged, so that the stage's first claim and commit do not pay it
    private void linkStatusAccess()
    {
        header.wrap(ring, geometry.frameOffset(0));
        header.len(header.len());
        header.soStatus(header.lvStatus());
    }

    /**
     * Stage: claim the next frame for {@code length} bytes; write them through {@link #buffer()} from offset 0.
     *
     * @param length the frame's length, Ethernet header included.
     * @return 0; {@code -EWOULDBLOCK} when the ring has no free frame (counted), {@code -EMSGSIZE} when longer
     * than {@link #maxFrameLength()}, {@code -EINVAL} when shorter than an Ethernet header (both counted as wrong
     * format), {@code -EBUSY} when a claim is open.
     */
    public int claim(final int length)
    {
        if (claimedIndex >= 0)
        {
            return -Errno.EBUSY;
        }
        if (length > maxFrameLength)
        {
            counters.increment(PacketCounter.WRONG_FORMAT);
            return -Errno.EMSGSIZE;
        }
        if (length < MIN_FRAME_LENGTH)
        {
            counters.increment(PacketCounter.WRONG_FORMAT);
            return -Errno.EINVAL;
        }
        if (null != completions && unreaped == geometry.frameCount())
        {
            // every frame waits for its completion to be reported: reap now (this runs the completion handlers,
            // other sockets' too, in the middle of this send); still none free, the ring is full
            reapCompletions();
            if (unreaped == geometry.frameCount())
            {
                counters.increment(PacketCounter.TX_RING_FULL);
                return -Errno.EWOULDBLOCK;
            }
        }
        final int frameOffset = geometry.frameOffset(index);
        header.wrap(ring, frameOffset);
        final int status = header.lvStatus();
        // busy only while the kernel owns it: a sent frame comes back AVAILABLE with the TP_STATUS_TS_* flags of
        // the transmit timestamp it wrote, which is free too
        if ((status & BUSY) != 0)
        {
            counters.increment(PacketCounter.TX_RING_FULL);
            return -Errno.EWOULDBLOCK;
        }
        if ((status & Tpacket2HeaderFlyweight.TP_STATUS_WRONG_FORMAT) != 0 && null == completions)
        {
            // with completions tracked, reapCompletions counted it
            counters.increment(PacketCounter.WRONG_FORMAT);
        }
        claimedIndex = index;
        view.wrap(address + frameOffset + RingGeometry.TX_DATA_OFFSET, length);
        return 0;
    }

    /**
     * Stage: the claimed frame's bytes, valid until {@link #commit} or {@link #abort}.
     *
     * @return the view of the claimed frame.
     */
    public UnsafeBuffer buffer()
    {
        return view;
    }

    /**
     * Stage: mark the claimed frame {@code TP_STATUS_SEND_REQUEST}; the next {@link #flush()} sends it.
     *
     * @param length the frame's final length, at most the claimed length.
     * @return the length committed; {@code -EINVAL} with no claim open or a length out of range.
     */
    public int commit(final int length)
    {
        final int claimed = claimedIndex;
        if (claimed < 0 || length < MIN_FRAME_LENGTH || length > view.capacity())
        {
            return -Errno.EINVAL;
        }
        header.wrap(ring, geometry.frameOffset(claimed)).len(length);
        // release: the frame's bytes and tp_len are written before the kernel may see SEND_REQUEST
        header.soStatus(Tpacket2HeaderFlyweight.TP_STATUS_SEND_REQUEST);
        claimedIndex = -1;
        lastCommitted = claimed;
        index = claimed + 1 == geometry.frameCount() ? 0 : claimed + 1;
        if (null != completions)
        {
            unreaped++;
        }
        pending++;
        uncaptured++;
        pendingBytes += length;
        counters.increment(PacketCounter.FRAMES_OUT);
        counters.add(PacketCounter.BYTES_OUT, length);
        return length;
    }

    /**
     * Stage: the index of the frame the last {@link #commit} queued, the one its {@link TxCompletionHandler}
     * completion will name.
     *
     * @return the frame index, -1 before the first commit.
     */
    public int lastCommitted()
    {
        return lastCommitted;
    }

    /**
     * In-band, before the stage sends: reports every committed frame's completion to {@code handler} from
     * {@link #reapCompletions()} (which the owner then calls every cycle); null for none (the default).
     *
     * @param handler takes the completions.
     */
    public void completions(final TxCompletionHandler handler)
    {
        this.completions = handler;
        this.reapIndex = index;
        this.unreaped = 0;
    }

    /**
     * Stage: hands every committed frame the kernel gave back since the last call to the
     * {@link TxCompletionHandler}, in ring order; stops at the first frame the kernel still owns (completions are
     * reported in order, a later one waits for an earlier one). A skipped frame ({@code WRONG_FORMAT}) is counted
     * and reported without a timestamp.
     *
     * @return frames reported.
     */
    public int reapCompletions()
    {
        final TxCompletionHandler handler = completions;
        if (null == handler)
        {
            return 0;
        }
        final int frameCount = geometry.frameCount();
        int reaped = 0;
        while (unreaped > 0)
        {
            final int frame = reapIndex;
            header.wrap(ring, geometry.frameOffset(frame));
            final int status = header.lvStatus();
            if ((status & BUSY) != 0)
            {
                break;
            }
            if ((status & Tpacket2HeaderFlyweight.TP_STATUS_WRONG_FORMAT) != 0)
            {
                counters.increment(PacketCounter.WRONG_FORMAT);
            }
            final long timestampNs = (status & TIMESTAMPED) != 0 ? header.timestampNs() : 0L;
            reapIndex = frame + 1 == frameCount ? 0 : frame + 1;
            unreaped--;
            reaped++;
            handler.onTxComplete(frame, status, timestampNs);
        }
        return reaped;
    }

    /**
     * Stage: drop the open claim; the frame stays free.
     */
    public void abort()
    {
        claimedIndex = -1;
    }

    /**
     * Stage: send a copy of {@code length} bytes in one step (claim, copy, commit).
     *
     * @param source the frame.
     * @param offset where it starts.
     * @param length its length.
     * @return the length; or the negative errno of {@link #claim}.
     */
    public int send(final org.agrona.DirectBuffer source, final int offset, final int length)
    {
        final int rc = claim(length);
        if (rc < 0)
        {
            return rc;
        }
        view.putBytes(0, source, offset, length);
        return commit(length);
    }

    /**
     * Stage: kick the kernel when frames were committed and not yet sent, unless a failed kick is being backed off
     * ({@link RetryBackoff}).
     *
     * @param nowNs the stage's clock.
     * @return frames kicked; 0 when none were pending or the retry is not due; a negative errno when the kick
     * failed (see {@link #flush()}).
     */
    public int flush(final long nowNs)
    {
        if (0 == pending || !backoff.isDue(nowNs))
        {
            return 0;
        }
        final int rc = flush();
        if (rc < 0)
        {
            backoff.onRefused(nowNs);
        }
        return rc;
    }

    /**
     * Stage: {@link #flush(long)} timed at the kick boundary for the stage's hop histograms (handler done → kick,
     * kick → return), when frames are pending; the devices that own a TX ring (a raw packet socket, a UDP port)
     * kick through it. A kick held back by a refused one's back-off is timed as if it went now.
     *
     * @param nowNs the stage's clock.
     * @param hops  the stage's hop timing.
     * @return what {@link #flush(long)} returns.
     */
    public int flush(final long nowNs, final StageHops hops)
    {
        if (0 == pending)
        {
            return flush(nowNs);
        }
        hops.beforeKick();
        final int kicked = flush(nowNs);
        hops.afterKick(0 != kicked);
        return kicked;
    }

    /**
     * Stage: kick the kernel now when frames were committed and not yet sent; one syscall for the whole batch.
     * <p>
     * A kick that fails leaves its frames pending: the kernel gives a frame it could not transmit back to
     * {@code TP_STATUS_SEND_REQUEST} at the head of the ring (a down carrier, a full device queue: {@code
     * ENOBUFS}), and nothing else would ever kick it again once the ring is full of such frames.
     *
     * @return frames kicked; 0 when none were pending or the socket's send buffer is full ({@code EAGAIN}: kicked
     * again next time); a negative errno when the kick failed (counted, e.g. {@code -ENOBUFS} while the carrier
     * is down, {@code -ENXIO} or {@code -ENETDOWN} once the interface went).
     */
    public int flush()
    {
        final int frames = pending;
        if (0 == frames)
        {
            return 0;
        }
        if (uncaptured > 0)
        {
            captureCommitted();
        }
        counters.increment(PacketCounter.TX_KICKS);
        // not capturing errno (a capturing downcall allocates whenever this code runs deoptimised): sendQuiet reads
        // the failed kick's errno itself, allocation-free (see LibC)
        final long rc = LibC.sendQuiet(fd, MemorySegment.NULL, 0, SocketConstants.MSG_DONTWAIT);
        if (rc >= 0)
        {
            backoff.onSuccess();
            // The kernel returns the bytes of the frames it sent. Fewer than committed: it stopped early (its send
            // buffer was full) and left the rest SEND_REQUEST, so kick again next cycle. Nothing at all: the rest
            // is gone some other way (a frame the kernel skipped as malformed), nothing is left to kick.
            if (rc > 0 && rc < pendingBytes)
            {
                pendingBytes -= rc;
                return frames;
            }
            pending = 0;
            pendingBytes = 0;
            return frames;
        }
        if (rc == -Errno.EAGAIN)
        {
            // the send buffer is full of frames the device has not freed yet: the rest goes with the next kick
            return 0;
        }
        counters.increment(PacketCounter.SOCKET_ERRORS);
        lastKickErrno = (int)-rc;
        return (int)rc;
    }

    /**
     * Stage (or in-band once the stage let go): the closing socket's last kick, whatever the back-off, then the
     * frames the kernel still did not send ({@code TP_STATUS_SEND_REQUEST}: e.g. a down carrier held them) are
     * counted as {@link PacketCounter#TX_UNSENT_AT_CLOSE}; the kernel discards them with the ring.
     *
     * @return what the last kick returned (see {@link #flush()}).
     */
    public int flushAtClose()
    {
        final int rc = flush();
        countUnsentAtClose();
        return rc;
    }

    // stage, before the kick: the frames committed since the last kick are still ours to read (SEND_REQUEST; the
    // kernel reads them only in the kick), so they are copied once, here: one check per batch, not per frame
    private void captureCommitted()
    {
        final int count = uncaptured;
        uncaptured = 0;
        final CaptureTap capture = this.capture;
        if (null == capture || !capture.active())
        {
            return;
        }
        final int frameCount = geometry.frameCount();
        int at = index - count;
        if (at < 0)
        {
            at += frameCount;
        }
        for (int i = 0; i < count; i++)
        {
            final int frameOffset = geometry.frameOffset(at);
            final int length = header.wrap(ring, frameOffset).len();
            captureView.wrap(address + frameOffset + RingGeometry.TX_DATA_OFFSET, length);
            capture.capture(true, captureView, 0, length, length, Long.MIN_VALUE, ifIndex, CaptureTap.PACKET_OUTGOING);
            at = at + 1 == frameCount ? 0 : at + 1;
        }
    }

    private void countUnsentAtClose()
    {
        int unsent = 0;
        for (int i = 0, count = geometry.frameCount(); i < count; i++)
        {
            final int status = header.wrap(ring, geometry.frameOffset(i)).lvStatus();
            if ((status & Tpacket2HeaderFlyweight.TP_STATUS_SEND_REQUEST) != 0)
            {
                unsent++;
            }
        }
        if (unsent > 0)
        {
            counters.add(PacketCounter.TX_UNSENT_AT_CLOSE, unsent);
        }
    }

    /**
     * Stage: the errno of the last failed kick, 0 when none.
     *
     * @return a positive errno or 0.
     */
    public int lastKickErrno()
    {
        return lastKickErrno;
    }

    /**
     * Stage: frames committed and not yet kicked.
     *
     * @return the pending count.
     */
    public int pending()
    {
        return pending;
    }

    /**
     * Longest frame {@link #claim} accepts.
     *
     * @return bytes.
     */
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /**
     * Stage: frames the kernel has not finished with ({@code SEND_REQUEST} or {@code SENDING}): a scan of the
     * ring, for draining at close and for tests, not for every cycle.
     *
     * @return frames in flight.
     */
    public int inFlight()
    {
        int n = 0;
        for (int i = 0, count = geometry.frameCount(); i < count; i++)
        {
            final int status = header.wrap(ring, geometry.frameOffset(i)).lvStatus();
            if ((status & (Tpacket2HeaderFlyweight.TP_STATUS_SEND_REQUEST | Tpacket2HeaderFlyweight.TP_STATUS_SENDING)) != 0)
            {
                n++;
            }
        }
        return n;
    }
}
