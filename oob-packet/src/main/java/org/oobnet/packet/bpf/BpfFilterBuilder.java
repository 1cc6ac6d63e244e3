package org.oobnet.packet.bpf;

import java.util.Arrays;

import static org.oobnet.packet.bpf.BpfOpcodes.*;

/**
 * Builds the classic-BPF socket filter that lets a packet socket see only its own traffic: every condition set
 * must hold (a conjunction), a frame that fails any is rejected in the kernel and never reaches the ring.
 * <p>
 * The program finds the EtherType behind an optional 802.1Q tag written in the frame, and also matches a VLAN
 * the device stripped into the skb (veth and most NICs do, {@code SKF_AD_VLAN_TAG}), so one filter serves both.
 * IPv4 conditions skip fragments after the first for the UDP port match (they carry no UDP header) and use the
 * real IPv4 header length (options included); the IPv4 protocol match keeps every fragment, since each carries
 * its datagram's protocol.
 * <pre>
 *   ldx #12              X = offset of the EtherType
 *   ldh [12]
 *   jeq #0x8100, TAGGED, UNTAGGED
 * TAGGED:   [ldh [14]; and #0xfff; jeq #vid]; ldx #16; ja L3
 * UNTAGGED: [ld vlan_avail; jeq #0 → reject; ld vlan_tci; and #0xfff; jeq #vid]
 * L3:       ldh [x+0]; jeq #etherType ...  then IPv4 destination, IPv4 protocols, UDP destination port
 *           ret #262144 (accept) | ret #0 (reject)
 * </pre>
 * <b>Note:</b> not thread safe; the built {@link BpfProgram} is immutable.
 */
public final class BpfFilterBuilder
{
    /** {@code ETH_P_IP}. */
    public static final int ETH_P_IP = 0x0800;
    /** {@code ETH_P_8021Q}. */
    public static final int ETH_P_8021Q = 0x8100;
    /** Bytes kept of an accepted frame: as tcpdump, more than any frame on these links. */
    public static final int ACCEPT_SNAP_BYTES = 262_144;

    /** {@code IPPROTO_ICMP}. */
    public static final int IPPROTO_ICMP = 1;
    /** {@code IPPROTO_UDP}. */
    public static final int IPPROTO_UDP = 17;

    private static final int NO_VLAN = -1;

    private int etherType = -1;
    private int vlanId = NO_VLAN;
    private boolean hasIpv4Destination;
    private int ipv4Destination;
    private int udpDestinationPort = -1;
    private boolean multicastMac;
    // null: any protocol
    private int[] ipv4Protocols;

    /**
     * A builder with no condition: its program accepts every frame.
     *
     * @return a new builder.
     */
    public static BpfFilterBuilder filter()
    {
        return new BpfFilterBuilder();
    }

    /**
     * The program that rejects every frame.
     *
     * @return {@link BpfProgram#ACCEPT_NOTHING}.
     */
    public static BpfProgram acceptNothing()
    {
        return BpfProgram.ACCEPT_NOTHING;
    }

    /**
     * Match the EtherType behind any VLAN tag.
     *
     * @param etherType 0x0600..0xffff.
     * @return this.
     */
    public BpfFilterBuilder etherType(final int etherType)
    {
        if (etherType < 0x0600 || etherType > 0xffff)
        {
            throw new IllegalArgumentException("etherType=0x" + Integer.toHexString(etherType) +
                " must be in 0x0600..0xffff");
        }
        this.etherType = etherType;
        return this;
    }

    /**
     * Match frames of one VLAN, whether the tag is in the frame or was stripped by the device.
     *
     * @param vlanId 0..4095.
     * @return this.
     */
    public BpfFilterBuilder vlan(final int vlanId)
    {
        if (vlanId < 0 || vlanId > 4095)
        {
            throw new IllegalArgumentException("vlanId=" + vlanId + " must be in 0..4095");
        }
        this.vlanId = vlanId;
        return this;
    }

    /**
     * Match IPv4 packets to one destination address (implies EtherType IPv4).
     *
     * @param address the address, host order int ({@code 10.251.0.1} is {@code 0x0afb0001}).
     * @return this.
     */
    public BpfFilterBuilder ipv4Destination(final int address)
    {
        this.hasIpv4Destination = true;
        this.ipv4Destination = address;
        return this;
    }

    /**
     * Match UDP datagrams to one destination port (implies EtherType IPv4).
     *
     * @param port 0..65535.
     * @return this.
     */
    public BpfFilterBuilder udpDestinationPort(final int port)
    {
        if (port < 0 || port > 0xffff)
        {
            throw new IllegalArgumentException("udpDestinationPort=" + port + " must be in 0..65535");
        }
        this.udpDestinationPort = port;
        return this;
    }

    /**
     * Match IPv4 packets whose protocol is one of {@code protocols} (implies EtherType IPv4). Every fragment of a
     * datagram carries its protocol, so fragments after the first pass too.
     *
     * @param protocols one or more IPv4 protocol numbers, each 0..255 (e.g. {@link #IPPROTO_UDP},
     *                  {@link #IPPROTO_ICMP}).
     * @return this.
     */
    public BpfFilterBuilder ipv4Protocols(final int... protocols)
    {
        if (0 == protocols.length)
        {
            throw new IllegalArgumentException("ipv4Protocols must name at least one protocol");
        }
        for (final int protocol : protocols)
        {
            if (protocol < 0 || protocol > 0xff)
            {
                throw new IllegalArgumentException("ipv4Protocols=" + Arrays.toString(protocols) +
                    " has protocol=" + protocol + ", must be in 0..255");
            }
        }
        this.ipv4Protocols = protocols.clone();
        return this;
    }

    /**
     * Match IPv4 multicast to one group: the IPv4 destination and the Ethernet destination MAC the group maps to
     * ({@code 01:00:5e} and the group's low 23 bits).
     *
     * @param group a 224.0.0.0/4 address, host order int.
     * @return this.
     */
    public BpfFilterBuilder multicastGroup(final int group)
    {
        if ((group >>> 28) != 0xe)
        {
            throw new IllegalArgumentException("multicastGroup=" + ipv4ToString(group) + " must be in 224.0.0.0/4");
        }
        ipv4Destination(group);
        this.multicastMac = true;
        return this;
    }

    /**
     * The program for the conditions set so far.
     *
     * @return a validated program.
     * @throws IllegalStateException when the conditions contradict each other.
     */
    public BpfProgram build()
    {
        final boolean ipv4 = hasIpv4Destination || udpDestinationPort >= 0 || null != ipv4Protocols;
        if (ipv4 && etherType >= 0 && etherType != ETH_P_IP)
        {
            throw new IllegalStateException("etherType=0x" + Integer.toHexString(etherType) +
                " conflicts with IPv4 conditions, which need etherType=0x0800");
        }
        if (udpDestinationPort >= 0 && null != ipv4Protocols && !onlyUdp(ipv4Protocols))
        {
            throw new IllegalStateException("ipv4Protocols=" + Arrays.toString(ipv4Protocols) +
                " conflicts with udpDestinationPort=" + udpDestinationPort + ", which matches protocol=17 only");
        }
        final int matchEtherType = ipv4 ? ETH_P_IP : etherType;

        final BpfAssembler asm = new BpfAssembler();
        asm.stmt(BPF_LDX | BPF_W | BPF_IMM, 12)
            .stmt(BPF_LD | BPF_H | BPF_ABS, 12)
            .jump(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_8021Q, null, "untagged")
            .label("tagged");
        if (vlanId != NO_VLAN)
        {
            asm.stmt(BPF_LD | BPF_H | BPF_ABS, 14)
                .stmt(BPF_ALU | BPF_AND | BPF_K, 0x0fff)
                .jump(BPF_JMP | BPF_JEQ | BPF_K, vlanId, null, "reject");
        }
        asm.stmt(BPF_LDX | BPF_W | BPF_IMM, 16)
            .jumpAlways("l3")
            .label("untagged");
        if (vlanId != NO_VLAN)
        {
            asm.stmt(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT)
                .jump(BPF_JMP | BPF_JEQ | BPF_K, 0, "reject", null)
                .stmt(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_VLAN_TAG)
                .stmt(BPF_ALU | BPF_AND | BPF_K, 0x0fff)
                .jump(BPF_JMP | BPF_JEQ | BPF_K, vlanId, null, "reject");
        }
        asm.label("l3");
        if (matchEtherType >= 0)
        {
            asm.stmt(BPF_LD | BPF_H | BPF_IND, 0)
                .jump(BPF_JMP | BPF_JEQ | BPF_K, matchEtherType, null, "reject");
        }
        if (multicastMac)
        {
            // 01:00:5e then the group's low 23 bits: the first four bytes, then the last two.
            asm.stmt(BPF_LD | BPF_W | BPF_ABS, 0)
                .jump(BPF_JMP | BPF_JEQ | BPF_K, 0x01005e00 | ((ipv4Destination >>> 16) & 0x7f), null, "reject")
                .stmt(BPF_LD | BPF_H | BPF_ABS, 4)
                .jump(BPF_JMP | BPF_JEQ | BPF_K, ipv4Destination & 0xffff, null, "reject");
        }
        if (hasIpv4Destination)
        {
            // IPv4 header starts 2 bytes after the EtherType; the destination is 16 bytes into it.
            asm.stmt(BPF_LD | BPF_W | BPF_IND, 2 + 16)
                .jump(BPF_JMP | BPF_JEQ | BPF_K, ipv4Destination, null, "reject");
        }
        if (null != ipv4Protocols)
        {
            // any equal protocol goes on; the last comparison's miss rejects
            asm.stmt(BPF_LD | BPF_B | BPF_IND, 2 + 9);
            for (int i = 0; i < ipv4Protocols.length; i++)
            {
                asm.jump(BPF_JMP | BPF_JEQ | BPF_K, ipv4Protocols[i], "protocol-matched",
                    i == ipv4Protocols.length - 1 ? "reject" : null);
            }
            asm.label("protocol-matched");
        }
        if (udpDestinationPort >= 0)
        {
            asm.stmt(BPF_LD | BPF_B | BPF_IND, 2 + 9)
                .jump(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, null, "reject")
                .stmt(BPF_LD | BPF_H | BPF_IND, 2 + 6)
                .jump(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, "reject", null)
                // X = EtherType offset + IPv4 header length, so the UDP header starts at X + 2.
                .stmt(BPF_LD | BPF_B | BPF_IND, 2)
                .stmt(BPF_ALU | BPF_AND | BPF_K, 0x0f)
                .stmt(BPF_ALU | BPF_LSH | BPF_K, 2)
                .stmt(BPF_ALU | BPF_ADD | BPF_X, 0)
                .stmt(BPF_MISC | BPF_TAX, 0)
                .stmt(BPF_LD | BPF_H | BPF_IND, 2 + 2)
                .jump(BPF_JMP | BPF_JEQ | BPF_K, udpDestinationPort, null, "reject");
        }
        asm.stmt(BPF_RET | BPF_K, ACCEPT_SNAP_BYTES)
            .label("reject")
            .stmt(BPF_RET | BPF_K, 0);
        return asm.assemble();
    }

    private static boolean onlyUdp(final int[] protocols)
    {
        for (final int protocol : protocols)
        {
            if (IPPROTO_UDP != protocol)
            {
                return false;
            }
        }
        return true;
    }

    static String ipv4ToString(final int address)
    {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." +
            (address & 0xff);
    }
}
