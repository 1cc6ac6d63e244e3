package org.oobnet.udp.frag;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLongArray;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.config.ReassemblyConfig;
import org.oobnet.udp.frame.DropReason;
import org.oobnet.udp.frame.Ipv4Flyweight;
import org.oobnet.udp.frame.UdpDropCounters;
import org.oobnet.udp.frame.UdpFrameParser;

/**
 * IPv4 reassembly on the stage, in memory allocated once: {@code slots} datagrams at a time, each in a slot of
 * {@code udp.reassembly_slot_bytes}, with at most {@code udp.reassembly_max_fragments} fragments, dropped when its
 * fragments have not all arrived {@code udp.reassembly_timeout} after its first one. A completed datagram is an
 * Ethernet frame again (the first fragment's link and IPv4 headers, total length and fragment fields rewritten,
 * header checksum made), so the port parses and demultiplexes it as any other frame.
 * <p>
 * Malformed input drops the whole datagram, as RFC 5722 asks of IPv6 and Linux does for IPv4 since 4.19: a fragment
 * that overlaps one held, a bad offset or length, a datagram too big or in too many pieces. An exact duplicate (same
 * offset and length) is only itself dropped. Every drop is counted by reason in the port's {@link UdpDropCounters}
 * (the {@code frag-*} reasons); a held fragment is not a drop.
 * <p>
 * Slots are found by a linear scan of the busy ones, keyed by (source, destination, identification); the protocol
 * is always UDP (the port reassembles nothing else).
 * <p>
 * <b>Note:</b> not thread safe; made in-band, then used by its port's stage only. The counters are read from any
 * thread (release stores by the stage, acquire loads by readers).
 */
public final class Ipv4Reassembler
{
    /** {@link #onFragment}: the datagram is not complete (the fragment is held, or was dropped and counted). */
    public static final int NOT_COMPLETE = -1;

    // room for a VLAN-tagged Ethernet header and the largest IPv4 header in front of a slot's payload
    private static final int LINK_ROOM = 18;
    private static final int PAYLOAD_AT = LINK_ROOM + Ipv4Flyweight.MAX_HEADER_LENGTH;
    private static final int IPV4_MAX_TOTAL_LENGTH = 65535;
    private static final int FRAGMENTS_TAKEN = 0;
    private static final int DATAGRAMS_REASSEMBLED = 1;

    private final int slots;
    private final int maxPayload;
    private final int maxFragments;
    private final long timeoutNs;
    private final int stride;
    private final UnsafeBuffer memory;
    private final UdpDropCounters drops;
    private final Ipv4Flyweight ip = new Ipv4Flyweight();
    private final AtomicLongArray counts = new AtomicLongArray(2);

    // per slot (struct of arrays: no object per datagram)
    private final boolean[] busy;
    private final int[] srcAddress;
    private final int[] dstAddress;
    private final int[] id;
    private final long[] deadlineNs;
    // the payload's end once the last fragment arrived, else -1
    private final int[] end;
    private final int[] received;
    private final int[] fragments;
    // of the first fragment (offset 0), 0 until it arrived
    private final int[] headerLength;
    private final int[] linkLength;
    private final boolean[] verifiable;
    // the fragments held: [slot * maxFragments + i], payload offsets [start, stop)
    private final int[] starts;
    private final int[] stops;
    private int active;
    private long nowNs;

    /**
     * In-band: allocates every slot now.
     *
     * @param config the limits.
     * @param drops  the port's drop counters (the stage is their one writer).
     */
    public Ipv4Reassembler(final ReassemblyConfig config, final UdpDropCounters drops)
    {
        if (!config.enabled())
        {
            throw new IllegalArgumentException("udp.reassembly_slots=0: reassembly is off, make no reassembler");
        }
        this.slots = config.slots();
        this.maxPayload = config.maxDatagramBytes() - Ipv4Flyweight.MIN_HEADER_LENGTH;
        this.maxFragments = config.maxFragments();
        this.timeoutNs = config.timeoutNs();
        this.drops = drops;
        this.stride = PAYLOAD_AT + maxPayload;
        this.memory = new UnsafeBuffer(ByteBuffer.allocateDirect(slots * stride));
        this.busy = new boolean[slots];
        this.srcAddress = new int[slots];
        this.dstAddress = new int[slots];
        this.id = new int[slots];
        this.deadlineNs = new long[slots];
        this.end = new int[slots];
        this.received = new int[slots];
        this.fragments = new int[slots];
        this.headerLength = new int[slots];
        this.linkLength = new int[slots];
        this.verifiable = new boolean[slots];
        this.starts = new int[slots * maxFragments];
        this.stops = new int[slots * maxFragments];
    }

    /**
     * Stage, once per cycle before the port's RX poll: takes the cycle's clock, from which new datagrams' deadlines
     * start.
     *
     * @param nowNs the cycle's clock.
     */
    public void clock(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    /**
     * Stage, once per cycle after the port's RX poll: takes the cycle's clock ({@link #clock}) and drops, counted as
     * {@link DropReason#FRAG_TIMEOUT}, every datagram past its deadline. After the poll, so that fragments which
     * waited in the ring while the stage was off its CPU complete their datagrams first: they arrived in time.
     *
     * @param nowNs the cycle's clock.
     * @return datagrams dropped.
     */
    public int expire(final long nowNs)
    {
        this.nowNs = nowNs;
        if (0 == active)
        {
            return 0;
        }
        int expired = 0;
        for (int slot = 0; slot < slots; slot++)
        {
            if (busy[slot] && deadlineNs[slot] - nowNs < 0)
            {
                dropDatagram(slot, DropReason.FRAG_TIMEOUT);
                expired++;
            }
        }
        return expired;
    }

    /**
     * Stage: takes one UDP fragment the parser just returned {@link DropReason#FRAGMENT} for. When it completes its
     * datagram, the datagram is a frame at {@link #frameOffset}, {@link #frameLength} in {@link #buffer()} until
     * {@link #release}.
     *
     * @param frame       the fragment's frame.
     * @param frameOffset where its link header starts.
     * @param parser      the parser that read it (IPv4 fields and fragment fields).
     * @param verifiable  whether its UDP checksum can be verified (the ring's checksum status).
     * @return the completed datagram's slot, or {@link #NOT_COMPLETE}.
     */
    public int onFragment(
        final MutableDirectBuffer frame, final int frameOffset, final UdpFrameParser parser, final boolean verifiable)
    {
        counts.setRelease(FRAGMENTS_TAKEN, counts.getPlain(FRAGMENTS_TAKEN) + 1);
        final int flags = parser.flagsAndFragmentOffset();
        final boolean more = 0 != (flags & Ipv4Flyweight.FLAG_MF);
        final int start = (flags & Ipv4Flyweight.FRAGMENT_OFFSET_MASK) << 3;
        final int length = parser.ipPayloadLength();
        final int stop = start + length;
        final int ipOffset = parser.ipOffset();
        final int ipHeaderLength = parser.ipPayloadOffset() - ipOffset;
        int slot = find(parser.srcAddress(), parser.dstAddress(), parser.fragmentId());

        final DropReason malformed = 0 == length || (more && 0 != (length & 7)) ? DropReason.FRAG_BAD_OFFSET :
            ipHeaderLength + stop > IPV4_MAX_TOTAL_LENGTH || stop > maxPayload ? DropReason.FRAG_TOO_BIG :
            DropReason.NONE;
        if (DropReason.NONE != malformed)
        {
            return drop(slot, malformed);
        }
        if (slot < 0)
        {
            slot = allocate(parser.srcAddress(), parser.dstAddress(), parser.fragmentId());
            if (slot < 0)
            {
                drops.onDrop(DropReason.FRAG_NO_SLOT);
                return NOT_COMPLETE;
            }
        }

        final int base = slot * maxFragments;
        final int held = fragments[slot];
        for (int i = 0; i < held; i++)
        {
            final int heldStart = starts[base + i];
            final int heldStop = stops[base + i];
            if (heldStart == start && heldStop == stop)
            {
                drops.onDrop(DropReason.FRAG_DUPLICATE);
                return NOT_COMPLETE;
            }
            if (start < heldStop && heldStart < stop)
            {
                return drop(slot, DropReason.FRAG_OVERLAP);
            }
            if (!more && heldStop > stop)
            {
                return drop(slot, DropReason.FRAG_BAD_OFFSET);
            }
        }
        final int knownEnd = end[slot];
        if (knownEnd >= 0 && (more ? stop > knownEnd : stop != knownEnd))
        {
            return drop(slot, DropReason.FRAG_BAD_OFFSET);
        }
        if (held == maxFragments)
        {
            return drop(slot, DropReason.FRAG_TOO_MANY);
        }

        final int slotBase = slot * stride;
        memory.putBytes(slotBase + PAYLOAD_AT + start, frame, parser.ipPayloadOffset(), length);
        if (0 == start)
        {
            final int link = ipOffset - frameOffset;
            memory.putBytes(slotBase + PAYLOAD_AT - ipHeaderLength - link, frame, frameOffset, link + ipHeaderLength);
            headerLength[slot] = ipHeaderLength;
            linkLength[slot] = link;
        }
        starts[base + held] = start;
        stops[base + held] = stop;
        fragments[slot] = held + 1;
        received[slot] += length;
        this.verifiable[slot] &= verifiable;
        if (!more)
        {
            end[slot] = stop;
        }
        // no overlaps and nothing past the end: the bytes held cover [0, end) exactly when they add up to it
        return end[slot] >= 0 && received[slot] == end[slot] ? finish(slot) : NOT_COMPLETE;
    }

    /**
     * @return the slots' memory (a completed datagram's frame is in it).
     */
    public MutableDirectBuffer buffer()
    {
        return memory;
    }

    /**
     * @param slot a completed datagram's slot.
     * @return where its frame starts in {@link #buffer()}.
     */
    public int frameOffset(final int slot)
    {
        return slot * stride + PAYLOAD_AT - headerLength[slot] - linkLength[slot];
    }

    /**
     * @param slot a completed datagram's slot.
     * @return its frame's length (link header, IPv4 header, payload).
     */
    public int frameLength(final int slot)
    {
        return linkLength[slot] + headerLength[slot] + end[slot];
    }

    /**
     * @param slot a completed datagram's slot.
     * @return whether every fragment's checksum status allowed verifying the UDP checksum.
     */
    public boolean verifiable(final int slot)
    {
        return verifiable[slot];
    }

    /**
     * Stage: frees a completed datagram's slot, once it was delivered.
     *
     * @param slot the slot.
     */
    public void release(final int slot)
    {
        free(slot);
    }

    /**
     * @return datagrams being reassembled now (stage only).
     */
    public int active()
    {
        return active;
    }

    /**
     * @return the bytes of the slots' memory, allocated once: never more.
     */
    public int memoryBytes()
    {
        return memory.capacity();
    }

    /**
     * @return fragments taken so far (held, completing, or dropped).
     */
    public long fragmentsTaken()
    {
        return counts.getAcquire(FRAGMENTS_TAKEN);
    }

    /**
     * @return datagrams completed so far.
     */
    public long datagramsReassembled()
    {
        return counts.getAcquire(DATAGRAMS_REASSEMBLED);
    }

    private int finish(final int slot)
    {
        final int ipHeaderLength = headerLength[slot];
        if (ipHeaderLength + end[slot] > IPV4_MAX_TOTAL_LENGTH)
        {
            return drop(slot, DropReason.FRAG_TOO_BIG);
        }
        ip.wrap(memory, slot * stride + PAYLOAD_AT - ipHeaderLength)
            .totalLength(ipHeaderLength + end[slot])
            .flagsAndFragmentOffset(0)
            .updateChecksum();
        counts.setRelease(DATAGRAMS_REASSEMBLED, counts.getPlain(DATAGRAMS_REASSEMBLED) + 1);
        return slot;
    }

    // the fragment's datagram goes whole when it has a slot; the drop is counted once either way
    private int drop(final int slot, final DropReason reason)
    {
        if (slot >= 0)
        {
            free(slot);
        }
        drops.onDrop(reason);
        return NOT_COMPLETE;
    }

    private void dropDatagram(final int slot, final DropReason reason)
    {
        free(slot);
        drops.onDrop(reason);
    }

    private int find(final int src, final int dst, final int identification)
    {
        if (0 == active)
        {
            return -1;
        }
        for (int slot = 0; slot < slots; slot++)
        {
            if (busy[slot] && id[slot] == identification && srcAddress[slot] == src && dstAddress[slot] == dst)
            {
                return slot;
            }
        }
        return -1;
    }

    private int allocate(final int src, final int dst, final int identification)
    {
        if (active == slots)
        {
            return -1;
        }
        for (int slot = 0; slot < slots; slot++)
        {
            if (!busy[slot])
            {
                busy[slot] = true;
                active++;
                srcAddress[slot] = src;
                dstAddress[slot] = dst;
                id[slot] = identification;
                // the timer runs from the first fragment, as Linux's ipfrag_time
                deadlineNs[slot] = nowNs + timeoutNs;
                end[slot] = -1;
                received[slot] = 0;
                fragments[slot] = 0;
                headerLength[slot] = 0;
                linkLength[slot] = 0;
                verifiable[slot] = true;
                return slot;
            }
        }
        return -1;
    }

    private void free(final int slot)
    {
        if (busy[slot])
        {
            busy[slot] = false;
            active--;
        }
    }
}
