package org.oobnet.udp;


import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.config.InterfaceConfig;
import org.oobnet.config.ReassemblyConfig;
import org.oobnet.core.OobStage;
import org.oobnet.core.RealtimeNanoClock;
import org.oobnet.core.StageDevice;
import org.oobnet.core.counters.StageHops;
import org.oobnet.inband.Errno;
import org.oobnet.inband.ErrnoException;
import org.oobnet.inband.SocketConstants;
import org.oobnet.inband.sys.ErrnoCapture;
import org.oobnet.inband.sys.Tpacket2HdrDescriptor;
import org.oobnet.packet.bpf.BpfFilterBuilder;
import org.oobnet.packet.bpf.BpfProgram;
import org.oobnet.packet.ring.KernelDropReader;
import org.oobnet.packet.ring.PacketFrameHandler;
import org.oobnet.packet.ring.PacketRingMapping;
import org.oobnet.packet.ring.PacketRingOptions;
import org.oobnet.packet.ring.PacketRingSocket;
import org.oobnet.packet.ring.RxRing;
import org.oobnet.packet.ring.TxCompletionHandler;
import org.oobnet.packet.ring.TxRing;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.packet.stats.PacketCounters;
import org.oobnet.udp.demux.DemuxTable;
import org.oobnet.udp.frag.Ipv4Fragmenter;
import org.oobnet.udp.frag.Ipv4Reassembler;
import org.oobnet.udp.frame.DropReason;
import org.oobnet.udp.frame.IcmpUnreachable;
import org.oobnet.udp.frame.Ipv4Flyweight;
import org.oobnet.udp.frame.UdpDropCounters;
import org.oobnet.udp.frame.UdpFlyweight;
import org.oobnet.udp.frame.UdpFrameParser;

/**
 * One interface enabled for OOB UDP (an EVL "port"): an {@code AF_PACKET} socket bound to it for IPv4 UDP and ICMP
 * (a BPF filter keeps every other frame in the kernel), with a TPACKET_V2 RX ring the stage polls and a TX ring
 * the stage fills. Received frames are validated
 * ({@link UdpFrameParser}), demultiplexed to sockets ({@link DemuxTable}) and delivered in place: the UDP header
 * of the frame is overwritten with the {@link UdpAddressHeader} record header, so the socket gets a zero-copy
 * record. Every dropped frame is counted by reason.
 * <p>
 * A port is a {@link StageDevice}: the stage polls its RX ring and kicks its TX ring once per cycle, however many
 * sockets it serves (its {@link UdpStack} adds it to the stage with the first OOB UDP socket and removes it after
 * the last). A socket's sends go to the port of their route's interface.
 * <p>
 * <b>Note:</b> opened and closed in-band; {@link #poll}, {@link #claimFrame}, {@link #flush} on the stage only.
 * {@link #close} unmaps the rings: call it only once the stage no longer polls the port (every socket served by it
 * was released).
 */
public final class PacketPort
    implements StageDevice, PacketFrameHandler, TxCompletionHandler, AutoCloseable
{
    // what oobnet stat shows of a port (arrays made once: the stage indexes them)
    private static final PacketCounter[] RING_COUNTERS = {
        PacketCounter.FRAMES_IN, PacketCounter.FRAMES_OUT, PacketCounter.TX_KICKS, PacketCounter.TX_RING_FULL,
        PacketCounter.KERNEL_DROPS, PacketCounter.WRONG_FORMAT, PacketCounter.RUNTS, PacketCounter.TRUNCATED,
        PacketCounter.RX_STALE_DISCARDED };
    private static final DropReason[] DROP_REASONS = dropReasons();
    private static final String[] REASSEMBLY_LABELS = { "fragments in", "datagrams reassembled" };
    private static final int PAGE_SIZE = 4096;
    // a TX frame's largest length: the MTU plus the Ethernet header (14) and a VLAN tag's room (4)
    private static final int TX_FRAME_OVERHEAD = 18;
    // IPv4 UDP (its fragments too: each carries protocol 17) and ICMP (port unreachable reaches connected sockets):
    // the rest, the TCP of an order connection on the same interface above all, stays in the kernel instead of
    // taking a ring slot and a parse on the stage only to be dropped as not-udp
    private static final BpfProgram RX_FILTER = BpfFilterBuilder.filter()
        .ipv4Protocols(BpfFilterBuilder.IPPROTO_UDP, BpfFilterBuilder.IPPROTO_ICMP).build();

    private final int ifindex;
    private final String name;
    private final PacketRingSocket rings;
    private final RxRing rx;
    private final TxRing tx;
    private final UdpDropCounters drops = new UdpDropCounters();
    private final KernelDropReader kernelDrops;
    private final UdpFrameParser parser;
    private final IcmpUnreachable icmp = new IcmpUnreachable();
    // null when reassembly is off (udp.reassembly_slots = 0): fragments are dropped and counted
    private final Ipv4Reassembler reassembler;
    // stage only: fragmented sends' scratch and IP identifications (FragmentedSend)
    private final Ipv4Fragmenter fragmenter = new Ipv4Fragmenter();
    private final DemuxTable<UdpSocketState> demux;
    private final UnsafeBuffer copy = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer rxStatusView;
    private final long rxBase;
    private final int frameSize;
    private final int frameCount;
    // the interface's IPv4 addresses and broadcast addresses when the port opened (a subnet broadcast is delivered
    // as a group; a join or IP_MULTICAST_IF names the interface by one of its addresses)
    private final int[] addresses;
    private final int[] broadcasts;
    // stage only: a looped-back group datagram as a record (IP_MULTICAST_LOOP)
    private final UnsafeBuffer loopRecord = new UnsafeBuffer(new byte[UdpAddressHeader.LENGTH +
        UdpSocketState.MAX_UDP_PAYLOAD]);

    // stage only: group delivery of received frames, and of looped-back sends (apart: a receive handler may send)
    private final GroupDelivery received = new GroupDelivery();
    private final GroupDelivery looped = new GroupDelivery();
    private boolean looping;
    // stage only: per TX frame, the socket that asked for its transmit timestamp and the send's id (null: none);
    // the clock of a completion the kernel did not stamp (TxTimestampSource.STAGE)
    private final UdpSocketState[] txOwners;
    private final long[] txSendIds;
    private final RealtimeNanoClock stageClock = new RealtimeNanoClock();
    private int loopLength;
    private volatile int rxPollLimit = UdpStackConfig.DEFAULT_RX_POLL_LIMIT;
    private volatile UdpStack stack;
    // the stage polling this port, set in-band before the port goes on it (published by the add command): an
    // interface has one port per stage that serves a socket on it, each delivering only to its own stage's sockets
    private volatile OobStage stage;
    // the stage's per-hop timestamps (set with the stage, published by the add command); the frame being handled's
    // pickup time (0: recording off)
    private StageHops hops = StageHops.OFF;
    private long pickupNs;

    private PacketPort(
        final String name,
        final PacketRingSocket rings,
        final DemuxTable<UdpSocketState> demux,
        final boolean verifyUdpChecksum,
        final ReassemblyConfig reassembly)
    {
        this.ifindex = rings.link().ifIndex();
        this.reassembler = reassembly.enabled() ? new Ipv4Reassembler(reassembly, drops) : null;
        this.name = name;
        this.rings = rings;
        this.demux = demux;
        this.parser = new UdpFrameParser(verifyUdpChecksum);
        this.rx = rings.rx();
        this.tx = rings.tx();
        this.kernelDrops = rings.kernelDrops();
        final PacketRingMapping mapping = rings.mapping();
        this.rxBase = mapping.rxRing().address();
        this.frameSize = mapping.rxGeometry().frameSize();
        this.frameCount = mapping.rxGeometry().frameCount();
        this.rxStatusView = new UnsafeBuffer(rxBase, (int)mapping.rxRing().byteSize());
        this.txOwners = new UdpSocketState[mapping.txGeometry().frameCount()];
        this.txSendIds = new long[txOwners.length];
        // every frame's completion is reaped (a frame is reused only once reaped), whoever asked for its timestamp
        tx.completions(this);
        final List<InterfaceAddress> assigned = interfaceAddresses(ifindex);
        this.addresses = ipv4(assigned.stream().map(InterfaceAddress::getAddress).toList());
        this.broadcasts = ipv4(assigned.stream().map(InterfaceAddress::getBroadcast).toList());
    }

    /**
     * In-band: opens the port on an interface of the calling thread's network namespace.
     *
     * @param settings   the interface and its ring geometry.
     * @param mtu        the interface's MTU.
     * @param demux      the stack's demultiplexing table.
     * @param verifyUdpChecksum whether received UDP checksums are verified.
     * @param reassembly the limits of IPv4 reassembly (its memory is allocated now).
     * @return the port.
     * @throws ErrnoException naming the step that failed.
     */
    public static PacketPort open(
        final InterfaceConfig settings,
        final int mtu,
        final DemuxTable<UdpSocketState> demux,
        final boolean verifyUdpChecksum,
        final ReassemblyConfig reassembly) throws ErrnoException
    {
        final int frameSize = settings.frameSize();
        // blocks of whole frames: needsChecksum finds a frame's slot by dividing by the frame size
        final int blockSize = Math.max(PAGE_SIZE, frameSize);
        if (blockSize % frameSize != 0)
        {
            throw new IllegalArgumentException("interface=" + settings.name() + " frameSize=" + frameSize +
                " must divide blockSize=" + blockSize + " (contiguous frames)");
        }
        final PacketCounters packetCounters = new PacketCounters();
        // ETH_P_ALL, not ETH_P_IP: a device's ETH_P_ALL taps run before the protocol handlers, so the ring sees a
        // frame before the kernel's IP stack processes it (an ETH_P_IP tap runs after ip_rcv, in the critical
        // path); the filter goes on before the bind, so that no foreign frame reaches the ring
        final PacketRingSocket rings = PacketRingSocket.open(new PacketRingOptions()
            .interfaceName(settings.name())
            .etherType(SocketConstants.ETH_P_ALL)
            .filter(RX_FILTER)
            .rxRing(frameSize, settings.rxRingFrames(), blockSize)
            .txRing(frameSize, settings.txRingFrames(), blockSize)
            .qdiscBypass(settings.qdiscBypass())
            .ignoreOutgoing(true)
            .txMaxFrameLength(mtu + TX_FRAME_OVERHEAD)
            .counters(packetCounters));
        try
        {
            // the ring header carries the NIC's raw hardware RX time when the device stamps frames (enabled with
            // SIOCSHWTSTAMP, e.g. hwstamp_ctl -r 1); else the kernel's software time as before
            // SOFTWARE: a sent frame comes back with the skb's software transmit time when the driver set one
            // (TP_STATUS_TS_SOFTWARE; the RX side always falls back to software, so it is unchanged)
            UdpOobProtocol.setIntOption(ErrnoCapture.current(), rings.fd(), SocketConstants.SOL_PACKET,
                SocketConstants.PACKET_TIMESTAMP,
                SocketConstants.SOF_TIMESTAMPING_RAW_HARDWARE | SocketConstants.SOF_TIMESTAMPING_SOFTWARE);
            return new PacketPort(settings.name(), rings, demux, verifyUdpChecksum, reassembly);
        }
        catch (final RuntimeException ex)
        {
            rings.release();
            rings.close();
            throw ex;
        }
    }

    /**
     * @return the interface index.
     */
    public int ifindex()
    {
        return ifindex;
    }

    /**
     * @return the interface name (the device's name).
     */
    @Override
    public String name()
    {
        return name;
    }

    /**
     * @return the interface's MAC.
     */
    public long mac()
    {
        return rings.link().mac();
    }

    /**
     * @return the interface's MTU when the port opened.
     */
    public int mtu()
    {
        return rings.link().mtu();
    }

    /**
     * @param address an IPv4 address.
     * @return whether the interface had it when the port opened.
     */
    public boolean hasAddress(final int address)
    {
        for (final int assigned : addresses)
        {
            if (assigned == address)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the interface's first IPv4 address when the port opened, 0 when none.
     */
    public int firstAddress()
    {
        return 0 == addresses.length ? 0 : addresses[0];
    }

    /**
     * @param address an IPv4 address.
     * @return whether it is a broadcast address of the interface (when the port opened), or 255.255.255.255.
     */
    public boolean isBroadcast(final int address)
    {
        if (-1 == address)
        {
            return true;
        }
        for (final int broadcast : broadcasts)
        {
            if (broadcast == address)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return receive drops by reason, and accepted datagrams.
     */
    public UdpDropCounters drops()
    {
        return drops;
    }

    /**
     * @return the port's fragmenter (stage only).
     */
    public Ipv4Fragmenter fragmenter()
    {
        return fragmenter;
    }

    /**
     * @return the port's IPv4 reassembler, null when reassembly is off.
     */
    public Ipv4Reassembler reassembler()
    {
        return reassembler;
    }

    /**
     * @return the rings' counters (frames, kicks, ring full...).
     */
    public PacketCounters packetCounters()
    {
        return rings.counters();
    }

    // in-band, by the stack that opened the port, before the port goes on a stage
    void servedBy(final UdpStack stack, final int rxPollLimit)
    {
        this.stack = stack;
        this.rxPollLimit = rxPollLimit;
    }

    // in-band, by the stack, before the port goes on that stage: what the ring took while no stage polled it (since
    // the stack's last socket, or since the port opened) arrived before any socket now served here, so it is given
    // back unread and counted, never delivered late to the socket that brings the port back on the stage
    void servedOn(final OobStage stage)
    {
        this.hops = stage.hops();
        this.stage = stage;
        rx.discardWaiting();
    }

    // stage: true when another port of this interface, on the socket's own stage, delivers to it (this one skips it
    // uncounted); false when the socket is this port's stage's, or no port of its stage serves the interface
    private boolean servedElsewhere(final UdpSocketState socket)
    {
        final OobStage other = socket.socket.stage();
        return other != stage && null != stack.port(ifindex, other);
    }

    /**
     * @return the OOB UDP sockets of the stack this port serves (a wildcard-bound socket is served by every port).
     */
    @Override
    public int attachedSockets()
    {
        final UdpStack stack = this.stack;
        return null == stack ? 0 : stack.liveSockets();
    }

    /**
     * The port's counters in {@code oobnet stat}: its rings' frames, its drops by reason, then reassembly's
     * fragments in and datagrams completed.
     *
     * @return the labels.
     */
    @Override
    public String[] counterLabels()
    {
        final String[] labels = new String[RING_COUNTERS.length + DROP_REASONS.length + REASSEMBLY_LABELS.length];
        for (int i = 0; i < RING_COUNTERS.length; i++)
        {
            labels[i] = RING_COUNTERS[i].label();
        }
        for (int i = 0; i < DROP_REASONS.length; i++)
        {
            labels[RING_COUNTERS.length + i] = "drops " + DROP_REASONS[i].label();
        }
        System.arraycopy(REASSEMBLY_LABELS, 0, labels, RING_COUNTERS.length + DROP_REASONS.length,
            REASSEMBLY_LABELS.length);
        return labels;
    }

    @Override
    public long counterValue(final int index)
    {
        final int reassembly = index - RING_COUNTERS.length - DROP_REASONS.length;
        if (reassembly >= 0)
        {
            return null == reassembler ? 0 :
                0 == reassembly ? reassembler.fragmentsTaken() : reassembler.datagramsReassembled();
        }
        return index < RING_COUNTERS.length ? rings.counters().get(RING_COUNTERS[index]) :
            drops.drops(DROP_REASONS[index - RING_COUNTERS.length]);
    }

    /**
     * Stage, once per cycle: takes up to the stack's {@code rxPollLimit} frames from the RX ring and delivers them;
     * reads the kernel's RX drops when the ring says they are due (a frame flagged {@code TP_STATUS_LOSING}, or the
     * ring drained after it was seen full: {@link RxRing#takeDropsDue()}), so that a burst that overflowed the ring
     * shows its drops once it is drained, with no later frame and no close.
     *
     * @param nowNs the cycle's clock.
     * @return frames taken.
     */
    @Override
    public int poll(final long nowNs)
    {
        if (null != reassembler)
        {
            reassembler.clock(nowNs);
        }
        tx.reapCompletions();
        final int frames = rx.poll(this, rxPollLimit);
        if (null != reassembler)
        {
            // after the poll: a datagram whose last fragments waited in the ring (the stage was off its CPU past
            // the timeout) completes instead of expiring with them in hand
            reassembler.expire(nowNs);
        }
        if (rx.takeDropsDue())
        {
            // one system call per overflow episode, none while the ring keeps up (RxRing's class comment)
            kernelDrops.collect();
        }
        return frames;
    }

    /**
     * Stage: claims a TX frame of {@code length} bytes.
     *
     * @param length the frame's length.
     * @return 0, or a negative errno ({@code -EWOULDBLOCK} when the ring is full, {@code -EMSGSIZE}).
     */
    public int claimFrame(final int length)
    {
        return tx.claim(length);
    }

    /**
     * Stage: the claimed frame's bytes.
     *
     * @return the view.
     */
    public UnsafeBuffer frameBuffer()
    {
        return tx.buffer();
    }

    /**
     * Stage: queues the claimed frame for the next {@link #flush}.
     *
     * @param length its final length.
     * @return the length, or a negative errno.
     */
    public int commitFrame(final int length)
    {
        return tx.commit(length);
    }

    /**
     * Stage, right after a socket's datagram was committed (its last fragment's frame): when the socket has
     * {@link UdpOobProtocol#UDP_OOB_TX_TIMESTAMPS} on, the frame's completion is reported to it with the next send
     * id.
     *
     * @param state the sending socket.
     */
    void trackTxSend(final UdpSocketState state)
    {
        final long sendId = state.nextTxSendId();
        if (sendId >= 0)
        {
            final int frame = tx.lastCommitted();
            txOwners[frame] = state;
            txSendIds[frame] = sendId;
        }
    }

    // stage, at a switch of the socket's TX timestamps or as it leaves the stage (a command, between two cycles'
    // flushes): the frames the kernel gave back are reported now; one still in flight (a kick refused, a NIC's
    // pending completion) is reported without a time, so that no report of the old setting comes after the switch
    // and no handler runs after the socket's close.
    // FIXME: those are reported in frame order, not send order (only after a wrap do the two differ)
    void settleTxSends(final UdpSocketState state)
    {
        tx.reapCompletions();
        final UdpSocketState[] txOwners = this.txOwners;
        for (int i = 0; i < txOwners.length; i++)
        {
            if (txOwners[i] == state)
            {
                txOwners[i] = null;
                state.reportTxTimestamp(txSendIds[i], 0L, TxTimestampSource.NONE);
            }
        }
    }

    // stage: a TX frame the kernel gave back; its timestamp goes to the socket that asked for it
    @Override
    public void onTxComplete(final int frame, final int status, final long timestampNs)
    {
        if (0 != (status & Tpacket2HdrDescriptor.TP_STATUS_TS_SOFTWARE))
        {
            hops.onTxTimestamp(timestampNs);
        }
        final UdpSocketState owner = txOwners[frame];
        if (null == owner)
        {
            return;
        }
        txOwners[frame] = null;
        final long sendId = txSendIds[frame];
        if (0 != (status & Tpacket2HdrDescriptor.TP_STATUS_TS_RAW_HARDWARE))
        {
            owner.reportTxTimestamp(sendId, timestampNs, TxTimestampSource.HARDWARE);
        }
        else if (0 != (status & Tpacket2HdrDescriptor.TP_STATUS_TS_SOFTWARE))
        {
            owner.reportTxTimestamp(sendId, timestampNs, TxTimestampSource.SOFTWARE);
        }
        else if (0 != (status & Tpacket2HdrDescriptor.TP_STATUS_WRONG_FORMAT))
        {
            owner.reportTxTimestamp(sendId, 0L, TxTimestampSource.NONE);
        }
        else
        {
            owner.reportTxTimestamp(sendId, stageClock.nanoTime(), TxTimestampSource.STAGE);
        }
    }

    /**
     * Stage: gives the claimed frame back.
     */
    public void abortFrame()
    {
        tx.abort();
    }

    /**
     * Stage: one kick for every frame committed and not yet sent; a failed kick is retried, backed off.
     *
     * @param nowNs the stage's clock.
     * @return frames kicked, or a negative errno.
     */
    @Override
    public int flush(final long nowNs)
    {
        return tx.flush(nowNs, hops);
    }

    @Override
    public void onFrame(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int wireLength,
        final long timestampNs,
        final int vlanTci,
        final int ifIndex)
    {
        // the pickup boundary: the frame is off the ring, nothing of it parsed yet
        pickupNs = hops.pickupNs();
        final MutableDirectBuffer frame;
        if (buffer instanceof MutableDirectBuffer mutable)
        {
            frame = mutable;
        }
        else
        {
            // FIXME: oob-packet hands a writable UnsafeBuffer today; a read-only view would cost this copy
            if (copy.capacity() < length)
            {
                copy.wrap(new byte[Math.max(length, 2048)]);
            }
            copy.putBytes(0, buffer, offset, length);
            deliverFrame(copy, 0, length, true, timestampNs, timestampSource(timestampNs, -1L));
            return;
        }
        final long status = ringStatus(frame, offset);
        // CSUM_VALID is not trusted: veth marks every frame of a local sender "unnecessary", corrupt ones included
        final boolean verifyChecksum = status < 0 || 0 == (status & Tpacket2HdrDescriptor.TP_STATUS_CSUMNOTREADY);
        deliverFrame(frame, offset, length, verifyChecksum, timestampNs, timestampSource(timestampNs, status));
    }

    /**
     * Stage, {@code IP_MULTICAST_LOOP}, step one: copies a group datagram this host sends by this port, as a record
     * from {@code srcAddress:srcPort}, for {@link #loopbackDeliver} (call it before the payload's frame is
     * committed or reused).
     *
     * @param srcAddress    the sender's address.
     * @param srcPort       the sender's port.
     * @param payload       the payload's buffer.
     * @param payloadOffset where the payload starts.
     * @param payloadLength its length.
     */
    public void loopbackCopy(
        final int srcAddress, final int srcPort, final DirectBuffer payload, final int payloadOffset,
        final int payloadLength)
    {
        final UnsafeBuffer record = loopRecord;
        UdpAddressHeader.write(record, 0, srcAddress, srcPort);
        record.putBytes(UdpAddressHeader.LENGTH, payload, payloadOffset, payloadLength);
        loopLength = UdpAddressHeader.LENGTH + payloadLength;
    }

    /**
     * Stage, {@code IP_MULTICAST_LOOP}, step two: hands the copy to the local OOB members that joined the group on
     * this interface (the sender too when it joined), as the kernel loops its own group sends back. Not counted as
     * received by the port; each member counts it. No receive timestamp ({@link RxTimestampSource#NONE}): it never
     * came in. A send from a handler of a looped-back datagram is not looped back again (no recursion on the
     * stage).
     *
     * @param group   the destination group.
     * @param dstPort the destination port.
     * @return the members it was delivered to.
     */
    public int loopbackDeliver(final int group, final int dstPort)
    {
        if (looping)
        {
            return 0;
        }
        looping = true;
        try
        {
            looped.deliver(loopRecord, 0, loopLength, group, dstPort, UdpAddressHeader.address(loopRecord, 0), group,
                0L, RxTimestampSource.NONE);
            return looped.delivered;
        }
        finally
        {
            looping = false;
        }
    }

    /**
     * In-band, after the stage let go of every socket served here: counts the frames the kernel never sent, the RX
     * drops since the stage's last read and the RX frames nobody read ({@link PacketRingSocket#close}), unmaps the
     * rings and closes the socket.
     */
    @Override
    public void close()
    {
        // the stage no longer touches the rings: a last kick, then what is still refused is counted, not lost, and
        // so are the RX drops since the stage's last read and the frames left in the RX ring (counted at the unmap)
        tx.flushAtClose();
        kernelDrops.collect();
        rings.release();
        rings.close();
    }

    @Override
    public String toString()
    {
        return "PacketPort{interface=" + name + " ifindex=" + ifindex + " " + drops + " " + rings.counters() + "}";
    }

    // The ring hands out the frame's bytes only; its tp_status tells whether the checksum is ready (not ready: a
    // local sender's checksum offload left the field partial; the bytes never left this host's memory) and which
    // clock tp_sec/tp_nsec came from. Frames are contiguous frameSize slots (block size a multiple of the frame
    // size), so the slot start is the view's address rounded down to a slot boundary, and tp_status is the slot's
    // first int (already acquired by the ring). -1 when the view is not a slot of this ring.
    private long ringStatus(final MutableDirectBuffer frame, final int offset)
    {
        final long frameAddress = frame.addressOffset() + offset;
        final long slot = (frameAddress - rxBase) / frameSize;
        if (frameAddress < rxBase || slot >= frameCount)
        {
            return -1L;
        }
        return rxStatusView.getInt((int)(slot * frameSize)) & 0xFFFF_FFFFL;
    }

    // tp_sec/tp_nsec is always set: the skb's timestamp when a socket asked for RX timestamps (TS_SOFTWARE, or
    // TS_RAW_HARDWARE with PACKET_TIMESTAMP and a NIC that has it on), else the time the tap ran
    private static RxTimestampSource timestampSource(final long timestampNs, final long status)
    {
        if (0 == timestampNs)
        {
            return RxTimestampSource.NONE;
        }
        return status >= 0 && 0 != (status & (Tpacket2HdrDescriptor.TP_STATUS_TS_RAW_HARDWARE & 0xFFFF_FFFFL)) ?
            RxTimestampSource.HARDWARE : RxTimestampSource.SOFTWARE;
    }

    private void deliverFrame(
        final MutableDirectBuffer frame,
        final int offset,
        final int length,
        final boolean verifyChecksum,
        final long timestampNs,
        final RxTimestampSource timestampSource)
    {
        final UdpFrameParser parser = this.parser;
        final DropReason reason = parser.parse(frame, offset, length, verifyChecksum);
        if (DropReason.FRAGMENT == reason && null != reassembler && Ipv4Flyweight.PROTOCOL_UDP == parser.ipProtocol())
        {
            reassemble(frame, offset, verifyChecksum, timestampNs, timestampSource);
            return;
        }
        if (DropReason.NONE != reason)
        {
            // counted before it is reported: whoever sees the ERROR event must find the frame in the counters
            // (IcmpUnreachableTest read the drop counter between the two, once in a fresh-clone run)
            drops.onDrop(reason);
            if (DropReason.NOT_UDP == reason && IcmpUnreachable.PROTOCOL_ICMP == parser.ipProtocol())
            {
                reportUnreachable(frame, parser.ipPayloadOffset(), parser.ipPayloadLength());
            }
            return;
        }
        final int dstAddress = parser.dstAddress();
        final int dstPort = parser.dstPort();
        final int recordOffset = parser.payloadOffset() - UdpFlyweight.HEADER_LENGTH;
        final int recordLength = UdpAddressHeader.LENGTH + parser.payloadLength();
        // in place: the UDP header becomes the record header (the frame is ours until we return)
        UdpAddressHeader.write(frame, recordOffset, parser.srcAddress(), parser.srcPort());

        final boolean multicast = Ipv4Flyweight.isMulticast(dstAddress);
        if (multicast || isBroadcast(dstAddress))
        {
            final GroupDelivery delivery = received;
            final int pending = tx.pending();
            final int members = delivery.deliver(frame, recordOffset, recordLength, dstAddress, dstPort,
                parser.srcAddress(), multicast ? dstAddress : 0, timestampNs, timestampSource);
            if (delivery.delivered > 0)
            {
                hops.onDelivered(hopTimestamp(timestampNs, timestampSource), pickupNs, tx.pending() != pending);
            }
            countDelivery(0 == members ? DropReason.UNKNOWN_PORT : 0 == delivery.accepted ? DropReason.NOT_JOINED :
                0 == delivery.delivered ? delivery.lastDrop : DropReason.NONE, recordLength);
            return;
        }
        final UdpSocketState target = demux.lookup(dstAddress, dstPort, parser.srcAddress(), parser.srcPort());
        if (null == target)
        {
            drops.onDrop(DropReason.UNKNOWN_PORT);
            return;
        }
        if (servedElsewhere(target))
        {
            return;
        }
        final int pending = tx.pending();
        final DropReason drop = deliveryDrop(target.deliverCopy(frame, recordOffset, recordLength, timestampNs,
            timestampSource));
        if (DropReason.NONE == drop)
        {
            // only here, where a socket got it: a port skipping a frame another port delivers records nothing
            hops.onDelivered(hopTimestamp(timestampNs, timestampSource), pickupNs, tx.pending() != pending);
        }
        countDelivery(drop, recordLength);
    }

    // the kernel RX boundary: a software stamp is CLOCK_REALTIME; a NIC's raw hardware clock is not comparable
    private static long hopTimestamp(final long timestampNs, final RxTimestampSource source)
    {
        return RxTimestampSource.SOFTWARE == source ? timestampNs : 0L;
    }

    // a completed datagram goes the normal way, with the RX timestamp of the fragment that completed it (the last to
    // arrive, as Linux stamps a reassembled skb); its slot is free again once delivered
    private void reassemble(
        final MutableDirectBuffer frame,
        final int offset,
        final boolean verifyChecksum,
        final long timestampNs,
        final RxTimestampSource timestampSource)
    {
        final Ipv4Reassembler reassembler = this.reassembler;
        final int slot = reassembler.onFragment(frame, offset, parser, verifyChecksum);
        if (Ipv4Reassembler.NOT_COMPLETE != slot)
        {
            try
            {
                deliverFrame(reassembler.buffer(), reassembler.frameOffset(slot), reassembler.frameLength(slot),
                    reassembler.verifiable(slot), timestampNs, timestampSource);
            }
            finally
            {
                reassembler.release(slot);
            }
        }
    }

    // ICMP destination unreachable about a datagram of a connected socket: its next send fails with the errno, and
    // its event handler gets ERROR now (the kernel socket, connected too, gets the same ICMP in-band)
    private void reportUnreachable(final MutableDirectBuffer frame, final int offset, final int length)
    {
        final IcmpUnreachable icmp = this.icmp;
        final int errno = icmp.read(frame, offset, length);
        if (0 == errno)
        {
            return;
        }
        final UdpSocketState socket = demux.lookup(icmp.srcAddress(), icmp.srcPort(), icmp.dstAddress(), icmp.dstPort());
        if (null != socket && !servedElsewhere(socket) && socket.peerAddress == icmp.dstAddress() && socket.peerPort == icmp.dstPort())
        {
            socket.onAsyncError(errno);
        }
    }

    // a delivery's result as a drop reason: EXDEV (another stage's socket) and EWOULDBLOCK (between stages) are not
    // a full receive path
    private static DropReason deliveryDrop(final int rc)
    {
        if (rc >= 0)
        {
            return DropReason.NONE;
        }
        return -Errno.EXDEV == rc || -Errno.EWOULDBLOCK == rc ? DropReason.NOT_ON_STAGE : DropReason.RECEIVE_FULL;
    }

    private void countDelivery(final DropReason reason, final int recordLength)
    {
        if (DropReason.NONE == reason)
        {
            drops.onAccept(recordLength - UdpAddressHeader.LENGTH);
        }
        else
        {
            drops.onDrop(reason);
        }
    }

    private static DropReason[] dropReasons()
    {
        final DropReason[] all = DropReason.values();
        final DropReason[] reasons = new DropReason[all.length - 1];
        int n = 0;
        for (final DropReason reason : all)
        {
            if (DropReason.NONE != reason)
            {
                reasons[n++] = reason;
            }
        }
        return reasons;
    }

    // in-band, in the port's namespace (the stack opens its ports there)
    private static List<InterfaceAddress> interfaceAddresses(final int ifindex)
    {
        try
        {
            final NetworkInterface nif = NetworkInterface.getByIndex(ifindex);
            return null == nif ? List.of() : nif.getInterfaceAddresses();
        }
        catch (final SocketException ex)
        {
            return List.of();
        }
    }

    private static int[] ipv4(final List<InetAddress> addresses)
    {
        return addresses.stream()
            .filter(address -> address instanceof Inet4Address)
            .mapToInt(UdpOobProtocol::toInt)
            .distinct()
            .toArray();
    }

    // Stage: a datagram to every member of the (address, port) binding and of the wildcard one; for a multicast
    // group only to the members whose filter allows its source on this interface
    private final class GroupDelivery implements DemuxTable.MemberVisitor<UdpSocketState>
    {
        private MutableDirectBuffer buffer;
        private int offset;
        private int length;
        // 0 for broadcast: every member takes it
        private int group;
        private int source;
        private long timestampNs;
        private RxTimestampSource timestampSource = RxTimestampSource.NONE;
        int accepted;
        int delivered;
        // why the last refused member refused (counted when no member took the datagram)
        DropReason lastDrop = DropReason.RECEIVE_FULL;

        int deliver(
            final MutableDirectBuffer buffer,
            final int offset,
            final int length,
            final int dstAddress,
            final int dstPort,
            final int srcAddress,
            final int group,
            final long timestampNs,
            final RxTimestampSource timestampSource)
        {
            this.buffer = buffer;
            this.offset = offset;
            this.length = length;
            this.group = group;
            this.source = srcAddress;
            this.timestampNs = timestampNs;
            this.timestampSource = timestampSource;
            accepted = 0;
            delivered = 0;
            lastDrop = DropReason.RECEIVE_FULL;
            final int members = demux.forEachMember(dstAddress, dstPort, this);
            this.buffer = null;
            return members;
        }

        @Override
        public void visit(final UdpSocketState member)
        {
            if (servedElsewhere(member) || (0 != group && !member.groups.accepts(group, source, ifindex)))
            {
                return;
            }
            accepted++;
            final DropReason drop = deliveryDrop(member.deliverCopy(buffer, offset, length, timestampNs, timestampSource));
            if (DropReason.NONE == drop)
            {
                delivered++;
            }
            else
            {
                lastDrop = drop;
            }
        }
    }
}
