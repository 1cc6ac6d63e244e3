package org.oobnet.config;

/**
 * Defaults of the latency harness ({@code oobnet latency}, {@code oobnet demo}); its options override them.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param messageSizeBytes UDP payload bytes of each ping.
 * @param durationNs       how long the measured part of a run lasts.
 * @param warmupNs         how long the run goes before measuring (JIT, caches, neighbours).
 * @param ratePerSecond    pings per second; 0 sends the next ping as soon as the pong arrived.
 */
public record HarnessConfig(int messageSizeBytes, long durationNs, long warmupNs, int ratePerSecond)
{
}
