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
}
