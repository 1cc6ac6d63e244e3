package org.oobnet.reliability.counters;

import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;

/**
 * Run in a child JVM: starts a runtime on the given counters directory, prints {@code STARTED}, and holds it
 * until killed (the parent kills it with SIGKILL, so nothing is cleaned up).
 */
public final class RuntimeHolder
{
    private RuntimeHolder()
    {
    }

    public static void main(final String[] args)
    {
        final OobRuntime runtime = OobRuntime.start(OobConfig.builder()
            .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
            .countersDir(Path.of(args[0]))
            .build());
        System.out.println("STARTED " + runtime.countersPath());
        System.out.flush();
        while (!runtime.isClosed())
        {
            LockSupport.parkNanos(1_000_000_000L);
        }
    }
}
