package org.oobnet.core;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.oobnet.inband.testing.ChildJvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After {@link AtomicLinks#link()} the first call of a JDK atomic array's access mode allocates nothing; without it,
 * the same first call links its {@code VarHandle} site and allocates (the control, so that the test can fail). Each
 * runs {@link AtomicLinksMain} in a fresh JVM.
 */
class AtomicLinksTest
{
    @Test
    void shouldNotAllocateAtTheFirstAtomicAccessWhenLinkedFirst() throws IOException, InterruptedException
    {
        assertEquals(0L, allocated("link"));
    }

    @Test
    void shouldAllocateAtTheFirstAtomicAccessWhenNotLinked() throws IOException, InterruptedException
    {
        assertTrue(allocated("none") > 0);
    }

    private static long allocated(final String mode) throws IOException, InterruptedException
    {
        return ChildJvm.value(ChildJvm.run(List.of(), AtomicLinksMain.class, mode), "ALLOCATED ");
    }
}
