package org.oobnet.harness.report;

/**
 * What a latency run measures and where: everything the reports print about a run besides its figures.
 * <p>
 * <b>Note:</b> immutable, thread safe.
 *
 * @param label          the row name in tables and file names, e.g. {@code udp-inband}.
 * @param scenario       {@code udp}, {@code packet}, {@code timer}.
 * @param transport      {@code inband}, {@code kernel}, {@code packet}, or {@code -} when the scenario has none.
 * @param peerKind       {@code oobnet} (our reflector) or {@code sockperf} (an unmodified sockperf server).
 * @param sizeBytes      the datagram payload, sockperf header included.
 * @param cpu            the measuring side's CPU, -1 when not pinned.
 * @param isolated       whether {@code cpu} is listed in /sys/devices/system/cpu/isolated.
 * @param peerCpu        the reflector's CPU, -1 when not pinned or unknown.
 * @param rateHz         sends per second in fixed-rate mode, 0 for ping-pong (send the next on the reply).
 * @param profile        whether the low-latency JVM profile was applied to the measuring JVMs.
 * @param network        {@code veth} (two namespaces), {@code loopback}, or {@code peer} (a given address).
 * @param durationNs     the requested measured duration, 0 when the run is bounded by {@code count}.
 * @param requestedCount the requested measured exchanges, 0 when the run is bounded by {@code durationNs}.
 */
public record RunDescription(
    String label,
    String scenario,
    String transport,
    String peerKind,
    int sizeBytes,
    int cpu,
    boolean isolated,
    int peerCpu,
    long rateHz,
    boolean profile,
    String network,
    long durationNs,
    long requestedCount)
{
    /**
     * @return the CPU as latmus prints it: {@code CPU1}, {@code CPU1-noisol}, or {@code CPU?-noisol} when unpinned.
     */
    public String cpuTag()
    {
        return "CPU" + (cpu < 0 ? "?" : Integer.toString(cpu)) + (isolated ? "" : "-noisol");
    }

    /**
     * @return a copy with another label.
     * @param newLabel the label.
     */
    public RunDescription withLabel(final String newLabel)
    {
        return new RunDescription(newLabel, scenario, transport, peerKind, sizeBytes, cpu, isolated, peerCpu, rateHz,
            profile, network, durationNs, requestedCount);
    }
}
