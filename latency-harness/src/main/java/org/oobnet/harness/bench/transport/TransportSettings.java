package org.oobnet.harness.bench.transport;

import org.oobnet.harness.bench.run.IdleKind;

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
 * @param interfaceName    the network interface of a transport that sends frames itself, or null.
 */
public record TransportSettings(
    int cpu, IdleKind idle, int maxDatagramBytes, long receiveTimeoutNs, String interfaceName)
{
    /**
     * Settings without an interface (socket transports).
     *
     * @param cpu              the CPU.
     * @param idle             the idle strategy.
     * @param maxDatagramBytes the largest datagram.
     * @param receiveTimeoutNs the receive timeout.
     */
    public TransportSettings(final int cpu, final IdleKind idle, final int maxDatagramBytes, final long receiveTimeoutNs)
    {
        this(cpu, idle, maxDatagramBytes, receiveTimeoutNs, null);
    }
}
