package org.oobnet.packet.ring;

import org.oobnet.inband.sys.SockaddrLlDescriptor;
import org.oobnet.inband.sys.Tpacket2HdrDescriptor;
import org.oobnet.inband.sys.TpacketReqDescriptor;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of one PACKET_MMAP TPACKET_V2 ring ({@code struct tpacket_req}): frames of {@code frameSize} bytes
 * packed into blocks of {@code blockSize} bytes, {@code blockCount} blocks, validated against the kernel's rules
 * ({@code packet_set_ring} in {@code net/packet/af_packet.c}) so that the kernel never refuses it.
 * <p>
 * Frames never straddle blocks: frame {@code i} lives at
 * {@code (i / framesPerBlock) * blockSize + (i % framesPerBlock) * frameSize}, which {@link #frameOffset(int)}
 * answers from a table computed once.
 * <pre>
 *  block 0                               block 1
 * +---------+---------+------+ +---------+---------+------+
 * | frame 0 | frame 1 | pad  | | frame 2 | frame 3 | pad  |   pad = blockSize % frameSize
 * +---------+---------+------+ +---------+---------+------+
 * frame: tpacket2_hdr (32) | sockaddr_ll (20) | ... | frame data at tp_mac (RX) or 32 (TX)
 * </pre>
 * <b>Note:</b> immutable, safe to share between threads.
 */
public final class RingGeometry
{
    /** {@code TPACKET_ALIGNMENT}: frames and the data in them are aligned to 16 bytes. */
    public static final int TPACKET_ALIGNMENT = TpacketReqDescriptor.TPACKET_ALIGNMENT;
    /** {@code sizeof(struct tpacket2_hdr)}. */
    public static final int TPACKET2_HEADER_LENGTH = Tpacket2HdrDescriptor.LENGTH;
    /** {@code sizeof(struct sockaddr_ll)}. */
    public static final int SOCKADDR_LL_LENGTH = SockaddrLlDescriptor.LENGTH;
    /** {@code TPACKET2_HDRLEN}: {@code TPACKET_ALIGN(sizeof(tpacket2_hdr)) + sizeof(sockaddr_ll)}. */
    public static final int TPACKET2_HDRLEN = align(TPACKET2_HEADER_LENGTH) + SOCKADDR_LL_LENGTH;
    /**
     * Where an RX frame's Ethernet header starts in its ring frame: the kernel puts the network header at
     * {@code TPACKET_ALIGN(TPACKET2_HDRLEN + 16)} and the 14-byte link header just before it.
     */
    public static final int RX_MAC_OFFSET = align(TPACKET2_HDRLEN + 16) - 14;
    /** Where a TX frame's data starts: {@code TPACKET2_HDRLEN - sizeof(sockaddr_ll)}. */
    public static final int TX_DATA_OFFSET = TPACKET2_HDRLEN - SOCKADDR_LL_LENGTH;
    /** Smallest frame that holds the header and an Ethernet header. */
    public static final int MIN_FRAME_SIZE = align(TPACKET2_HDRLEN + 16);
    /**
     * Largest block: {@code PAGE_SIZE << MAX_PAGE_ORDER} (4 MiB with 4 KiB pages). The kernel allocates each block
     * as one high-order allocation and falls back to vmalloc, which fragmented memory makes slow and uncertain.
     */
    public static final int MAX_PAGE_ORDER = 10;
    /** Largest whole ring this runtime maps (1 GiB): offsets stay ints. */
    public static final long MAX_RING_BYTES = 1L << 30;

    private final int frameSize;
    private final int frameCount;
    private final int blockSize;
    private final int blockCount;
    private final int framesPerBlock;
    private final int[] frameOffsets;

    private RingGeometry(final int frameSize, final int frameCount, final int blockSize)
    {
        this.frameSize = frameSize;
        this.frameCount = frameCount;
        this.blockSize = blockSize;
        this.framesPerBlock = blockSize / frameSize;
        this.blockCount = frameCount / framesPerBlock;
        this.frameOffsets = new int[frameCount];
        for (int i = 0; i < frameCount; i++)
        {
            frameOffsets[i] = (i / framesPerBlock) * blockSize + (i % framesPerBlock) * frameSize;
        }
    }

    /**
     * A validated geometry.
     *
     * @param frameSize  bytes per frame.
     * @param frameCount frames in the ring.
     * @param blockSize  bytes per block.
     * @param pageSize   the system's page size.
     * @return the geometry.
     * @throws IllegalArgumentException naming every rule broken and the values that broke it.
     */
    public static RingGeometry of(final int frameSize, final int frameCount, final int blockSize, final int pageSize)
    {
        final List<String> problems = check(frameSize, frameCount, blockSize, pageSize);
        if (!problems.isEmpty())
        {
            throw new IllegalArgumentException("invalid ring geometry: " + String.join("; ", problems));
        }
        return new RingGeometry(frameSize, frameCount, blockSize);
    }

    /**
     * Every rule the values break, empty when the kernel would accept them.
     *
     * @param frameSize  bytes per frame.
     * @param frameCount frames in the ring.
     * @param blockSize  bytes per block.
     * @param pageSize   the system's page size.
     * @return one message per broken rule, {@code name=value} first.
     */
    public static List<String> check(final int frameSize, final int frameCount, final int blockSize, final int pageSize)
    {
        final List<String> problems = new ArrayList<>();
        final long maxBlockSize = (long)pageSize << MAX_PAGE_ORDER;
        boolean blockOk = true;
        boolean frameOk = true;
        if (blockSize <= 0 || blockSize % pageSize != 0)
        {
            problems.add("blockSize=" + blockSize + " must be a positive multiple of the page size " + pageSize);
            blockOk = false;
        }
        else if (blockSize > maxBlockSize)
        {
            problems.add("blockSize=" + blockSize + " must be at most " + maxBlockSize +
                " (page size " + pageSize + " << MAX_PAGE_ORDER " + MAX_PAGE_ORDER + ")");
            blockOk = false;
        }
        if (frameSize % TPACKET_ALIGNMENT != 0)
        {
            problems.add("frameSize=" + frameSize + " must be a multiple of TPACKET_ALIGNMENT " + TPACKET_ALIGNMENT);
            frameOk = false;
        }
        if (frameSize < MIN_FRAME_SIZE)
        {
            problems.add("frameSize=" + frameSize + " must be at least " + MIN_FRAME_SIZE +
                " (larger than TPACKET2_HDRLEN " + TPACKET2_HDRLEN + " plus an Ethernet header)");
            frameOk = false;
        }
        if (frameCount <= 0)
        {
            problems.add("frameCount=" + frameCount + " must be positive");
            frameOk = false;
        }
        if (blockOk && frameOk)
        {
            if (frameSize > blockSize)
            {
                problems.add("frameSize=" + frameSize + " must not exceed blockSize=" + blockSize);
            }
            else
            {
                final int framesPerBlock = blockSize / frameSize;
                if (frameCount % framesPerBlock != 0)
                {
                    problems.add("frameCount=" + frameCount + " must be a multiple of framesPerBlock=" +
                        framesPerBlock + " (blockSize=" + blockSize + " / frameSize=" + frameSize +
                        "): frameCount = framesPerBlock x blockCount");
                }
                else if ((long)(frameCount / framesPerBlock) * blockSize > MAX_RING_BYTES)
                {
                    problems.add("ring of " + (frameCount / framesPerBlock) + " blocks x blockSize=" + blockSize +
                        " must be at most " + MAX_RING_BYTES + " bytes");
                }
            }
        }
        return problems;
    }

    /**
     * Bytes per frame ({@code tp_frame_size}).
     *
     * @return the frame size.
     */
    public int frameSize()
    {
        return frameSize;
    }

    /**
     * Frames in the ring ({@code tp_frame_nr}).
     *
     * @return the frame count.
     */
    public int frameCount()
    {
        return frameCount;
    }

    /**
     * Bytes per block ({@code tp_block_size}).
     *
     * @return the block size.
     */
    public int blockSize()
    {
        return blockSize;
    }

    /**
     * Blocks in the ring ({@code tp_block_nr}).
     *
     * @return the block count.
     */
    public int blockCount()
    {
        return blockCount;
    }

    /**
     * Frames in each block.
     *
     * @return {@code blockSize / frameSize}.
     */
    public int framesPerBlock()
    {
        return framesPerBlock;
    }

    /**
     * Bytes the ring maps.
     *
     * @return {@code blockSize * blockCount}.
     */
    public long ringBytes()
    {
        return (long)blockSize * blockCount;
    }

    /**
     * Where frame {@code index} starts in the mapped ring.
     *
     * @param index 0 .. frameCount - 1.
     * @return byte offset from the ring's start.
     */
    public int frameOffset(final int index)
    {
        return frameOffsets[index];
    }

    /**
     * Longest frame an RX ring slot holds whole; longer ones arrive truncated ({@code tp_snaplen < tp_len}).
     *
     * @return frame bytes after {@link #RX_MAC_OFFSET}.
     */
    public int maxRxFrameBytes()
    {
        return frameSize - RX_MAC_OFFSET;
    }

    /**
     * Longest frame a TX ring slot can send.
     *
     * @return frame bytes after {@link #TX_DATA_OFFSET}.
     */
    public int maxTxFrameBytes()
    {
        return frameSize - TX_DATA_OFFSET;
    }

    @Override
    public String toString()
    {
        return "frames=" + frameCount + " frameSize=" + frameSize + " blocks=" + blockCount + " blockSize=" +
            blockSize + " bytes=" + ringBytes();
    }

    private static int align(final int value)
    {
        return (value + TPACKET_ALIGNMENT - 1) & -TPACKET_ALIGNMENT;
    }
}
