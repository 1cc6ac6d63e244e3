package org.oobnet.packet.bpf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.oobnet.packet.bpf.BpfOpcodes.*;

/**
 * Emits classic-BPF instructions with symbolic forward jump targets, resolved to offsets when assembled.
 * <p>
 * A {@code null} target means "the next instruction". Classic BPF jumps only forward, by at most 255 for the
 * conditional forms; {@link #assemble()} says which jump broke that rule.
 * <p>
 * <b>Note:</b> not thread safe; one program per assembler.
 */
final class BpfAssembler
{
    private record Insn(int code, String trueLabel, String falseLabel, int k)
    {
    }

    private final List<Insn> insns = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();

    BpfAssembler label(final String name)
    {
        if (labels.putIfAbsent(name, insns.size()) != null)
        {
            throw new IllegalStateException("label=" + name + " defined twice");
        }
        return this;
    }

    BpfAssembler stmt(final int code, final int k)
    {
        insns.add(new Insn(code, null, null, k));
        return this;
    }

    BpfAssembler jump(final int code, final int k, final String ifTrue, final String ifFalse)
    {
        insns.add(new Insn(code, ifTrue, ifFalse, k));
        return this;
    }

    BpfAssembler jumpAlways(final String target)
    {
        insns.add(new Insn(BPF_JMP | BPF_JA, target, null, 0));
        return this;
    }

    BpfProgram assemble()
    {
        final long[] out = new long[insns.size()];
        for (int pc = 0; pc < out.length; pc++)
        {
            final Insn insn = insns.get(pc);
            if (insn.code == (BPF_JMP | BPF_JA))
            {
                out[pc] = BpfProgram.encode(insn.code, 0, 0, offset(pc, insn.trueLabel, Integer.MAX_VALUE));
            }
            else if (bpfClass(insn.code) == BPF_JMP)
            {
                out[pc] = BpfProgram.encode(
                    insn.code, offset(pc, insn.trueLabel, 255), offset(pc, insn.falseLabel, 255), insn.k);
            }
            else
            {
                out[pc] = BpfProgram.encode(insn.code, 0, 0, insn.k);
            }
        }
        return BpfProgram.of(out);
    }

    private int offset(final int pc, final String label, final int max)
    {
        if (null == label)
        {
            return 0;
        }
        final Integer target = labels.get(label);
        if (null == target)
        {
            throw new IllegalStateException("label=" + label + " used at instruction " + pc + " is not defined");
        }
        final int offset = target - pc - 1;
        if (offset < 0 || offset > max)
        {
            throw new IllegalStateException(
                "jump from instruction " + pc + " to label=" + label + " offset=" + offset + " must be in 0.." + max);
        }
        return offset;
    }
}
