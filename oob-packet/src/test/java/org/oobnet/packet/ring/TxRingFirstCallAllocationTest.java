package org.oobnet.packet.ring;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.oobnet.inband.testing.ChildJvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The stage's first claim and commit on a TX ring allocate nothing: the ring links what would otherwise link on the
 * stage (the header's status {@code VarHandle} accesses) when it is built, in-band. Runs {@link TxRingFirstCallMain}
 * in a fresh JVM, since a call site links once per JVM.
 */
class TxRingFirstCallAllocationTest
{
    @Test
    void shouldNotAllocateOnTheFirstClaimAndCommit() throws IOException, InterruptedException
    {
        final String output = ChildJvm.run(List.of(), TxRingFirstCallMain.class);
        assertEquals(0L, ChildJvm.value(output, "FIRST "), output);
    }
}
