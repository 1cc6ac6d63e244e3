package org.oobnet.packet.capture;

import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The layout of {@code <countersDir>/capture.dat}, the file through which {@code oobnet capture} (another process,
 * or {@link CaptureSession} in this one) switches the capture of a runtime's packet rings on and reads what they
 * copied.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |  0 magic 'OOBC'               |  4 version                    |
 * |  8 pid of the runtime's process (64)                          |
 * | 16 consumer's heartbeat: its CLOCK_MONOTONIC at its last poll  |
 * | 24 generation (64): seqlock of the session block; odd while   |
 * |    the consumer writes it, even and nonzero once armed        |
 * | 32 enabled                    | 36 snap length                |
 * | 40 realtime - monotonic clock offset, ns (64)                 |
 * | 48 records dropped: the ring was full (64, stage, atomic add) |
 * | 56 pid of the consumer holding the session, 0 when none (64)  |
 * | 64 interface name (16 bytes, NUL padded)                      |
 * | 80 filter length (instructions) | 84 ring capacity           |
 * | 88 interfaces sequence        | 92 interface count            |
 * | 96 interfaces served: INTERFACES_MAX names of 16 bytes        |
 * | FILTER_OFFSET: the filter, FILTER_MAX packed sock_filter      |
 * | RING_OFFSET: an Agrona ManyToOneRingBuffer of records         |
 * +---------------------------------------------------------------+
 * </pre>
 * A record (message type {@link #RECORD_RECEIVED} or {@link #RECORD_SENT}):
 * <pre>
 * |  0 timestamp, ns since the epoch (64)                         |
 * |  8 generation of the session that took it (64)               |
 * | 16 length on the wire         | 20 interface index            |
 * | 24 the frame's first bytes, at most the snap length ...       |
 * </pre>
 * <b>Note:</b> constants only.
 */
public final class CaptureFileDescriptor
{
    /** The file's name in the counters directory, beside {@code counters.dat}. */
    public static final String FILE_NAME = "capture.dat";
    /** 'OOBC'. */
    public static final int MAGIC = 0x4f4f4243;
    /** Layout version. */
    public static final int VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int PID_OFFSET = 8;
    public static final int HEARTBEAT_OFFSET = 16;
    public static final int GENERATION_OFFSET = 24;
    public static final int ENABLED_OFFSET = 32;
    public static final int SNAP_LENGTH_OFFSET = 36;
    public static final int CLOCK_OFFSET_OFFSET = 40;
    public static final int DROPPED_OFFSET = 48;
    public static final int SESSION_PID_OFFSET = 56;
    public static final int INTERFACE_NAME_OFFSET = 64;
    /** {@code IFNAMSIZ}. */
    public static final int INTERFACE_NAME_LENGTH = 16;
    public static final int FILTER_LENGTH_OFFSET = 80;
    public static final int RING_CAPACITY_OFFSET = 84;
    public static final int INTERFACES_SEQUENCE_OFFSET = 88;
    public static final int INTERFACE_COUNT_OFFSET = 92;
    public static final int INTERFACES_OFFSET = 96;
    /** Most interfaces the table lists. */
    public static final int INTERFACES_MAX = 32;
    public static final int FILTER_OFFSET = 1024;
    /** Most filter instructions a capture holds; libpcap's programs for ordinary expressions are tens long. */
    public static final int FILTER_MAX = 1024;
    public static final int RING_OFFSET = 16384;
    /** The ring's default capacity (records + data), a power of two. */
    public static final int DEFAULT_RING_CAPACITY = 8 * 1024 * 1024;

    /**
     * A consumer silent this long (killed without closing its session) is given up: the taps disarm rather than
     * copy into a ring nobody reads.
     */
    public static final long HEARTBEAT_TIMEOUT_NS = 5_000_000_000L;

    /** Message type of a frame the ring received. */
    public static final int RECORD_RECEIVED = 1;
    /** Message type of a frame the ring sent. */
    public static final int RECORD_SENT = 2;
    public static final int RECORD_TIMESTAMP_OFFSET = 0;
    public static final int RECORD_GENERATION_OFFSET = 8;
    public static final int RECORD_WIRE_LENGTH_OFFSET = 16;
    public static final int RECORD_IF_INDEX_OFFSET = 20;
    public static final int RECORD_HEADER_LENGTH = 24;

    private CaptureFileDescriptor()
    {
    }

    /**
     * The file's length for a ring of {@code ringCapacity} bytes.
     *
     * @param ringCapacity a power of two.
     * @return bytes.
     */
    public static long fileLength(final int ringCapacity)
    {
        return (long)RING_OFFSET + ringCapacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /**
     * Checks a ring capacity.
     *
     * @param ringCapacity the capacity.
     * @throws IllegalArgumentException naming it when it is not a power of two of at least 64 KiB.
     */
    public static void checkRingCapacity(final int ringCapacity)
    {
        if (ringCapacity < 65536 || Integer.bitCount(ringCapacity) != 1)
        {
            throw new IllegalArgumentException("capture ringCapacity=" + ringCapacity +
                " must be a power of two of at least 65536");
        }
    }
}
