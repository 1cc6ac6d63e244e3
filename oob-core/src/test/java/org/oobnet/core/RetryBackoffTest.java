package org.oobnet.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryBackoffTest
{
    @Test
    void shouldWaitTenMicrosThenDoubleUpToOneMilliWhileRefusedAndRetryAtOnceAfterSuccess()
    {
        final RetryBackoff backoff = new RetryBackoff();
        long now = 1_000;
        assertTrue(backoff.isDue(now), "nothing refused yet");

        long expectedDelay = RetryBackoff.MIN_DELAY_NS;
        for (int i = 0; i < 12; i++)
        {
            backoff.onRefused(now);
            assertFalse(backoff.isDue(now + expectedDelay - 1), "refusal " + i + ": not before " + expectedDelay);
            assertTrue(backoff.isDue(now + expectedDelay), "refusal " + i + ": due after " + expectedDelay);
            now += expectedDelay;
            expectedDelay = Math.min(2 * expectedDelay, RetryBackoff.MAX_DELAY_NS);
        }

        backoff.onSuccess();
        assertTrue(backoff.isDue(now), "after a success: at once");
        backoff.onRefused(now);
        assertFalse(backoff.isDue(now + RetryBackoff.MIN_DELAY_NS - 1), "back to the first wait");
        assertTrue(backoff.isDue(now + RetryBackoff.MIN_DELAY_NS));
    }
}
