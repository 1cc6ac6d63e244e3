package org.oobnet.packet.bpf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;
import static org.oobnet.packet.bpf.BpfOpcodes.*;

class BpfProgramTest
{
    @Test
    void shouldReportEveryProblemWhenProgramInvalid()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BpfProgram.of(
            BpfProgram.encode(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 1),
            BpfProgram.encode(BPF_ALU | BPF_DIV | BPF_K, 0, 0, 0),
            BpfProgram.encode(BPF_ST, 0, 0, 16),
            BpfProgram.encode(0xff, 0, 0, 0),
            BpfProgram.encode(BPF_MISC | BPF_TAX, 0, 0, 0)));

        assertEquals("invalid BPF program: " +
            "instruction 0 (code=0x15): jump jt=5 jf=0 lands beyond length=5; " +
            "instruction 1 (code=0x34): division by constant k=0; " +
            "instruction 2 (code=0x2): scratch slot k=16 must be in 0..15; " +
            "instruction 3 (code=0xff): unknown opcode; " +
            "instruction 4 (code=0x7): a program must end with a return", e.getMessage());
    }

    @Test
    void shouldRejectEmptyProgram()
    {
        assertEquals("invalid BPF program: length=0 must be in 1..4096",
            assertThrows(IllegalArgumentException.class, BpfProgram::of).getMessage());
    }

    @Test
    void shouldKeepFieldsOfEachInstruction()
    {
        final BpfProgram program = BpfProgram.of(
            BpfProgram.encode(BPF_LD | BPF_H | BPF_ABS, 0, 0, 12),
            BpfProgram.encode(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0x88b5),
            BpfProgram.encode(BPF_RET | BPF_K, 0, 0, -1),
            BpfProgram.encode(BPF_RET | BPF_K, 0, 0, 0));

        assertEquals(4, program.length());
        assertEquals(0x15, program.code(1));
        assertEquals(0, program.jt(1));
        assertEquals(1, program.jf(1));
        assertEquals(0x88b5, program.k(1));
        assertEquals(-1, program.k(2));
        assertEquals("{ 0x28, 0, 0, 0x0000000c },", program.toString().lines().findFirst().orElseThrow());
    }

    @Test
    void shouldJudgeProgramsAsTheStageDoesAsConstructionDoes()
    {
        // the stage's allocation-free check (a capture filter copied from another process) agrees with of()
        final long seed = System.nanoTime();
        final java.util.Random random = new java.util.Random(seed);
        final int[] codes = { BPF_LD | BPF_H | BPF_ABS, BPF_LD | BPF_MEM, BPF_ST, BPF_ALU | BPF_DIV | BPF_K,
            BPF_JMP | BPF_JEQ | BPF_K, BPF_JMP | BPF_JA, BPF_RET | BPF_K, BPF_RET | BPF_A, BPF_MISC | BPF_TAX, 0xff };
        int valid = 0;
        for (int round = 0; round < 20_000; round++)
        {
            final int length = 1 + random.nextInt(6);
            final long[] program = new long[length + random.nextInt(3)];
            for (int i = 0; i < program.length; i++)
            {
                program[i] = BpfProgram.encode(codes[random.nextInt(codes.length)], random.nextInt(4),
                    random.nextInt(4), random.nextInt(20) - 2);
            }
            final long[] exact = java.util.Arrays.copyOf(program, length);
            final boolean built = BpfProgram.validate(exact).isEmpty();
            assertEquals(built, BpfProgram.isValid(program, length), "seed=" + seed + " round=" + round + " " +
                java.util.Arrays.toString(exact));
            valid += built ? 1 : 0;
        }
        assertTrue(valid > 100, "seed=" + seed + ": valid programs drawn: " + valid);
        assertFalse(BpfProgram.isValid(new long[2], 3), "a length beyond the array");
    }
}
