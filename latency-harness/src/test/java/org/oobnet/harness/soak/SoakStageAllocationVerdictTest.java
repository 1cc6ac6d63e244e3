package org.oobnet.harness.soak;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The soak's verdict on stage allocation after warm-up: any byte in any JVM is a problem (the soak fails), 0 B or
 * not measured is none.
 */
class SoakStageAllocationVerdictTest
{
    @Test
    void shouldFailTheSoakWhenAnyJvmsStagesAllocatedAfterWarmUp()
    {
        final SoakLedgers ledgers = new SoakLedgers();
        ledgers.stageAllocated("soak JVM (bus, raw packet)", 0);
        ledgers.stageAllocated("udp sender children", 1984);
        ledgers.stageAllocated("udp sender children", 1984);

        ledgers.checkStageAllocation();

        assertEquals(List.of("stage allocation after warm-up: udp sender children 3968 B, must be 0 B"),
            ledgers.problems);
        assertEquals("FAILED (udp sender children 3968 B)", ledgers.stageAllocationVerdict());
    }

    @Test
    void shouldPassWhenEveryJvmAllocatedNothingOrWasNotMeasured()
    {
        final SoakLedgers ledgers = new SoakLedgers();
        ledgers.stageAllocated("soak JVM (bus, raw packet)", 0);
        ledgers.stageAllocated("moldudp64 receiver", -1);

        ledgers.checkStageAllocation();

        assertEquals(List.of(), ledgers.problems);
        assertEquals("PASSED (0 B in every JVM measured)", ledgers.stageAllocationVerdict());
    }
}
