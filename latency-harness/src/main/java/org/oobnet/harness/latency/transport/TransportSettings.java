package org.oobnet.harness.latency.transport;

import org.oobnet.harness.latency.run.IdleKind;

/**
 * Settings every transport receives when it opens an endpoint.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param cpu              the CPU of the process' polling thread or OOB stage, -1 to leave it unpinned.
 * @param idle             how a polling transport waits for work.
 * @param maxDatagramBytes the largest datagram to receive.
 * @param receiveTimeoutNs how long a receive waits before reporting a timeout (a lost reply, or a reflector's
 *                         chance to check for shutdown).
 */
public record TransportSettings(int cpu, IdleKind idle, int maxDatagramBytes, long receiveTimeoutNs)
{
}
