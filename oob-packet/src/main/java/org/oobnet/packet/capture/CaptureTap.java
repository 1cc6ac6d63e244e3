package org.oobnet.packet.capture;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.oobnet.packet.bpf.BpfInterpreter;
import org.oobnet.packet.bpf.BpfProgram;

import static org.oobnet.packet.capture.CaptureFileDescriptor.*;

/**
 * Where one packet ring's frames are copied when a capture of its interface runs: an RX ring hands over each frame
 * it delivers, a TX ring each frame it kicks (each ring of a socket has its own tap); the tap filters (classic BPF, the session's program) and
 * copies the frame's first bytes into the capture file's ring. A full ring is a counted drop; nothing waits.
 * <p>
 * Two RX rings on one interface with the same view (EtherType, filter, outgoing frames ignored or not: two stages'
 * ports on one interface) receive the same frames: only one of their taps records them, the others are
 * {@link #isDuplicate() duplicates} ({@link CaptureTaps}), so that a capture has each frame once.
 * <p>
 * Off, a batch costs {@link #active()}: a read of the tap's own field and, once a runtime made a capture file, one
 * acquire read of the file's generation. On, it also reads the clock and the consumer's heartbeat: a consumer
 * silent for {@link CaptureFileDescriptor#HEARTBEAT_TIMEOUT_NS} (killed without closing) disarms the tap. A new
 * generation (a session began or ended) is copied into the tap on the stage, allocation-free: the session block
 * is read under the consumer's seqlock and the filter checked ({@link BpfProgram#isValid}) before it runs, since
 * another process wrote it.
 * <p>
 * <b>Note:</b> {@link #active()} and {@link #capture} run on the one thread that polls the socket's rings (the
 * stage); {@link #file(CaptureFile)} in-band.
 */
public final class CaptureTap
{
    /** {@code PACKET_OUTGOING}: a frame an RX ring saw leaving the host. */
    public static final int PACKET_OUTGOING = 4;

    private final String interfaceName;
    private final CaptureTaps.ReceiveView view;
    private final byte[] name = new byte[INTERFACE_NAME_LENGTH];
    private final long[] filter = new long[FILTER_MAX];
    private final BpfInterpreter interpreter = new BpfInterpreter();
    // in-band writes it once a runtime made its capture file; the stage reads it per batch (a reference to an
    // object of final fields: safely published without a fence)
    private CaptureFile file;
    // in-band writes it (CaptureTaps): another tap records the same frames (same interface and view); read per batch
    private volatile boolean duplicate;
    private long loadedGeneration;
    private boolean armed;
    private int filterLength;
    private int snapLength;
    private long clockOffsetNs;

    CaptureTap(final String interfaceName, final CaptureTaps.ReceiveView view)
    {
        this.interfaceName = interfaceName;
        this.view = view;
        final byte[] bytes = interfaceName.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, name, 0, Math.min(bytes.length, INTERFACE_NAME_LENGTH - 1));
    }

    /** @return the interface of the tapped socket. */
    public String interfaceName()
    {
        return interfaceName;
    }

    // the frames its ring receives, when another ring may receive the same ones; null for a TX tap or a ring alone
    CaptureTaps.ReceiveView view()
    {
        return view;
    }

    // in-band, under CaptureTaps' lock
    void duplicate(final boolean duplicate)
    {
        this.duplicate = duplicate;
    }

    /** @return true while another tap records the frames this one's ring receives (this one records nothing). */
    public boolean isDuplicate()
    {
        return duplicate;
    }

    // in-band: the runtime's capture file (or null)
    void file(final CaptureFile file)
    {
        this.file = file;
    }

    /**
     * Stage, once per batch: whether the frames of this batch are to be captured.
     *
     * @return true when a session for this tap's interface is armed.
     */
    public boolean active()
    {
        final CaptureFile file = this.file;
        if (null == file || duplicate)
        {
            return false;
        }
        final long generation = file.lvGeneration();
        if (generation != loadedGeneration)
        {
            return load(file, generation);
        }
        if (armed && System.nanoTime() - file.lvHeartbeatNs() > HEARTBEAT_TIMEOUT_NS)
        {
            // the consumer went without closing (SIGKILL): stop copying until a new session's generation
            armed = false;
        }
        return armed;
    }

    /**
     * Stage, after {@link #active()} said true: filter and copy one frame.
     *
     * @param sent        true for a frame the socket sent (TX ring) or saw leaving ({@link #PACKET_OUTGOING}).
     * @param frame       the frame, from its Ethernet header.
     * @param offset      where it starts.
     * @param length      its length here.
     * @param wireLength  its length on the wire.
     * @param timestampNs its RX timestamp (ns since the epoch), or {@link Long#MIN_VALUE} for now (a send).
     * @param ifIndex     the interface index.
     * @param packetType  {@code sll_pkttype} for the filter's ancillary loads.
     */
    public void capture(
        final boolean sent,
        final DirectBuffer frame,
        final int offset,
        final int length,
        final int wireLength,
        final long timestampNs,
        final int ifIndex,
        final int packetType)
    {
        int keep = Math.min(length, snapLength);
        if (filterLength > 0)
        {
            final int etherType = length >= 14 ? frame.getShort(offset + 12, java.nio.ByteOrder.BIG_ENDIAN) & 0xffff : 0;
            final int accepted = interpreter.metadata(etherType, false, 0, ifIndex, packetType)
                .run(filter, filterLength, frame, offset, length);
            if (0 == accepted)
            {
                return;
            }
            keep = Math.min(keep, accepted);
        }
        final CaptureFile file = this.file;
        final ManyToOneRingBuffer ring = file.ring();
        // a record longer than the ring takes would throw: cut the frame instead
        keep = Math.min(keep, ring.maxMsgLength() - RECORD_HEADER_LENGTH);
        final int index = ring.tryClaim(sent ? RECORD_SENT : RECORD_RECEIVED, RECORD_HEADER_LENGTH + keep);
        if (index <= 0)
        {
            // INSUFFICIENT_CAPACITY: the consumer is behind; never wait
            file.countDrop();
            return;
        }
        final AtomicBuffer buffer = ring.buffer();
        final long when = timestampNs == Long.MIN_VALUE ? System.nanoTime() + clockOffsetNs : timestampNs;
        buffer.putLong(index + RECORD_TIMESTAMP_OFFSET, when);
        buffer.putLong(index + RECORD_GENERATION_OFFSET, loadedGeneration);
        buffer.putInt(index + RECORD_WIRE_LENGTH_OFFSET, wireLength);
        buffer.putInt(index + RECORD_IF_INDEX_OFFSET, ifIndex);
        buffer.putBytes(index + RECORD_HEADER_LENGTH, frame, offset, keep);
        // release (inside commit): the record is written before the consumer may read it
        ring.commit(index);
    }

    // stage: copy the session block under the consumer's seqlock; armed only when it was stable and valid
    private boolean load(final CaptureFile file, final long generation)
    {
        armed = false;
        if ((generation & 1) != 0)
        {
            // being written: keep loadedGeneration, look again next batch
            return false;
        }
        final UnsafeBuffer control = file.control();
        final boolean enabled = control.getInt(ENABLED_OFFSET) != 0;
        final int snap = control.getInt(SNAP_LENGTH_OFFSET);
        final long clockOffset = control.getLong(CLOCK_OFFSET_OFFSET);
        boolean matches = true;
        for (int i = 0; i < INTERFACE_NAME_LENGTH; i++)
        {
            matches &= control.getByte(INTERFACE_NAME_OFFSET + i) == name[i];
        }
        final int length = control.getInt(FILTER_LENGTH_OFFSET);
        final boolean lengthValid = length >= 0 && length <= FILTER_MAX;
        if (enabled && matches && lengthValid)
        {
            final long[] filter = this.filter;
            for (int i = 0; i < length; i++)
            {
                filter[i] = control.getLong(FILTER_OFFSET + i * 8);
            }
        }
        // acquire fence: the reads above complete before the generation is read again (seqlock)
        java.lang.invoke.VarHandle.loadLoadFence();
        if (file.lvGeneration() != generation)
        {
            return false;
        }
        loadedGeneration = generation;
        armed = enabled && matches && lengthValid && snap > 0 &&
            (0 == length || BpfProgram.isValid(filter, length));
        filterLength = length;
        snapLength = snap;
        clockOffsetNs = clockOffset;
        return armed;
    }

    @Override
    public String toString()
    {
        return "CaptureTap{" + interfaceName + "}";
    }
}
