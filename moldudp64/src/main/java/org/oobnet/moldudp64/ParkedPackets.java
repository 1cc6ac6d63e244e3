package org.oobnet.moldudp64;

import java.util.Arrays;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Copies of the packets a {@link MoldUdp64Receiver}'s lines brought past a gap, {@link #PER_LINE} slots per line (the
 * retransmission channel's too), kept until the gap closes, and the sequence ranges they hold, so that the gap's
 * holes are what lies between them.
 * <p>
 * <b>Note:</b> not thread safe; the receiver's thread only. Allocation-free after construction.
 */
final class ParkedPackets
{
    /** Packets each line may hold past a gap. */
    static final int PER_LINE = 256;
    /** The room of each slot but a line's first (which takes the largest UDP payload): an Ethernet MTU's. */
    static final int SLOT_BYTES = 2048;

    // slot (line * PER_LINE + i): a copy of a packet; length 0 marks a free slot
    private final UnsafeBuffer[] packet;
    private final int[] length;
    private final long[] rxTimestampNs;
    private final long[] sequence;
    private final int[] count;
    // the sequence numbers the parked packets hold (all past the receiver's next sequence when parked)
    private final SequenceRanges ranges;
    private final DownstreamPacketParser reparser = new DownstreamPacketParser(new MoldUdp64DropCounters());

    /**
     * Empty slots. In-band: allocates every slot.
     *
     * @param lineCount the lines parking here, the retransmission channel included.
     */
    ParkedPackets(final int lineCount)
    {
        this.packet = new UnsafeBuffer[lineCount * PER_LINE];
        for (int i = 0; i < packet.length; i++)
        {
            packet[i] = new UnsafeBuffer(
                new byte[0 == i % PER_LINE ? MoldUdp64Descriptor.MAX_PACKET_LENGTH : SLOT_BYTES]);
        }
        this.sequence = new long[packet.length];
        this.length = new int[packet.length];
        this.rxTimestampNs = new long[packet.length];
        this.count = new int[lineCount];
        // each range holds at least one parked packet
        this.ranges = new SequenceRanges(packet.length + 1);
    }

    /**
     * Copies a packet into a free slot of its line that has room for it.
     *
     * @param line                the packet's line.
     * @param buffer              the packet's buffer.
     * @param offset              where the packet starts.
     * @param packetLength        its length.
     * @param packetSequence      its first message's sequence.
     * @param end                 one past its last message's.
     * @param packetRxTimestampNs its receive timestamp.
     * @return false when the line has no free slot with room: the packet was not kept.
     */
    boolean park(
        final int line,
        final DirectBuffer buffer,
        final int offset,
        final int packetLength,
        final long packetSequence,
        final long end,
        final long packetRxTimestampNs)
    {
        final int slot = freeSlot(line, packetLength);
        if (slot < 0)
        {
            return false;
        }
        packet[slot].putBytes(0, buffer, offset, packetLength);
        length[slot] = packetLength;
        sequence[slot] = packetSequence;
        rxTimestampNs[slot] = packetRxTimestampNs;
        count[line]++;
        ranges.add(packetSequence, end);
        return true;
    }

    private int freeSlot(final int line, final int packetLength)
    {
        if (count[line] == PER_LINE)
        {
            return -1;
        }
        for (int slot = firstSlot(line), last = slot + PER_LINE; slot < last; slot++)
        {
            if (0 == length[slot] && packet[slot].capacity() >= packetLength)
            {
                return slot;
            }
        }
        return -1;
    }

    /**
     * The first slot of a line, where {@link #reached} starts.
     *
     * @param line a line.
     * @return its first slot.
     */
    static int firstSlot(final int line)
    {
        return line * PER_LINE;
    }

    /**
     * The line's next held packet, from {@code fromSlot} on, that starts at or before {@code nextSequence}: delivery
     * reached it.
     *
     * @param line         a line.
     * @param fromSlot     the slot to look from, {@link #firstSlot} or past the last one returned.
     * @param nextSequence the receiver's next sequence.
     * @return its slot, or -1.
     */
    int reached(final int line, final int fromSlot, final long nextSequence)
    {
        if (0 == count[line])
        {
            return -1;
        }
        for (int slot = fromSlot, last = firstSlot(line) + PER_LINE; slot < last; slot++)
        {
            if (0 != length[slot] && sequence[slot] <= nextSequence)
            {
                return slot;
            }
        }
        return -1;
    }

    /**
     * Frees a held packet's slot and parses the packet; its bytes stay readable through {@link #packet} until the
     * slot is parked into again.
     *
     * @param slot a slot {@link #reached} returned.
     * @return a parser over the packet, its messages not read yet.
     */
    DownstreamPacketParser take(final int slot)
    {
        reparser.parse(packet[slot], 0, length[slot]);
        length[slot] = 0;
        count[slot / PER_LINE]--;
        return reparser;
    }

    /**
     * A slot's packet bytes.
     *
     * @param slot a slot.
     * @return its buffer, the packet at 0.
     */
    DirectBuffer packet(final int slot)
    {
        return packet[slot];
    }

    /**
     * A slot's packet's receive timestamp.
     *
     * @param slot a slot.
     * @return the timestamp it was parked with.
     */
    long rxTimestampNs(final int slot)
    {
        return rxTimestampNs[slot];
    }

    /**
     * Drops every held packet, counting its messages as {@code ahead} on its line: a session change, they belong to
     * the old session.
     *
     * @param lines each line's counters, by line index.
     */
    void discardAll(final MoldUdp64LineCounters[] lines)
    {
        for (int slot = 0; slot < packet.length; slot++)
        {
            if (0 != length[slot])
            {
                reparser.parse(packet[slot], 0, length[slot]);
                lines[slot / PER_LINE].ahead += reparser.messageCount();
                length[slot] = 0;
            }
        }
        Arrays.fill(count, 0);
        ranges.clear();
    }

    /**
     * The first sequence at or after {@code from} that no held packet carries.
     *
     * @param from a sequence.
     * @return it.
     */
    long firstAbsent(final long from)
    {
        return ranges.firstAbsent(from);
    }

    /**
     * Where the next held range after {@code from} starts: the end of the hole {@code from} is in.
     *
     * @param from a sequence.
     * @return that start, or {@link Long#MAX_VALUE} when none.
     */
    long nextStart(final long from)
    {
        return ranges.nextStart(from);
    }

    /**
     * Forgets the held ranges before {@code nextSequence} (delivered or given up).
     *
     * @param nextSequence the receiver's next sequence.
     */
    void forgetRangesBefore(final long nextSequence)
    {
        ranges.removeBefore(nextSequence);
    }

    /** Forgets every held range: the gap closed. */
    void clearRanges()
    {
        ranges.clear();
    }
}
