package org.oobnet.harness.soak;

import java.util.function.LongSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * How the soak's parts wait for traffic to settle.
 * <p>
 * <b>Note:</b> stateless; in-band.
 */
final class SoakWaits
{
    private SoakWaits()
    {
    }

    /**
     * Waits until a receive count stops moving for a period (at most 10 s): what was sent has arrived or is lost.
     *
     * @param received the count.
     * @param periodNs how long it must stay still.
     */
    static void awaitQuiet(final LongSupplier received, final long periodNs)
    {
        long lastCount = -1;
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() - deadline < 0)
        {
            final long count = received.getAsLong();
            if (count == lastCount)
            {
                return;
            }
            lastCount = count;
            LockSupport.parkNanos(periodNs);
        }
    }
}
