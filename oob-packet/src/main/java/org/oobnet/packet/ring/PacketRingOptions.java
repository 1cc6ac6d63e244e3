package org.oobnet.packet.ring;

import java.util.ArrayList;
import java.util.List;

import org.oobnet.inband.SocketConstants;
import org.oobnet.packet.PacketConfig;
import org.oobnet.packet.bpf.BpfProgram;
import org.oobnet.packet.stats.PacketCounters;

/**
 * What {@link PacketRingSocket} opens: the interface, the EtherType the socket is bound to, the filter attached
 * before the bind, the ring geometries, the socket options and memberships, where the rings count, and the TX
 * ring's frame limit and errno capture. Setters return {@code this}, as Aeron's {@code Context} does.
 * <p>
 * Defaults: {@code ETH_P_ALL}, no filter, no TX ring, no qdisc bypass, outgoing frames seen, no memberships, the
 * TX frame limit from the interface's MTU plus a 14-byte Ethernet header, fresh counters and errno capture.
 * <p>
 * <b>Note:</b> not thread safe; fill in-band, then open; the opener reads it once.
 */
public final class PacketRingOptions
{
    private String interfaceName;
    private int etherType = SocketConstants.ETH_P_ALL;
    private BpfProgram filter;
    private RingGeometry rxGeometry;
    private RingGeometry txGeometry;
    private boolean qdiscBypass;
    private boolean ignoreOutgoing;
    private boolean promiscuous;
    private long[] multicastMacs = new long[0];
    private int txMaxFrameLength;
    private PacketCounters counters;
    private final List<String> problems = new ArrayList<>();

    /**
     * The interface {@link PacketRingSocket#open} binds to, in the calling thread's network namespace.
     *
     * @param name e.g. {@code veth0}.
     * @return this.
     */
    public PacketRingOptions interfaceName(final String name)
    {
        this.interfaceName = name;
        return this;
    }

    /**
     * The EtherType the socket is bound to ({@code sll_protocol}), host order.
     *
     * @param etherType e.g. {@code ETH_P_ALL} (every frame, before the kernel's IP stack) or {@code 0x88b5}.
     * @return this.
     */
    public PacketRingOptions etherType(final int etherType)
    {
        if (etherType < 0 || etherType > 0xffff)
        {
            problems.add("etherType=" + etherType + " must be between 0 and 0xffff");
        }
        this.etherType = etherType;
        return this;
    }

    /**
     * A classic BPF filter attached before the bind, so that no foreign frame ever reaches the ring.
     *
     * @param program the program, or null for none.
     * @return this.
     */
    public PacketRingOptions filter(final BpfProgram program)
    {
        this.filter = program;
        return this;
    }

    /**
     * The RX ring.
     *
     * @param geometry a validated geometry.
     * @return this.
     */
    public PacketRingOptions rxRing(final RingGeometry geometry)
    {
        this.rxGeometry = geometry;
        return this;
    }

    /**
     * The RX ring from its numbers, checked as the kernel will ({@link RingGeometry#check}).
     *
     * @param frameSize  bytes per frame.
     * @param frameCount frames.
     * @param blockSize  bytes per block.
     * @return this; a broken rule is reported by {@link #validate} as {@code rx ring: frameSize=...}.
     */
    public PacketRingOptions rxRing(final int frameSize, final int frameCount, final int blockSize)
    {
        this.rxGeometry = geometry("rx ring", frameSize, frameCount, blockSize);
        return this;
    }

    /**
     * The TX ring.
     *
     * @param geometry a validated geometry, or null for no TX ring.
     * @return this.
     */
    public PacketRingOptions txRing(final RingGeometry geometry)
    {
        this.txGeometry = geometry;
        return this;
    }

    /**
     * The TX ring from its numbers, checked as the kernel will ({@link RingGeometry#check}).
     *
     * @param frameSize  bytes per frame.
     * @param frameCount frames.
     * @param blockSize  bytes per block.
     * @return this; a broken rule is reported by {@link #validate} as {@code tx ring: frameSize=...}.
     */
    public PacketRingOptions txRing(final int frameSize, final int frameCount, final int blockSize)
    {
        this.txGeometry = geometry("tx ring", frameSize, frameCount, blockSize);
        return this;
    }

    /**
     * {@code PACKET_QDISC_BYPASS}: sends go straight to the device.
     *
     * @param bypass whether to set it.
     * @return this.
     */
    public PacketRingOptions qdiscBypass(final boolean bypass)
    {
        this.qdiscBypass = bypass;
        return this;
    }

    /**
     * {@code PACKET_IGNORE_OUTGOING}: the RX ring does not see this host's own sends.
     *
     * @param ignore whether to set it.
     * @return this.
     */
    public PacketRingOptions ignoreOutgoing(final boolean ignore)
    {
        this.ignoreOutgoing = ignore;
        return this;
    }

    /**
     * {@code PACKET_MR_PROMISC} membership on the interface (the kernel drops it when the socket closes).
     *
     * @param promiscuous whether to join.
     * @return this.
     */
    public PacketRingOptions promiscuous(final boolean promiscuous)
    {
        this.promiscuous = promiscuous;
        return this;
    }

    /**
     * {@code PACKET_MR_MULTICAST} memberships on the interface.
     *
     * @param macs the group MACs, each in the low 48 bits.
     * @return this.
     */
    public PacketRingOptions multicastMacs(final long... macs)
    {
        this.multicastMacs = macs.clone();
        return this;
    }

    /**
     * Longest frame the TX ring accepts, link header included.
     *
     * @param length bytes, or 0 for the interface's MTU plus 14.
     * @return this.
     */
    public PacketRingOptions txMaxFrameLength(final int length)
    {
        if (length < 0)
        {
            problems.add("txMaxFrameLength=" + length + " must not be negative");
        }
        this.txMaxFrameLength = length;
        return this;
    }

    /**
     * Where the rings and the kernel-drop reader count.
     *
     * @param counters the counters, or null for fresh ones.
     * @return this.
     */
    public PacketRingOptions counters(final PacketCounters counters)
    {
        this.counters = counters;
        return this;
    }

    /**
     * Every problem with the values set, all at once; {@link PacketRingSocket} calls it before any system call.
     *
     * @param needInterface whether an interface name is required (opening, not attaching).
     * @throws IllegalArgumentException naming each value and the rule it broke.
     */
    void validate(final boolean needInterface)
    {
        final List<String> all = new ArrayList<>(problems);
        if (needInterface && (null == interfaceName || interfaceName.isBlank()))
        {
            all.add("interfaceName=" + interfaceName + " must name an interface");
        }
        if (null == rxGeometry && problems.stream().noneMatch(p -> p.startsWith("rx ring")))
        {
            all.add("rx ring must be set");
        }
        if (!all.isEmpty())
        {
            throw new IllegalArgumentException("packet ring options" +
                (null == interfaceName ? "" : " for interface=" + interfaceName) + ": " + String.join("; ", all));
        }
    }

    private RingGeometry geometry(final String ring, final int frameSize, final int frameCount, final int blockSize)
    {
        final List<String> broken = RingGeometry.check(frameSize, frameCount, blockSize, PacketConfig.PAGE_SIZE);
        if (!broken.isEmpty())
        {
            for (final String problem : broken)
            {
                problems.add(ring + ": " + problem);
            }
            return null;
        }
        return RingGeometry.of(frameSize, frameCount, blockSize, PacketConfig.PAGE_SIZE);
    }

    String interfaceName()
    {
        return interfaceName;
    }

    int etherType()
    {
        return etherType;
    }

    BpfProgram filter()
    {
        return filter;
    }

    RingGeometry rxGeometry()
    {
        return rxGeometry;
    }

    RingGeometry txGeometry()
    {
        return txGeometry;
    }

    boolean qdiscBypass()
    {
        return qdiscBypass;
    }

    boolean ignoreOutgoing()
    {
        return ignoreOutgoing;
    }

    boolean promiscuous()
    {
        return promiscuous;
    }

    long[] multicastMacs()
    {
        return multicastMacs;
    }

    int txMaxFrameLength()
    {
        return txMaxFrameLength;
    }

    PacketCounters counters()
    {
        return counters;
    }
}
