package org.oobnet.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The CPUs of this machine as the OOB stage sees them: which exist (online), which this process may run on (its
 * affinity, {@code Cpus_allowed_list} of {@code /proc/self/status}), which are isolated from the scheduler
 * ({@code isolcpus=}) and which run without the tick ({@code nohz_full=}).
 * <p>
 * <b>Note:</b> immutable, thread safe; {@link #read()} takes one snapshot.
 *
 * @param online   the CPUs that exist and are online.
 * @param allowed  the CPUs this process may run on.
 * @param isolated the CPUs isolated from the scheduler's load balancing.
 * @param nohzFull the CPUs running without the periodic tick.
 */
public record CpuTopology(CpuList online, CpuList allowed, CpuList isolated, CpuList nohzFull)
{
    /** Where the kernel lists the online CPUs. */
    public static final Path ONLINE = Path.of("/sys/devices/system/cpu/online");
    /** Where the kernel lists the isolated CPUs ({@code isolcpus=}). */
    public static final Path ISOLATED = Path.of("/sys/devices/system/cpu/isolated");
    /** Where the kernel lists the tickless CPUs ({@code nohz_full=}); absent without CONFIG_NO_HZ_FULL. */
    public static final Path NOHZ_FULL = Path.of("/sys/devices/system/cpu/nohz_full");
    /** The process status, for {@code Cpus_allowed_list}. */
    public static final Path PROC_SELF_STATUS = Path.of("/proc/self/status");

    /**
     * Checks that no component is null.
     *
     * @param online   the CPUs that exist and are online.
     * @param allowed  the CPUs this process may run on.
     * @param isolated the CPUs isolated from the scheduler's load balancing.
     * @param nohzFull the CPUs running without the periodic tick.
     */
    public CpuTopology
    {
        java.util.Objects.requireNonNull(online, "online");
        java.util.Objects.requireNonNull(allowed, "allowed");
        java.util.Objects.requireNonNull(isolated, "isolated");
        java.util.Objects.requireNonNull(nohzFull, "nohzFull");
    }

    /**
     * Reads this machine's topology from sysfs and procfs. Where a file is missing (not Linux, a container that
     * hides sysfs) the JVM's processor count stands in for online and allowed, and nothing is isolated.
     *
     * @return the snapshot.
     */
    public static CpuTopology read()
    {
        final CpuList fallback = firstCpus(Runtime.getRuntime().availableProcessors());
        final CpuList online = readList(ONLINE).orElse(fallback);
        final CpuList allowed = readStatusField(PROC_SELF_STATUS, "Cpus_allowed_list")
            .map(CpuList::parse)
            .orElse(online);
        return new CpuTopology(
            online,
            allowed,
            readList(ISOLATED).orElse(CpuList.empty()),
            readList(NOHZ_FULL).orElse(CpuList.empty()));
    }

    /**
     * The CPU the OOB stage takes when configured {@code auto}: the highest isolated CPU this process may use,
     * else the highest CPU it may use (away from CPU 0, which takes most interrupts). As latmus does, a stage on
     * a CPU that is not isolated is reported as {@code noisol}.
     *
     * @return the CPU number, or -1 when the process may use no online CPU (cannot happen on a running process).
     */
    public int autoCpu()
    {
        final CpuList usable = online.intersect(allowed);
        final CpuList isolatedUsable = usable.intersect(isolated);
        return isolatedUsable.isEmpty() ? usable.last() : isolatedUsable.last();
    }

    /**
     * The CPU an {@code auto} stage takes when other stages already took some: as {@link #autoCpu()}, among the
     * CPUs not taken.
     *
     * @param taken the CPUs of the other stages.
     * @return the CPU number, or -1 when every CPU this process may use is taken.
     */
    public int autoCpuExcept(final Set<Integer> taken)
    {
        int best = -1;
        for (final int cpu : online.intersect(allowed).toArray())
        {
            if (!taken.contains(cpu) && (best < 0 || isolated.contains(cpu) || !isolated.contains(best)))
            {
                best = cpu;
            }
        }
        return best;
    }

    /**
     * Reads one {@code Name:\tvalue} field of a {@code /proc/<pid>/status}-style file.
     *
     * @param file  the file.
     * @param field the field name without the colon.
     * @return the value, stripped, or empty when the file or field is missing.
     */
    public static Optional<String> readStatusField(final Path file, final String field)
    {
        return readFile(file).flatMap(text -> statusField(text, field));
    }

    /**
     * Finds one {@code Name:\tvalue} field in the text of a {@code /proc/<pid>/status}-style file.
     *
     * @param text  the file's content.
     * @param field the field name without the colon.
     * @return the value, stripped, or empty when absent.
     */
    public static Optional<String> statusField(final String text, final String field)
    {
        final String prefix = field + ":";
        for (final String line : text.split("\n"))
        {
            if (line.startsWith(prefix))
            {
                return Optional.of(line.substring(prefix.length()).strip());
            }
        }
        return Optional.empty();
    }

    private static Optional<CpuList> readList(final Path file)
    {
        return readFile(file).map(CpuList::parse);
    }

    private static Optional<String> readFile(final Path file)
    {
        try
        {
            return Optional.of(Files.readString(file));
        }
        catch (final NoSuchFileException ex)
        {
            return Optional.empty();
        }
        catch (final IOException ex)
        {
            if (Files.exists(file))
            {
                throw new UncheckedIOException("cannot read " + file, ex);
            }
            return Optional.empty();
        }
    }

    private static CpuList firstCpus(final int count)
    {
        final int[] cpus = new int[count];
        for (int i = 0; i < count; i++)
        {
            cpus[i] = i;
        }
        return CpuList.of(cpus);
    }
}
