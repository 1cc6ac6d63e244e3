package org.oobnet.harness.bench.run;

import java.io.IOException;

/**
 * One request and its reply: sends message {@code sequence} and returns when its reply arrived or timed out.
 * <p>
 * <b>Note:</b> measuring thread only; must not allocate per call.
 */
@FunctionalInterface
public interface RoundTrip
{
    /**
     * @param sequence the sequence number to send, increasing from 1.
     * @return true when the matching reply arrived, false when it did not within the receive timeout (lost).
     * @throws IOException when the transport failed (the run ends).
     */
    boolean exchange(long sequence) throws IOException;
}
