package org.oobnet.harness.env;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.oobnet.netns.IpCommand;

/**
 * The kernel's {@code sched:sched_switch} events (or others named at the start) on some CPUs, recorded through a tracefs instance of our own
 * ({@code /sys/kernel/tracing/instances/oobnet-sched-<pid>-<n>}) so that no other user of tracing is disturbed:
 * the global buffer, its events and options stay as they were. Timestamps use the {@code mono} trace clock, the
 * {@code CLOCK_MONOTONIC} that {@link System#nanoTime()} reads. The instance is removed by {@link #close()};
 * instances left by harness processes that died are removed when the next one starts.
 * <p>
 * <b>Note:</b> in-band only, not thread safe; needs root (tracefs is root's).
 */
public final class SchedTrace implements AutoCloseable
{
    /** Where tracefs is (mounted there when it is not). */
    public static final Path TRACEFS = Path.of("/sys/kernel/tracing");
    /** The context switch event, the one {@link #start(BitSet)} records. */
    public static final String SCHED_SWITCH = "sched/sched_switch";
    /** Instance names start with this, then the owning process id. */
    static final String PREFIX = "oobnet-sched-";
    /**
     * Per-CPU buffer: about 500 000 switch events; a loaded machine's JVM start-ups can still overrun it, and an
     * overrun loses the oldest events: {@link Capture#oldestNs()} says where the kept ones start.
     */
    static final int BUFFER_KB = 32768;

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Path instance;
    private final BitSet cpus;

    private SchedTrace(final Path instance, final BitSet cpus)
    {
        this.instance = instance;
        this.cpus = cpus;
    }

    /**
     * Creates an instance and starts recording context switches on {@code cpus}.
     *
     * @param cpus the CPUs to watch.
     * @return the recording trace; close it.
     * @throws IOException saying why when tracefs cannot be used (not mounted and cannot be, not root, no
     *                     {@code sched_switch} event); nothing is left behind.
     */
    public static SchedTrace start(final BitSet cpus) throws IOException
    {
        return start(cpus, List.of(SCHED_SWITCH));
    }

    /**
     * Creates an instance and starts recording the given events on {@code cpus}.
     *
     * @param cpus   the CPUs to watch.
     * @param events tracefs event paths under {@code events/} ({@code sched/sched_switch}, {@code irq/softirq_entry}).
     * @return the recording trace; close it.
     * @throws IOException as {@link #start(BitSet)}, or naming an event the kernel does not have.
     */
    public static SchedTrace start(final BitSet cpus, final List<String> events) throws IOException
    {
        if (cpus.isEmpty())
        {
            throw new IOException("no CPU to trace");
        }
        final Path instances = mounted().resolve("instances");
        removeStale(instances);
        final Path dir = instances.resolve(PREFIX + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet());
        try
        {
            Files.createDirectory(dir);
        }
        catch (final IOException ex)
        {
            throw new IOException("cannot create the trace instance " + dir + " (not root?): " + ex, ex);
        }
        final SchedTrace trace = new SchedTrace(dir, cpus);
        try
        {
            trace.write("trace_clock", "mono");
            trace.write("buffer_size_kb", Integer.toString(BUFFER_KB));
            trace.write("tracing_cpumask", cpuMask(cpus));
            for (final String event : events)
            {
                trace.write("events/" + event + "/enable", "1");
            }
            trace.write("tracing_on", "1");
            return trace;
        }
        catch (final IOException ex)
        {
            trace.close();
            throw ex;
        }
    }

    /**
     * Stops recording and hands over the recorded text, line by line, oldest first.
     *
     * @param lines receives each line of the instance's {@code trace} file (headers included).
     * @return what the kernel could not keep.
     * @throws IOException when the trace cannot be read.
     */
    public Capture stop(final Consumer<String> lines) throws IOException
    {
        write("tracing_on", "0");
        try (BufferedReader in = Files.newBufferedReader(instance.resolve("trace"), StandardCharsets.UTF_8))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                lines.accept(line);
            }
        }
        long lost = 0;
        long oldestNs = Long.MIN_VALUE;
        for (int cpu = cpus.nextSetBit(0); cpu >= 0; cpu = cpus.nextSetBit(cpu + 1))
        {
            long cpuLost = 0;
            long cpuOldestNs = Long.MIN_VALUE;
            for (final String stat : Files.readAllLines(instance.resolve("per_cpu/cpu" + cpu + "/stats")))
            {
                final String value = stat.substring(stat.indexOf(':') + 1).trim();
                if (stat.startsWith("overrun:") || stat.startsWith("dropped events:"))
                {
                    cpuLost += Long.parseLong(value);
                }
                else if (stat.startsWith("oldest event ts:"))
                {
                    cpuOldestNs = secondsToNs(value);
                }
            }
            lost += cpuLost;
            // only a CPU that lost events starts late: the others hold everything since tracing began
            if (cpuLost > 0)
            {
                oldestNs = Math.max(oldestNs, cpuOldestNs);
            }
        }
        return new Capture(lost, oldestNs);
    }

    /**
     * What a stopped trace could not keep.
     *
     * @param lost     events lost to buffer overruns and drops, summed over the CPUs.
     * @param oldestNs when the kept events start, on the CPU that lost the most recent ones (trace clock);
     *                 {@link Long#MIN_VALUE} when no CPU lost any.
     */
    public record Capture(long lost, long oldestNs)
    {
    }

    // "301.040476" (seconds, microseconds) in ns
    static long secondsToNs(final String seconds)
    {
        final int dot = seconds.indexOf('.');
        if (dot < 0)
        {
            return Long.parseLong(seconds) * 1_000_000_000L;
        }
        final String fraction = (seconds.substring(dot + 1) + "000000000").substring(0, 9);
        return Long.parseLong(seconds.substring(0, dot)) * 1_000_000_000L + Long.parseLong(fraction);
    }

    /**
     * @param cpus a set of CPUs.
     * @return the hexadecimal mask {@code tracing_cpumask} takes: 32-bit groups, most significant first, commas
     *         between them ({@code 3}, {@code 1,00000000}).
     */
    static String cpuMask(final BitSet cpus)
    {
        final StringBuilder sb = new StringBuilder();
        for (int group = (cpus.length() - 1) / 32; group >= 0; group--)
        {
            long bits = 0;
            for (int i = 0; i < 32; i++)
            {
                if (cpus.get(group * 32 + i))
                {
                    bits |= 1L << i;
                }
            }
            sb.append(sb.isEmpty() ? Long.toHexString(bits) : String.format("%08x", bits));
            if (group > 0)
            {
                sb.append(',');
            }
        }
        return sb.toString();
    }

    private void write(final String file, final String value) throws IOException
    {
        try
        {
            Files.writeString(instance.resolve(file), value);
        }
        catch (final IOException ex)
        {
            throw new IOException("cannot write " + value + " to " + instance.resolve(file) + ": " + ex, ex);
        }
    }

    // tracefs's directory, mounted when it is not yet (a container may have it unmounted)
    private static Path mounted() throws IOException
    {
        if (Files.isDirectory(TRACEFS.resolve("instances")))
        {
            return TRACEFS;
        }
        final String mount = IpCommand.which("mount");
        if (mount == null)
        {
            throw new IOException("tracefs is not mounted at " + TRACEFS + " and mount(8) is not installed");
        }
        final IpCommand.Result result = IpCommand.tryExec(List.of(mount, "-t", "tracefs", "nodev", TRACEFS.toString()),
            IpCommand.DEFAULT_TIMEOUT_MS);
        if (!Files.isDirectory(TRACEFS.resolve("instances")))
        {
            throw new IOException("tracefs is not mounted at " + TRACEFS + " and mounting it failed: " +
                result.output().trim());
        }
        return TRACEFS;
    }

    // instances of harness processes that are gone (a crash or a kill -9 skipped their close())
    private static void removeStale(final Path instances) throws IOException
    {
        try (DirectoryStream<Path> all = Files.newDirectoryStream(instances, PREFIX + "*"))
        {
            for (final Path dir : all)
            {
                final String rest = dir.getFileName().toString().substring(PREFIX.length());
                final int dash = rest.indexOf('-');
                try
                {
                    final long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
                    if (ProcessHandle.of(pid).isEmpty())
                    {
                        Files.delete(dir);
                    }
                }
                catch (final NumberFormatException | IOException ignored)
                {
                    // not one of ours after all, or removed meanwhile: leave it
                }
            }
        }
    }

    @Override
    public void close()
    {
        try
        {
            Files.writeString(instance.resolve("tracing_on"), "0");
        }
        catch (final IOException ignored)
        {
            // the instance may be half made; removing it is what matters
        }
        try
        {
            Files.deleteIfExists(instance);
        }
        catch (final IOException ignored)
        {
            // busy (a reader still has it open): the next start removes it once this process is gone
        }
    }
}
