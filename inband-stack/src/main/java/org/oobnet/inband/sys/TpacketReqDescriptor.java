package org.oobnet.inband.sys;

/**
 * Layout of {@code struct tpacket_req}: PACKET_MMAP ring geometry for {@code PACKET_RX_RING}/{@code PACKET_TX_RING} (Linux x86_64).
 * <pre>
 *  offset size field
 *     0   4  tp_block_size
 *     4   4  tp_block_nr
 *     8   4  tp_frame_size
 *    12   4  tp_frame_nr
 *    16       (sizeof)
 * </pre>
 * <b>Note:</b> constants only, thread safe; checked against the C compiler by {@code StructLayoutTest}.
 */
public final class TpacketReqDescriptor
{
    /** {@code tp_block_size}: bytes per block: a multiple of the page size. */
    public static final int BLOCK_SIZE_OFFSET = 0;
    /** {@code tp_block_nr}: number of blocks. */
    public static final int BLOCK_NR_OFFSET = 4;
    /** {@code tp_frame_size}: bytes per frame: a multiple of {@code TPACKET_ALIGNMENT}. */
    public static final int FRAME_SIZE_OFFSET = 8;
    /** {@code tp_frame_nr}: number of frames: blocks times frames per block. */
    public static final int FRAME_NR_OFFSET = 12;
    /** {@code sizeof(struct tpacket_req)}. */
    public static final int LENGTH = 16;

    /** {@code TPACKET_ALIGNMENT}: frames start on this boundary. */
    public static final int TPACKET_ALIGNMENT = 16;

    /**
     * {@code TPACKET_ALIGN(length)}.
     *
     * @param length bytes.
     * @return length rounded up to {@link #TPACKET_ALIGNMENT}.
     */
    public static int tpacketAlign(final int length)
    {
        return (length + TPACKET_ALIGNMENT - 1) & -TPACKET_ALIGNMENT;
    }

    /**
     * Checks a ring geometry the way the kernel will ({@code packet_set_ring}), so a bad one is reported with
     * its values rather than as a bare {@code EINVAL}.
     *
     * @param pageSize  the page size.
     * @param blockSize bytes per block.
     * @param blockNr   number of blocks.
     * @param frameSize bytes per frame.
     * @param frameNr   number of frames.
     * @throws IllegalArgumentException naming every value that is wrong.
     */
    public static void checkRing(final int pageSize, final int blockSize, final int blockNr, final int frameSize,
        final int frameNr)
    {
        final StringBuilder problems = new StringBuilder();
        if (blockSize <= 0 || 0 != blockSize % pageSize)
        {
            problems.append("blockSize=").append(blockSize).append(" must be a positive multiple of pageSize=")
                .append(pageSize).append("; ");
        }
        if (blockNr <= 0)
        {
            problems.append("blockNr=").append(blockNr).append(" must be positive; ");
        }
        if (frameSize < TPACKET2_MIN_FRAME_SIZE || 0 != frameSize % TPACKET_ALIGNMENT)
        {
            problems.append("frameSize=").append(frameSize).append(" must be a multiple of ")
                .append(TPACKET_ALIGNMENT).append(" and at least ").append(TPACKET2_MIN_FRAME_SIZE).append("; ");
        }
        else if (blockSize > 0 && frameSize > blockSize)
        {
            problems.append("frameSize=").append(frameSize).append(" must not exceed blockSize=")
                .append(blockSize).append("; ");
        }
        if (0 == problems.length() && (long)(blockSize / frameSize) * blockNr != frameNr)
        {
            problems.append("frameNr=").append(frameNr).append(" must be blockNr * (blockSize / frameSize)=")
                .append((long)(blockSize / frameSize) * blockNr).append("; ");
        }
        if (0 != problems.length())
        {
            problems.setLength(problems.length() - 2);
            throw new IllegalArgumentException(problems.toString());
        }
    }

    /** The smallest useful TPACKET_V2 frame: the aligned header and {@code sockaddr_ll}. */
    public static final int TPACKET2_MIN_FRAME_SIZE = Tpacket2HdrDescriptor.HDRLEN;

    private TpacketReqDescriptor()
    {
    }
}
