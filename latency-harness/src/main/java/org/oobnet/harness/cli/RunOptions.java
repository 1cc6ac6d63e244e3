package org.oobnet.harness.cli;

import java.nio.file.Path;

import org.oobnet.harness.env.CpuSet;
import org.oobnet.harness.bench.run.IdleKind;
import org.oobnet.harness.bench.run.MeasurementPlan;
import org.oobnet.harness.bench.run.RunSettings;
import picocli.CommandLine.Option;

/**
 * Options shared by the latency scenarios: message size, length, warm-up, pace, CPUs, idle strategy, outputs.
 * <p>
 * <b>Note:</b> filled by picocli, read in-band.
 */
public final class RunOptions
{
    @Option(names = "--size", defaultValue = "64", paramLabel = "BYTES",
        description = "UDP payload per message, sockperf's 14-byte header included (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--count", paramLabel = "N",
        description = "Measured exchanges (instead of --duration).")
    public Long count;

    @Option(names = "--duration", paramLabel = "TIME",
        description = "Measured time, e.g. 20s (default: 10s when --count is not given).")
    public String duration;

    @Option(names = "--warmup", defaultValue = "1s", paramLabel = "N|TIME",
        description = "Warm-up before measuring, excluded from the results: a count or a time (default: " +
            "${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "HZ",
        description = "Fixed-rate sends per second, latency measured from each send's scheduled time " +
            "(coordinated-omission correction); 0 = ping-pong (default).")
    long rateHz;

    @Option(names = "--cpu", defaultValue = "-2", paramLabel = "CPU",
        description = "CPU of the measuring side (default: the first isolated CPU, else the last CPU).")
    int cpu;

    @Option(names = "--peer-cpu", defaultValue = "-2", paramLabel = "CPU",
        description = "CPU of the reflector (default: another isolated CPU, else the CPU before --cpu).")
    int peerCpu;

    @Option(names = "--idle", defaultValue = "auto", paramLabel = "spin|yield|park|auto",
        description = "How waiting threads idle: spin, yield, park (auto: spin on an isolated CPU, else park).")
    public String idle;

    @Option(names = "--loopback",
        description = "Run both sides on loopback instead of two network namespaces (kernel/inband only).")
    public boolean loopback;

    @Option(names = "--out", paramLabel = "DIR",
        description = "Result folder (default: ./results/<command>-<timestamp>).")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the JSON summary to FILE.")
    Path json;

    @Option(names = "--receive-timeout", defaultValue = "200ms", paramLabel = "TIME",
        description = "A reply not back within this counts as lost (default: ${DEFAULT-VALUE}).")
    String receiveTimeout;

    /**
     * @return the options, checked and resolved, as the runners take them.
     * @throws IllegalArgumentException naming the offending option.
     */
    public RunSettings settings()
    {
        return new RunSettings(size, plan(), cpu(), peerCpu(), idle, loopback, receiveTimeoutNs());
    }

    /**
     * @return the {@code --out} folder, or null for the default.
     */
    public Path out()
    {
        return out;
    }

    /**
     * @return the measuring side's CPU, resolved.
     */
    public int cpu()
    {
        return cpu >= -1 ? cpu : CpuSet.defaultCpu();
    }

    /**
     * @return the reflector's CPU, resolved.
     */
    public int peerCpu()
    {
        return peerCpu >= -1 ? peerCpu : CpuSet.defaultPeerCpu(cpu());
    }

    /**
     * @param cpuOfSide the CPU the idling thread runs on.
     * @return the idle strategy, resolved.
     */
    public IdleKind idle(final int cpuOfSide)
    {
        return IdleKind.resolve(idle, cpuOfSide);
    }

    /**
     * @return warm-up, length and pace as given.
     */
    public MeasurementPlan plan()
    {
        return plan(1);
    }

    /**
     * @param rounds how many alternating rounds share the length (each gets its part; warm-up is per round).
     * @return the plan of one round.
     */
    public MeasurementPlan plan(final int rounds)
    {
        final boolean warmupIsTime = Durations.hasUnit(warmup);
        final long warmupNs = warmupIsTime ? Durations.parseNs("warmup", warmup) : 0;
        final long warmupCount = warmupIsTime ? 0 : parseCount("warmup", warmup);
        if (count != null && duration != null)
        {
            throw new IllegalArgumentException("count=" + count + " and duration=" + duration +
                ": give one of them");
        }
        final long durationNs = count != null ? 0 : Durations.parseNs("duration", duration == null ? "10s" : duration);
        final long n = count != null ? count : 0;
        return new MeasurementPlan(warmupCount, warmupNs, (n + rounds - 1) / rounds, durationNs / rounds, rateHz);
    }

    /**
     * @return the receive timeout in ns.
     */
    public long receiveTimeoutNs()
    {
        return Durations.parseNs("receive-timeout", receiveTimeout);
    }

    /**
     * @return the {@code --idle} value as given ({@code auto} unresolved), for child processes.
     */
    public String idleName()
    {
        return idle;
    }

    /**
     * @return the {@code --json} file, or null.
     */
    public Path json()
    {
        return json;
    }

    /**
     * @return the message size.
     */
    public int size()
    {
        return size;
    }

    private static long parseCount(final String name, final String text)
    {
        try
        {
            return Long.parseLong(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + "=" + text + " is neither a count nor a duration (e.g. 2s)");
        }
    }
}
