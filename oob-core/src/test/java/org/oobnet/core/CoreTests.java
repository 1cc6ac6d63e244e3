package org.oobnet.core;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Shared bits of oob-core's tests.
 */
final class CoreTests
{
    private CoreTests()
    {
    }

    /** A config for tests: back-off idle (never a busy spin on the shared CPUs), small rings, counters in dir. */
    static OobConfig.Builder config(final Path dir)
    {
        return OobConfig.builder()
            .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
            .sendRingBytes(16 * 1024)
            .receiveRingBytes(16 * 1024)
            .countersDir(dir)
            .countersValuesBytes(64 * 1024 * 128)
            .errorLogBytes(64 * 1024);
    }

    static void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
