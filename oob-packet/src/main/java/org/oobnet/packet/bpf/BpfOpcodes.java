package org.oobnet.packet.bpf;

/**
 * Classic BPF opcode parts and the kernel's ancillary load offsets, as {@code linux/bpf_common.h} and
 * {@code linux/filter.h} define them. An opcode is the OR of a class, a size, a mode or operation, and a source.
 * <p>
 * <b>Note:</b> constants only.
 */
public final class BpfOpcodes
{
    /** Instruction class: load into A. */
    public static final int BPF_LD = 0x00;
    /** Instruction class: load into X. */
    public static final int BPF_LDX = 0x01;
    /** Instruction class: store A into scratch memory. */
    public static final int BPF_ST = 0x02;
    /** Instruction class: store X into scratch memory. */
    public static final int BPF_STX = 0x03;
    /** Instruction class: arithmetic on A. */
    public static final int BPF_ALU = 0x04;
    /** Instruction class: jumps (forward only). */
    public static final int BPF_JMP = 0x05;
    /** Instruction class: return the number of bytes to keep (0 rejects). */
    public static final int BPF_RET = 0x06;
    /** Instruction class: register transfers. */
    public static final int BPF_MISC = 0x07;

    /** Load size: 32-bit word. */
    public static final int BPF_W = 0x00;
    /** Load size: 16-bit half word. */
    public static final int BPF_H = 0x08;
    /** Load size: byte. */
    public static final int BPF_B = 0x10;

    /** Load mode: immediate k. */
    public static final int BPF_IMM = 0x00;
    /** Load mode: packet bytes at k. */
    public static final int BPF_ABS = 0x20;
    /** Load mode: packet bytes at X + k. */
    public static final int BPF_IND = 0x40;
    /** Load mode: scratch memory slot k. */
    public static final int BPF_MEM = 0x60;
    /** Load mode: packet length. */
    public static final int BPF_LEN = 0x80;
    /** Load mode (LDX only): X = 4 * (packet[k] &amp; 0xf), the IPv4 header length idiom. */
    public static final int BPF_MSH = 0xa0;

    /** ALU operation. */
    public static final int BPF_ADD = 0x00;
    /** ALU operation. */
    public static final int BPF_SUB = 0x10;
    /** ALU operation. */
    public static final int BPF_MUL = 0x20;
    /** ALU operation. */
    public static final int BPF_DIV = 0x30;
    /** ALU operation. */
    public static final int BPF_OR = 0x40;
    /** ALU operation. */
    public static final int BPF_AND = 0x50;
    /** ALU operation. */
    public static final int BPF_LSH = 0x60;
    /** ALU operation. */
    public static final int BPF_RSH = 0x70;
    /** ALU operation. */
    public static final int BPF_NEG = 0x80;
    /** ALU operation. */
    public static final int BPF_MOD = 0x90;
    /** ALU operation. */
    public static final int BPF_XOR = 0xa0;

    /** Jump: always, by k. */
    public static final int BPF_JA = 0x00;
    /** Jump: A == operand. */
    public static final int BPF_JEQ = 0x10;
    /** Jump: A &gt; operand (unsigned). */
    public static final int BPF_JGT = 0x20;
    /** Jump: A &gt;= operand (unsigned). */
    public static final int BPF_JGE = 0x30;
    /** Jump: (A &amp; operand) != 0. */
    public static final int BPF_JSET = 0x40;

    /** Operand source: the constant k. */
    public static final int BPF_K = 0x00;
    /** Operand source: register X. */
    public static final int BPF_X = 0x08;
    /** Return source: register A. */
    public static final int BPF_A = 0x10;

    /** Misc: X = A. */
    public static final int BPF_TAX = 0x00;
    /** Misc: A = X. */
    public static final int BPF_TXA = 0x80;

    /** Scratch memory slots. */
    public static final int BPF_MEMWORDS = 16;
    /** Longest program the kernel accepts ({@code BPF_MAXINSNS}). */
    public static final int BPF_MAXINSNS = 4096;

    /** Base of the ancillary loads ({@code SKF_AD_OFF}): absolute offsets from here read skb metadata. */
    public static final int SKF_AD_OFF = -0x1000;
    /** Ancillary: {@code skb->protocol} (network byte order EtherType). */
    public static final int SKF_AD_PROTOCOL = 0;
    /** Ancillary: packet type (host, broadcast, multicast, other host, outgoing). */
    public static final int SKF_AD_PKTTYPE = 4;
    /** Ancillary: receiving interface index. */
    public static final int SKF_AD_IFINDEX = 8;
    /** Ancillary: the VLAN TCI the device stripped from the frame (hardware/veth VLAN offload). */
    public static final int SKF_AD_VLAN_TAG = 44;
    /** Ancillary: 1 when the device stripped a VLAN tag, else 0. */
    public static final int SKF_AD_VLAN_TAG_PRESENT = 48;

    private BpfOpcodes()
    {
    }

    /**
     * The class of an opcode.
     *
     * @param code the opcode.
     * @return {@code code & 0x07}.
     */
    public static int bpfClass(final int code)
    {
        return code & 0x07;
    }

    /**
     * The size of a load opcode.
     *
     * @param code the opcode.
     * @return {@code code & 0x18}.
     */
    public static int bpfSize(final int code)
    {
        return code & 0x18;
    }

    /**
     * The mode of a load opcode.
     *
     * @param code the opcode.
     * @return {@code code & 0xe0}.
     */
    public static int bpfMode(final int code)
    {
        return code & 0xe0;
    }

    /**
     * The operation of an ALU or jump opcode.
     *
     * @param code the opcode.
     * @return {@code code & 0xf0}.
     */
    public static int bpfOp(final int code)
    {
        return code & 0xf0;
    }

    /**
     * The operand source of an ALU or jump opcode.
     *
     * @param code the opcode.
     * @return {@code code & 0x08}.
     */
    public static int bpfSrc(final int code)
    {
        return code & 0x08;
    }

    /**
     * The return value source of a RET opcode.
     *
     * @param code the opcode.
     * @return {@code code & 0x18}.
     */
    public static int bpfRval(final int code)
    {
        return code & 0x18;
    }

    /**
     * The register transfer of a MISC opcode.
     *
     * @param code the opcode.
     * @return {@code code & 0xf8}.
     */
    public static int bpfMiscOp(final int code)
    {
        return code & 0xf8;
    }
}
