package org.oobnet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;
import stringconstants.included.IncludedLiteral;

/**
 * A string literal a thread runs for the first time is made (a {@code String} and its bytes) on that thread, unless
 * {@link StringConstants} resolved it in-band before: the measure is the thread's own allocation counter.
 */
class StringConstantsTest
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void shouldMakeAColdLiteralCostNothingWhenItsClassWasResolved()
    {
        assertNull(StringConstants.unavailableReason());
        assertEquals(2, StringConstants.resolve(Resolved.class));
        // warm the measuring calls themselves, on literals of other classes
        allocatedBy(Warm::message);
        allocatedBy(Warm::message);

        assertEquals(0, allocatedBy(Resolved::message), "resolved in-band: nothing to make");
        assertTrue(allocatedBy(Unresolved::message) > 0, "the literal made on first use: the test can fail");
    }

    @Test
    void shouldResolveLoadedClassesOfOobnetOnce()
    {
        StringConstants.resolveLoaded();
        assertEquals(0, StringConstants.resolveLoaded(), "every loaded class resolved already");
    }

    @Test
    void shouldResolveLoadedClassesOfAnIncludedPackage()
    {
        // loaded, not run: outside org.oobnet and org.agrona, resolveLoaded() leaves its literal alone unless included
        assertEquals("stringconstants.included.IncludedLiteral", IncludedLiteral.class.getName());
        StringConstants.include("stringconstants.included");
        StringConstants.resolveLoaded();
        allocatedBy(Warm::message);
        allocatedBy(Warm::message);

        assertEquals(0, allocatedBy(IncludedLiteral::message), "resolved in-band: nothing to make");
    }

    private static long allocatedBy(final java.util.function.Supplier<String> call)
    {
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        final String message = call.get();
        final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(message.startsWith("cold"), message);
        return allocated;
    }

    private static final class Warm
    {
        static String message()
        {
            return "cold: warm-up";
        }
    }

    private static final class Resolved
    {
        static String message()
        {
            return "cold: name=value resolved in-band";
        }

        static String other()
        {
            return "cold: another";
        }
    }

    private static final class Unresolved
    {
        static String message()
        {
            return "cold: name=value made on first use";
        }
    }
}
