package org.oobnet.moldudp64;

import org.agrona.DirectBuffer;

import static org.oobnet.moldudp64.MoldUdp64Descriptor.END_OF_SESSION_COUNT;
import static org.oobnet.moldudp64.MoldUdp64Descriptor.HEADER_LENGTH;

/**
 * Checks a retransmission request (exactly the 20-byte header: session, first sequence number, count), names the
 * problem as a {@link MoldUdp64DropReason} and counts it. Never reads outside {@code [offset, offset + length)}.
 * <p>
 * <b>Note:</b> not thread safe; one per serving thread. Allocation-free.
 */
public final class RequestPacketParser
{
    private final MoldUdp64HeaderFlyweight header = new MoldUdp64HeaderFlyweight();
    private final MoldUdp64DropCounters counters;
    private long sequence;
    private int count;

    /**
     * A parser counting into {@code counters}.
     *
     * @param counters where each request's outcome is counted.
     */
    public RequestPacketParser(final MoldUdp64DropCounters counters)
    {
        this.counters = counters;
    }

    /**
     * Checks the request in {@code [offset, offset + length)}.
     *
     * @param buffer the bytes.
     * @param offset where the request starts.
     * @param length its length.
     * @return {@link MoldUdp64DropReason#NONE} or why it must be dropped (already counted).
     */
    public MoldUdp64DropReason parse(final DirectBuffer buffer, final int offset, final int length)
    {
        final MoldUdp64DropReason reason = check(buffer, offset, length);
        counters.increment(reason);
        return reason;
    }

    private MoldUdp64DropReason check(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            return MoldUdp64DropReason.TRUNCATED_HEADER;
        }
        if (length != HEADER_LENGTH)
        {
            return MoldUdp64DropReason.REQUEST_WRONG_LENGTH;
        }
        header.wrap(buffer, offset);
        final long sequence = header.sequence();
        final int count = header.count();
        if (0 == count || END_OF_SESSION_COUNT == count)
        {
            return MoldUdp64DropReason.REQUEST_COUNT_OUT_OF_RANGE;
        }
        if (!MoldUdp64Descriptor.isSequenceInRange(sequence, count))
        {
            return MoldUdp64DropReason.SEQUENCE_OUT_OF_RANGE;
        }
        this.sequence = sequence;
        this.count = count;
        return MoldUdp64DropReason.NONE;
    }

    /**
     * The accepted request's header (its session).
     *
     * @return the header flyweight.
     */
    public MoldUdp64HeaderFlyweight header()
    {
        return header;
    }

    /**
     * The first sequence number asked for.
     *
     * @return at least 1.
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * How many messages were asked for.
     *
     * @return 1 to 65534.
     */
    public int count()
    {
        return count;
    }
}
