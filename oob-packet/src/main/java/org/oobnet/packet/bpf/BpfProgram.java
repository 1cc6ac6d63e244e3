package org.oobnet.packet.bpf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.oobnet.packet.bpf.BpfOpcodes.*;

/**
 * An immutable, validated classic-BPF program: the {@code sock_filter} instructions a socket filter is made of.
 * <p>
 * Each instruction is kept as the four fields of {@code struct sock_filter}: a 16-bit opcode, two 8-bit forward
 * jump offsets ({@code jt}, {@code jf}) and a 32-bit constant {@code k}. Construction checks the rules the
 * kernel's {@code bpf_check_classic} applies, so a program that is built is one {@code SO_ATTACH_FILTER} accepts;
 * every problem found is reported together, each naming its instruction index.
 * <p>
 * <b>Note:</b> immutable, safe to share between threads.
 */
public final class BpfProgram
{
    /** A program that rejects every frame ({@code ret #0}): keeps a socket's receive queue empty. */
    public static final BpfProgram ACCEPT_NOTHING = new BpfProgram(new long[]{ encode(BPF_RET | BPF_K, 0, 0, 0) });

    private final long[] instructions;

    private BpfProgram(final long[] instructions)
    {
        this.instructions = instructions;
    }

    /**
     * Encode one instruction into the {@code long} form this class keeps.
     *
     * @param code opcode, 0..0xffff.
     * @param jt   jump offset when true, 0..255.
     * @param jf   jump offset when false, 0..255.
     * @param k    the constant.
     * @return the packed instruction.
     */
    public static long encode(final int code, final int jt, final int jf, final int k)
    {
        return ((long)(code & 0xffff) << 48) | ((long)(jt & 0xff) << 40) | ((long)(jf & 0xff) << 32) |
            (k & 0xffff_ffffL);
    }

    /**
     * Build a program from packed instructions, validated as the kernel would.
     *
     * @param instructions packed with {@link #encode(int, int, int, int)}; copied.
     * @return the program.
     * @throws IllegalArgumentException naming every rule the program breaks.
     */
    public static BpfProgram of(final long... instructions)
    {
        final long[] copy = instructions.clone();
        final List<String> problems = validate(copy);
        if (!problems.isEmpty())
        {
            throw new IllegalArgumentException("invalid BPF program: " + String.join("; ", problems));
        }
        return new BpfProgram(copy);
    }

    /**
     * Number of instructions.
     *
     * @return the length of the program.
     */
    public int length()
    {
        return instructions.length;
    }

    /**
     * Opcode of instruction {@code index}.
     *
     * @param index instruction index.
     * @return the 16-bit opcode.
     */
    public int code(final int index)
    {
        return (int)(instructions[index] >>> 48) & 0xffff;
    }

    /**
     * Jump offset when true of instruction {@code index}.
     *
     * @param index instruction index.
     * @return 0..255.
     */
    public int jt(final int index)
    {
        return (int)(instructions[index] >>> 40) & 0xff;
    }

    /**
     * Jump offset when false of instruction {@code index}.
     *
     * @param index instruction index.
     * @return 0..255.
     */
    public int jf(final int index)
    {
        return (int)(instructions[index] >>> 32) & 0xff;
    }

    /**
     * Constant of instruction {@code index}.
     *
     * @param index instruction index.
     * @return the 32-bit constant.
     */
    public int k(final int index)
    {
        return (int)instructions[index];
    }

    /**
     * The packed instruction {@code index}.
     *
     * @param index instruction index.
     * @return as {@link #encode(int, int, int, int)} packs it.
     */
    public long instruction(final int index)
    {
        return instructions[index];
    }

    static List<String> validate(final long[] program)
    {
        final List<String> problems = new ArrayList<>();
        validate(program, program.length, problems);
        return problems;
    }

    /**
     * Whether the first {@code length} instructions of {@code program} make a program {@link #of} would accept:
     * the same rules, checked without allocating, so that the stage can check a program it copied from shared
     * memory before running it ({@link BpfInterpreter#run(long[], int, org.agrona.DirectBuffer, int, int)}).
     *
     * @param program packed instructions.
     * @param length  how many of them make the program.
     * @return true when valid.
     */
    public static boolean isValid(final long[] program, final int length)
    {
        return length <= program.length && validate(program, length, null);
    }

    /**
     * The instructions, for the interpreter.
     *
     * @return the packed instructions (not a copy: do not change).
     */
    long[] instructions()
    {
        return instructions;
    }

    // problems null: stop at the first problem and build no text (the stage's check)
    private static boolean validate(final long[] program, final int length, final List<String> problems)
    {
        if (length == 0 || length > BPF_MAXINSNS)
        {
            if (null != problems)
            {
                problems.add("length=" + length + " must be in 1.." + BPF_MAXINSNS);
            }
            return false;
        }

        boolean valid = true;
        for (int pc = 0; pc < length; pc++)
        {
            final int code = (int)(program[pc] >>> 48) & 0xffff;
            final int jt = (int)(program[pc] >>> 40) & 0xff;
            final int jf = (int)(program[pc] >>> 32) & 0xff;
            final int k = (int)program[pc];
            if (!isKnown(code))
            {
                valid = problem(problems, pc, code, ": unknown opcode");
                if (null == problems)
                {
                    return false;
                }
                continue;
            }

            switch (bpfClass(code))
            {
                case BPF_LD, BPF_LDX ->
                {
                    if (bpfMode(code) == BPF_MEM && (k < 0 || k >= BPF_MEMWORDS))
                    {
                        valid = problem(problems, pc, code, null == problems ? null :
                            ": scratch slot k=" + k + " must be in 0.." + (BPF_MEMWORDS - 1));
                    }
                }
                case BPF_ST, BPF_STX ->
                {
                    if (k < 0 || k >= BPF_MEMWORDS)
                    {
                        valid = problem(problems, pc, code, null == problems ? null :
                            ": scratch slot k=" + k + " must be in 0.." + (BPF_MEMWORDS - 1));
                    }
                }
                case BPF_ALU ->
                {
                    final int op = bpfOp(code);
                    if ((op == BPF_DIV || op == BPF_MOD) && bpfSrc(code) == BPF_K && k == 0)
                    {
                        valid = problem(problems, pc, code, ": division by constant k=0");
                    }
                }
                case BPF_JMP ->
                {
                    if (bpfOp(code) == BPF_JA)
                    {
                        if ((k & 0xffff_ffffL) >= length - pc - 1L)
                        {
                            valid = problem(problems, pc, code, null == problems ? null :
                                ": jump k=" + Integer.toUnsignedString(k) + " lands beyond length=" + length);
                        }
                    }
                    else if (pc + jt + 1 >= length || pc + jf + 1 >= length)
                    {
                        valid = problem(problems, pc, code, null == problems ? null :
                            ": jump jt=" + jt + " jf=" + jf + " lands beyond length=" + length);
                    }
                }
                default ->
                {
                }
            }
            if (!valid && null == problems)
            {
                return false;
            }
        }

        final int last = (int)(program[length - 1] >>> 48) & 0xffff;
        if (last != (BPF_RET | BPF_K) && last != (BPF_RET | BPF_A))
        {
            valid = problem(problems, length - 1, last, ": a program must end with a return");
        }
        return valid;
    }

    // records a problem when asked to; false either way (the program is invalid)
    private static boolean problem(final List<String> problems, final int pc, final int code, final String what)
    {
        if (null != problems)
        {
            problems.add("instruction " + pc + " (code=0x" + Integer.toHexString(code) + ")" + what);
        }
        return false;
    }

    private static boolean isKnown(final int code)
    {
        switch (bpfClass(code))
        {
            case BPF_LD:
                switch (code)
                {
                    case BPF_LD | BPF_W | BPF_ABS, BPF_LD | BPF_H | BPF_ABS, BPF_LD | BPF_B | BPF_ABS,
                         BPF_LD | BPF_W | BPF_IND, BPF_LD | BPF_H | BPF_IND, BPF_LD | BPF_B | BPF_IND,
                         BPF_LD | BPF_W | BPF_LEN, BPF_LD | BPF_IMM, BPF_LD | BPF_MEM:
                        return true;
                    default:
                        return false;
                }
            case BPF_LDX:
                switch (code)
                {
                    case BPF_LDX | BPF_W | BPF_IMM, BPF_LDX | BPF_W | BPF_MEM, BPF_LDX | BPF_W | BPF_LEN,
                         BPF_LDX | BPF_B | BPF_MSH:
                        return true;
                    default:
                        return false;
                }
            case BPF_ST, BPF_STX:
                return code == BPF_ST || code == BPF_STX;
            case BPF_ALU:
                final int op = bpfOp(code);
                if (op == BPF_NEG)
                {
                    return code == (BPF_ALU | BPF_NEG);
                }
                return op <= BPF_XOR && (code & 0x07) == BPF_ALU && (code & ~0xff) == 0 &&
                    (code == (BPF_ALU | op | BPF_K) || code == (BPF_ALU | op | BPF_X));
            case BPF_JMP:
                final int jop = bpfOp(code);
                if (jop == BPF_JA)
                {
                    return code == (BPF_JMP | BPF_JA);
                }
                return jop <= BPF_JSET && (code == (BPF_JMP | jop | BPF_K) || code == (BPF_JMP | jop | BPF_X));
            case BPF_RET:
                return code == (BPF_RET | BPF_K) || code == (BPF_RET | BPF_A);
            case BPF_MISC:
                return code == (BPF_MISC | BPF_TAX) || code == (BPF_MISC | BPF_TXA);
            default:
                return false;
        }
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof BpfProgram that && Arrays.equals(instructions, that.instructions);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(instructions);
    }

    /**
     * One instruction per line, as {@code tcpdump -dd} prints: {@code { 0x28, 0, 0, 0x0000000c },}.
     *
     * @return the program as C initialisers.
     */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < instructions.length; i++)
        {
            sb.append(String.format("{ 0x%02x, %d, %d, 0x%08x },%n", code(i), jt(i), jf(i), k(i)));
        }
        return sb.toString();
    }
}
