package org.oobnet.packet.capture;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.oobnet.packet.bpf.BpfProgram;

import static org.oobnet.packet.capture.CaptureFileDescriptor.*;

/**
 * A capture of one interface's OOB packet rings, from the consumer's side: arms the taps of a running runtime
 * (this process' or another's, found through its counters directory), reads the records they copy, disarms them at
 * {@link #close()}. {@code oobnet capture} runs one; applications and tests may too.
 * <pre>{@code
 * try (CaptureSession capture = CaptureSession.start(countersDir, "eth1", "udp port 5000", 65535);
 *      PcapngWriter file = PcapngWriter.create(path, "eth1", 65535))
 * {
 *     capture.poll(file, 256);   // in a loop, until enough
 * }
 * }</pre>
 * One session per runtime at a time: a second is refused while the first one's process lives. Poll at least every
 * few seconds: a session silent for {@link CaptureFileDescriptor#HEARTBEAT_TIMEOUT_NS} is taken for a dead one and
 * the stage stops copying.
 * <p>
 * <b>Note:</b> in-band; one thread polls a session.
 */
public final class CaptureSession implements AutoCloseable
{
    /** The largest snap length (libpcap's {@code MAXIMUM_SNAPLEN}). */
    public static final int MAX_SNAP_LENGTH = 262144;

    /** Takes the frames a session reads. */
    @FunctionalInterface
    public interface FrameHandler
    {
        /**
         * One captured frame.
         *
         * @param timestampNs    its RX timestamp, or the time its send was kicked (ns since the epoch).
         * @param outbound       true for a frame sent.
         * @param wireLength     its length on the wire.
         * @param frame          the captured bytes.
         * @param offset         where they start.
         * @param capturedLength how many (at most the snap length).
         * @throws Exception to stop the poll (e.g. a full disk); {@link #poll} rethrows it.
         */
        void onFrame(long timestampNs, boolean outbound, int wireLength, DirectBuffer frame, int offset,
            int capturedLength) throws Exception;
    }

    private final CaptureFile file;
    private final String interfaceName;
    private final long generation;
    private final long droppedAtStart;
    private final ManyToOneRingBuffer ring;
    private final long pid = ProcessHandle.current().pid();
    private final MessageHandler recordHandler = this::onRecord;
    private FrameHandler frameHandler;
    private Exception failure;
    private long received;
    private long sent;
    private boolean closed;

    private CaptureSession(
        final CaptureFile file, final String interfaceName, final long generation, final long droppedAtStart)
    {
        this.file = file;
        this.interfaceName = interfaceName;
        this.generation = generation;
        this.droppedAtStart = droppedAtStart;
        this.ring = file.ring();
    }

    /**
     * In-band: arms a capture of {@code interfaceName} on the runtime whose counters directory is {@code dir}.
     *
     * @param dir           the runtime's counters directory.
     * @param interfaceName the interface.
     * @param filter        a pcap-filter expression, or blank for every frame.
     * @param snapLength    bytes kept of each frame, 1..{@link #MAX_SNAP_LENGTH}.
     * @return the armed session.
     * @throws IllegalStateException when no runtime runs there or another capture holds it.
     * @throws IllegalArgumentException naming a bad filter, snap length, or an interface no OOB port serves.
     */
    public static CaptureSession start(
        final Path dir, final String interfaceName, final String filter, final int snapLength)
    {
        if (snapLength < 1 || snapLength > MAX_SNAP_LENGTH)
        {
            throw new IllegalArgumentException("snaplen=" + snapLength + " must be in 1.." + MAX_SNAP_LENGTH);
        }
        final CaptureFile file = CaptureFile.open(dir);
        final List<String> served = file.interfaces();
        if (!served.contains(interfaceName))
        {
            throw new IllegalArgumentException("interface=" + interfaceName + " is not served by an OOB port of the " +
                "runtime (pid " + file.pid() + ")" + (served.isEmpty() ? ": it has no OOB packet rings open" :
                "; served: " + String.join(", ", served)));
        }
        final BpfProgram program = PcapFilter.compile(filter, snapLength);
        final UnsafeBuffer control = file.control();
        final long me = ProcessHandle.current().pid();
        takeOver(file, control, me);
        // what an earlier session left unread is not ours
        discardUnread(file.ring());
        final long droppedBefore = file.dropped();
        file.heartbeat();
        final long odd = file.beginWrite();
        control.putInt(ENABLED_OFFSET, 1);
        control.putInt(SNAP_LENGTH_OFFSET, snapLength);
        control.putLong(CLOCK_OFFSET_OFFSET, realtimeMinusMonotonicNs());
        CaptureFile.putName(control, INTERFACE_NAME_OFFSET, interfaceName);
        final int length = null == program ? 0 : program.length();
        for (int i = 0; i < length; i++)
        {
            control.putLong(FILTER_OFFSET + i * 8, program.instruction(i));
        }
        control.putInt(FILTER_LENGTH_OFFSET, length);
        final long generation = file.endWrite(odd);
        return new CaptureSession(file, interfaceName, generation, droppedBefore);
    }

    // twice round: a read stops at the padding record before the ring's wrap
    private static void discardUnread(final ManyToOneRingBuffer ring)
    {
        final MessageHandler discard = (type, buffer, index, length) -> { };
        for (int round = 0; round < 2; round++)
        {
            while (ring.read(discard, Integer.MAX_VALUE) > 0)
            {
                // discarded
            }
        }
    }

    // the session slot: free, ours, or held by a process that has ended
    private static void takeOver(final CaptureFile file, final UnsafeBuffer control, final long me)
    {
        while (true)
        {
            final long holder = control.getLongVolatile(SESSION_PID_OFFSET);
            if (0 != holder && holder != me && ProcessHandle.of(holder).map(ProcessHandle::isAlive).orElse(false))
            {
                throw new IllegalStateException("a capture by pid " + holder + " is running on the runtime (pid " +
                    file.pid() + "); one at a time");
            }
            if (0 != holder && holder == me)
            {
                throw new IllegalStateException("a capture of this process is running on the runtime (pid " +
                    file.pid() + "); one at a time");
            }
            if (control.compareAndSetLong(SESSION_PID_OFFSET, holder, me))
            {
                return;
            }
        }
    }

    // both processes read CLOCK_MONOTONIC through System.nanoTime, so the stage turns its send times into the
    // epoch with the consumer's offset
    private static long realtimeMinusMonotonicNs()
    {
        final Instant now = Instant.now();
        final long monotonic = System.nanoTime();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano() - monotonic;
    }

    /**
     * In-band: hands up to {@code limit} captured frames to {@code handler}.
     *
     * @param handler takes each frame.
     * @param limit   most records this call.
     * @return records read (frames of an earlier session are read and skipped).
     * @throws Exception what the handler threw.
     */
    public int poll(final FrameHandler handler, final int limit) throws Exception
    {
        this.frameHandler = handler;
        this.failure = null;
        file.heartbeat();
        int read = ring.read(recordHandler, limit);
        if (0 == read)
        {
            // the read may have stopped at the padding record before the ring's wrap: read once more from its start
            read = ring.read(recordHandler, limit);
        }
        if (null != failure)
        {
            throw failure;
        }
        return read;
    }

    /**
     * In-band: hands up to {@code limit} captured frames to a pcapng file.
     *
     * @param writer the file.
     * @param limit  most records this call.
     * @return records read.
     * @throws Exception when the file cannot be written.
     */
    public int poll(final PcapngWriter writer, final int limit) throws Exception
    {
        return poll(writer::packet, limit);
    }

    private void onRecord(final int type, final org.agrona.MutableDirectBuffer buffer, final int index, final int length)
    {
        if (null != failure || buffer.getLong(index + RECORD_GENERATION_OFFSET) != generation)
        {
            return;
        }
        final boolean outbound = type == RECORD_SENT;
        try
        {
            frameHandler.onFrame(buffer.getLong(index + RECORD_TIMESTAMP_OFFSET), outbound,
                buffer.getInt(index + RECORD_WIRE_LENGTH_OFFSET), buffer, index + RECORD_HEADER_LENGTH,
                length - RECORD_HEADER_LENGTH);
            if (outbound)
            {
                sent++;
            }
            else
            {
                received++;
            }
        }
        catch (final Exception ex)
        {
            failure = ex;
        }
    }

    /** @return the interface captured. */
    public String interfaceName()
    {
        return interfaceName;
    }

    /** @return frames received that were handed on. */
    public long received()
    {
        return received;
    }

    /** @return frames sent that were handed on. */
    public long sent()
    {
        return sent;
    }

    /**
     * Records the stage could not write because the ring was full, since this session began (the stage never
     * waits for the consumer).
     *
     * @return the count.
     */
    public long dropped()
    {
        return file.dropped() - droppedAtStart;
    }

    /**
     * In-band: disarms the taps and frees the session slot; records still in the ring are left (read them with
     * {@link #poll} first). Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        final UnsafeBuffer control = file.control();
        final long odd = file.beginWrite();
        control.putInt(ENABLED_OFFSET, 0);
        file.endWrite(odd);
        control.compareAndSetLong(SESSION_PID_OFFSET, pid, 0);
    }
}
