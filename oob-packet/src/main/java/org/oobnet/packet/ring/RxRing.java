package org.oobnet.packet.ring;

import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.inband.sys.SockaddrLlDescriptor;
import org.oobnet.inband.sys.Tpacket2HdrDescriptor;
import org.oobnet.packet.bpf.BpfInterpreter;
import org.oobnet.packet.bpf.BpfProgram;
import org.oobnet.packet.capture.CaptureTap;
import org.oobnet.packet.frame.Tpacket2HeaderFlyweight;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.packet.stats.PacketCounters;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The consumer side of a TPACKET_V2 RX ring: takes frames the kernel filled, in ring order, hands each to a
 * {@link PacketFrameHandler} as a zero-copy view and gives it back to the kernel.
 * <p>
 * Frames shorter than an Ethernet header (runts) and frames cut by the slot size ({@code tp_snaplen < tp_len})
 * are counted and given back unread. With a filter set ({@link #verifyFilter}), frames it rejects (those queued
 * before the socket's filter was attached) are counted as filter misses and given back.
 * <p>
 * When the ring is full the kernel drops what arrives and counts it in {@code PACKET_STATISTICS}, which only a
 * system call reads ({@link KernelDropReader}). {@link #takeDropsDue()} tells the ring's poller when that read is
 * worth its system call, so that drops show promptly without a read per cycle: at once when a frame carries
 * {@code TP_STATUS_LOSING} (the kernel stored it while drops were unread: traffic goes on past a loss), and once
 * the poller has drained a ring it saw full (a burst ended: no later frame may come to carry the flag). The ring is
 * seen full when, just before a frame is given back, the slot behind it (the newest) holds a frame too: the kernel
 * drops only when the slot at its head, which is then the frame being read, is not free, so every drop happens
 * while the ring is full, and a full ring stays full until its oldest frame is given back. One residue: a drop
 * while the newest slot's copy was still in flight (another CPU receiving at the same moment), seen before that
 * copy ended, is read only with a later {@code TP_STATUS_LOSING} frame or at close.
 * <p>
 * <b>Note:</b> stage only (but {@link #countUnreadAtClose}, in-band once the stage let go, and
 * {@link #discardWaiting}, in-band before a stage polls it); allocation-free after construction.
 */
public final class RxRing
{
    /** Where the {@code sockaddr_ll} sits in a frame: {@code TPACKET_ALIGN(sizeof(tpacket2_hdr))}. */
    private static final int SLL_OFFSET = Tpacket2HdrDescriptor.TX_DATA_OFFSET;
    private static final int SLL_PROTOCOL_OFFSET = SLL_OFFSET + SockaddrLlDescriptor.PROTOCOL_OFFSET;
    private static final int SLL_IFINDEX_OFFSET = SLL_OFFSET + SockaddrLlDescriptor.IFINDEX_OFFSET;
    private static final int SLL_PKTTYPE_OFFSET = SLL_OFFSET + SockaddrLlDescriptor.PKTTYPE_OFFSET;
    private static final int ETHERNET_HEADER_LENGTH = 14;
    /** {@code sll_pkttype} of a frame unicast to another host's MAC. */
    private static final byte PACKET_OTHERHOST = 3;

    private final MemorySegment ring;
    private final long address;
    private final RingGeometry geometry;
    private final PacketCounters counters;
    private final Tpacket2HeaderFlyweight header = new Tpacket2HeaderFlyweight();
    private final Tpacket2HeaderFlyweight newest = new Tpacket2HeaderFlyweight();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final BpfInterpreter interpreter = new BpfInterpreter();
    private BpfProgram verifyFilter;
    private CaptureTap capture;
    private boolean acceptOtherHost = true;
    private int index;
    private boolean losing;
    // the ring was seen full since the drops were last due; the last poll stopped at a frame the kernel holds
    private boolean overflowSeen;
    private boolean drained;

    /**
     * The consumer of a mapped RX ring.
     *
     * @param ring     the mapped RX ring, {@code geometry.ringBytes()} long.
     * @param geometry the ring's geometry.
     * @param counters where to count.
     */
    public RxRing(final MemorySegment ring, final RingGeometry geometry, final PacketCounters counters)
    {
        if (ring.byteSize() < geometry.ringBytes())
        {
            throw new IllegalArgumentException("ring bytes=" + ring.byteSize() + " smaller than geometry " + geometry);
        }
        this.ring = ring;
        this.address = ring.address();
        this.geometry = geometry;
        this.counters = counters;
    }

    /**
     * Stage: re-check every frame with this filter before handing it on; null stops the re-check.
     *
     * @param program the socket's filter.
     */
    public void verifyFilter(final BpfProgram program)
    {
        this.verifyFilter = program;
    }

    /**
     * In-band, before the stage polls: where delivered frames are copied while a capture of the interface runs.
     *
     * @param tap the socket's tap, or null for none.
     */
    public void capture(final CaptureTap tap)
    {
        this.capture = tap;
    }

    /**
     * Whether frames the kernel marks {@code PACKET_OTHERHOST} (unicast to another MAC: a packet socket sees them
     * on veth and on any interface in promiscuous mode) are handed on; when not, they are counted as filter
     * misses and given back, so the socket sees only frames addressed to its interface.
     *
     * @param accept true to hand them on (a promiscuous socket), false to drop them.
     */
    public void acceptOtherHost(final boolean accept)
    {
        this.acceptOtherHost = accept;
    }

    /**
     * Stage: take up to {@code limit} frames.
     *
     * @param handler takes each frame.
     * @param limit   most frames this call.
     * @return frames taken (delivered or dropped), 0 when the current frame still belongs to the kernel.
     */
    public int poll(final PacketFrameHandler handler, final int limit)
    {
        final MemorySegment ring = this.ring;
        final RingGeometry geometry = this.geometry;
        final Tpacket2HeaderFlyweight header = this.header;
        final int frameCount = geometry.frameCount();
        int index = this.index;
        int taken = 0;
        final CaptureTap capture = this.capture;
        // once per batch: off, this is the whole cost of capture
        final boolean capturing = null != capture && capture.active();
        boolean drained = false;
        while (taken < limit)
        {
            final int frameOffset = geometry.frameOffset(index);
            header.wrap(ring, frameOffset);
            final int status = header.lvStatus();
            if ((status & Tpacket2HeaderFlyweight.TP_STATUS_USER) == 0)
            {
                drained = true;
                break;
            }
            if ((status & Tpacket2HeaderFlyweight.TP_STATUS_LOSING) != 0)
            {
                losing = true;
            }
            handle(handler, header, status, frameOffset, capturing);
            if (!overflowSeen)
            {
                // acquire: the newest slot filled too means the ring is full now (the class comment says why that
                // catches every drop); after the handler, so a ring filling while it ran is seen
                newest.wrap(ring, geometry.frameOffset(0 == index ? frameCount - 1 : index - 1));
                overflowSeen = newest.lvStatus() != Tpacket2HeaderFlyweight.TP_STATUS_KERNEL;
            }
            // release: our reads of the frame are done before the kernel may refill it
            header.soStatus(Tpacket2HeaderFlyweight.TP_STATUS_KERNEL);
            index = index + 1 == frameCount ? 0 : index + 1;
            taken++;
        }
        this.index = index;
        this.drained = drained;
        return taken;
    }

    /**
     * Stage, after {@link #poll}: whether the kernel's RX drops should be read now ({@link KernelDropReader}): a
     * frame since the last call was flagged {@code TP_STATUS_LOSING} (drops are waiting), or the ring was seen full
     * since the last call and the last poll drained it (the burst that filled it ended: drops may be waiting and no
     * later frame may tell). Clears both.
     *
     * @return true when drops should be collected.
     */
    public boolean takeDropsDue()
    {
        if (losing || (overflowSeen && drained))
        {
            losing = false;
            overflowSeen = false;
            return true;
        }
        return false;
    }

    /**
     * In-band, while no stage polls the ring and before one does: gives every frame waiting in it back to the
     * kernel unread, in ring order from {@link #index()} (as {@link #poll} would take them, so the next poll starts
     * where the kernel fills next), counted as {@link PacketCounter#RX_STALE_DISCARDED}. A frame flagged
     * {@code TP_STATUS_LOSING} among them leaves the kernel's drops due for the stage's first poll.
     *
     * @return the frames given back.
     */
    public int discardWaiting()
    {
        final int frameCount = geometry.frameCount();
        int discarded = 0;
        while (discarded < frameCount)
        {
            header.wrap(ring, geometry.frameOffset(index));
            final int status = header.lvStatus();
            if ((status & Tpacket2HeaderFlyweight.TP_STATUS_USER) == 0)
            {
                break;
            }
            if ((status & Tpacket2HeaderFlyweight.TP_STATUS_LOSING) != 0)
            {
                losing = true;
            }
            header.soStatus(Tpacket2HeaderFlyweight.TP_STATUS_KERNEL);
            index = index + 1 == frameCount ? 0 : index + 1;
            discarded++;
        }
        if (discarded > 0)
        {
            counters.add(PacketCounter.RX_STALE_DISCARDED, discarded);
        }
        return discarded;
    }

    /**
     * In-band, once the ring's user let go of it and before it is unmapped: counts the frames the kernel filled
     * and nobody read ({@code TP_STATUS_USER}) as {@link PacketCounter#RX_UNREAD_AT_CLOSE}; they go with the ring.
     * Every slot is looked at, not only those from {@link #index()} on: a slot holds a frame until it is given
     * back, whichever order the kernel filled them in.
     *
     * @return the frames counted.
     */
    public int countUnreadAtClose()
    {
        int unread = 0;
        for (int i = 0, count = geometry.frameCount(); i < count; i++)
        {
            // acquire: pairs with the kernel's release of a filled frame (it may still be filling one now: a frame
            // it hands over after this look is neither read nor counted, as it would be after the unmap)
            if ((header.wrap(ring, geometry.frameOffset(i)).lvStatus() & Tpacket2HeaderFlyweight.TP_STATUS_USER) != 0)
            {
                unread++;
            }
        }
        if (unread > 0)
        {
            counters.add(PacketCounter.RX_UNREAD_AT_CLOSE, unread);
        }
        return unread;
    }

    /**
     * The index of the next frame to read.
     *
     * @return 0 .. frameCount - 1.
     */
    public int index()
    {
        return index;
    }

    /**
     * The ring's geometry.
     *
     * @return the geometry.
     */
    public RingGeometry geometry()
    {
        return geometry;
    }

    private void handle(
        final PacketFrameHandler handler,
        final Tpacket2HeaderFlyweight header,
        final int status,
        final int frameOffset,
        final boolean capturing)
    {
        final int snaplen = header.snaplen();
        final int wireLength = header.len();
        final int mac = header.mac();
        if (snaplen < ETHERNET_HEADER_LENGTH)
        {
            counters.increment(PacketCounter.RUNTS);
            return;
        }
        if (snaplen < wireLength || (long)mac + snaplen > geometry.frameSize())
        {
            counters.increment(PacketCounter.TRUNCATED);
            return;
        }

        if (!acceptOtherHost && PACKET_OTHERHOST == ring.get(ValueLayout.JAVA_BYTE, frameOffset + SLL_PKTTYPE_OFFSET))
        {
            counters.increment(PacketCounter.FILTER_MISSES);
            return;
        }

        final int vlanTci = (status & Tpacket2HeaderFlyweight.TP_STATUS_VLAN_VALID) != 0 ?
            header.vlanTci() : PacketFrameHandler.NO_VLAN;
        final int ifIndex = ring.get(ValueLayout.JAVA_INT, frameOffset + SLL_IFINDEX_OFFSET);
        view.wrap(address + frameOffset + mac, snaplen);

        final BpfProgram filter = verifyFilter;
        if (null != filter)
        {
            final int protocol = networkOrder(ring.get(ValueLayout.JAVA_SHORT, frameOffset + SLL_PROTOCOL_OFFSET));
            final int packetType = ring.get(ValueLayout.JAVA_BYTE, frameOffset + SLL_PKTTYPE_OFFSET) & 0xff;
            interpreter.metadata(protocol, vlanTci != PacketFrameHandler.NO_VLAN,
                vlanTci == PacketFrameHandler.NO_VLAN ? 0 : vlanTci, ifIndex, packetType);
            if (0 == interpreter.run(filter, view, 0, snaplen))
            {
                counters.increment(PacketCounter.FILTER_MISSES);
                return;
            }
        }

        counters.increment(PacketCounter.FRAMES_IN);
        counters.add(PacketCounter.BYTES_IN, snaplen);
        if (capturing)
        {
            // before the handler: it may rewrite the frame in place (oob-udp's record header)
            final int packetType = ring.get(ValueLayout.JAVA_BYTE, frameOffset + SLL_PKTTYPE_OFFSET) & 0xff;
            capture.capture(packetType == CaptureTap.PACKET_OUTGOING, view, 0, snaplen, wireLength,
                header.timestampNs(), ifIndex, packetType);
        }
        handler.onFrame(view, 0, snaplen, wireLength, header.timestampNs(), vlanTci, ifIndex);
    }

    static int networkOrder(final short value)
    {
        return (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Short.reverseBytes(value) : value) & 0xffff;
    }
}
