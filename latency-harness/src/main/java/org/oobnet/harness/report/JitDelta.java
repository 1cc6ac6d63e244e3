package org.oobnet.harness.report;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.oobnet.harness.env.ProcTasks;

/**
 * The JIT compiler's work in one JVM between a {@link #mark()} and {@link Mark#delta()}: the accumulated compile
 * time ({@code CompilationMXBean.getTotalCompilationTime()}: the compiles' elapsed time, which a starved compiler
 * thread stretches), the CPU time its compiler threads ran ({@code /proc/self/task/<tid>/schedstat} of the threads
 * named {@code C1 CompilerThre...}, {@code C2 CompilerThre...}: what they took from a CPU; a compiler thread that
 * ended inside the window is missed) and the number of compiles (HotSpot's
 * {@code sun.ci.totalCompiles} counter, read through {@code sun.management} by reflection, as {@code --release}
 * compiles against the exported API only: it needs {@code --add-exports java.management/sun.management=ALL-UNNAMED}
 * ({@code JvmProfile.BASE}) and perf data, which the child JVMs have; -1 when it cannot be read). Both are counters the compiler threads keep anyway: reading them costs no thread and no
 * event stream.
 * <p>
 * A reflector prints its delta as one line, {@link #line()}, which the parent reads back with {@link #parse}.
 * <b>Note:</b> immutable; {@link #mark()} reads the calling JVM.
 *
 * @param compileMs the compile time, ms (-1 when the JVM does not report it).
 * @param compiles  the number of compiles (-1 when unknown).
 * @param cpuMs     the compiler threads' CPU time, ms (-1 when unknown).
 */
public record JitDelta(long compileMs, long compiles, long cpuMs)
{
    /** The start of a reflector's line. */
    public static final String LINE = "JIT ";

    // the line's fields, in order
    private static final String[] FIELDS = {"compile_ms", "compiles", "cpu_ms"};
    private static final String[] COMPILER_THREADS = {"C1 Compiler", "C2 Compiler"};

    /**
     * The start of a window: this JVM's counters now.
     *
     * @param compileMs     the accumulated compile time, ms, or -1.
     * @param compiles      the compiles so far, or -1.
     * @param compilerCpuNs each compiler thread's CPU time so far, by thread id.
     */
    public record Mark(long compileMs, long compiles, Map<Integer, Long> compilerCpuNs)
    {
        /**
         * @return the JIT's work since this mark.
         */
        public JitDelta delta()
        {
            return mark().since(this);
        }

        /**
         * @param earlier a mark taken before this one.
         * @return the work between the two (-1 where either lacks the figure).
         */
        public JitDelta since(final Mark earlier)
        {
            long cpuNs = 0;
            for (final Map.Entry<Integer, Long> thread : compilerCpuNs.entrySet())
            {
                // a thread started inside the window counts from 0
                cpuNs += thread.getValue() - earlier.compilerCpuNs.getOrDefault(thread.getKey(), 0L);
            }
            return new JitDelta(difference(compileMs, earlier.compileMs), difference(compiles, earlier.compiles),
                compilerCpuNs.isEmpty() && earlier.compilerCpuNs.isEmpty() ? -1 : TimeUnit.NANOSECONDS.toMillis(cpuNs));
        }
    }

    /**
     * @return this JVM's counters now, to take a {@link Mark#delta()} from later.
     */
    public static Mark mark()
    {
        final CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
        final long ms = null != bean && bean.isCompilationTimeMonitoringSupported() ? bean.getTotalCompilationTime()
            : -1;
        return new Mark(ms, compileCount(), compilerCpuNs());
    }

    // the CPU time of each compiler thread: schedstat's first field, ns on a CPU
    private static Map<Integer, Long> compilerCpuNs()
    {
        final Map<Integer, Long> cpu = new HashMap<>();
        try
        {
            for (final Path task : ProcTasks.self())
            {
                try
                {
                    final String comm = Files.readString(task.resolve("comm")).strip();
                    if (comm.startsWith(COMPILER_THREADS[0]) || comm.startsWith(COMPILER_THREADS[1]))
                    {
                        final String schedstat = Files.readString(task.resolve("schedstat")).strip();
                        cpu.put(ProcTasks.tid(task),
                            Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))));
                    }
                }
                catch (final IOException | RuntimeException ignored)
                {
                    // the thread ended between the listing and the read, or the kernel has no schedstat
                }
            }
        }
        catch (final IOException ignored)
        {
            // no /proc: the CPU time is unknown
        }
        return cpu;
    }

    private static long compileCount()
    {
        try
        {
            final Object bean = Class.forName("sun.management.ManagementFactoryHelper")
                .getMethod("getHotspotCompilationMBean").invoke(null);
            final Method count = Class.forName("sun.management.HotspotCompilationMBean")
                .getMethod("getTotalCompileCount");
            return (long)count.invoke(bean);
        }
        catch (final ReflectiveOperationException | LinkageError | RuntimeException ex)
        {
            // not exported to us, or no perf data (-XX:-UsePerfData): the time alone is reported
            return -1;
        }
    }

    /**
     * @param other another round's delta, or null.
     * @return both added (-1 stays where both lack the figure).
     */
    public JitDelta plus(final JitDelta other)
    {
        return null == other ? this : new JitDelta(sum(compileMs, other.compileMs), sum(compiles, other.compiles),
            sum(cpuMs, other.cpuMs));
    }

    /**
     * @return {@code JIT compile_ms=<n> compiles=<n> cpu_ms=<n>}.
     */
    public String line()
    {
        return LINE + "compile_ms=" + compileMs + " compiles=" + compiles + " cpu_ms=" + cpuMs;
    }

    /**
     * @param line a line {@link #line()} printed.
     * @return the delta.
     * @throws IllegalArgumentException naming the line when it is not one.
     */
    public static JitDelta parse(final String line)
    {
        final String[] fields = line.startsWith(LINE) ? line.substring(LINE.length()).trim().split(" ") : new String[0];
        final long[] values = new long[FIELDS.length];
        if (fields.length != FIELDS.length)
        {
            throw notALine(line, null);
        }
        for (int i = 0; i < FIELDS.length; i++)
        {
            if (!fields[i].startsWith(FIELDS[i] + "="))
            {
                throw notALine(line, null);
            }
            try
            {
                values[i] = Long.parseLong(fields[i].substring(FIELDS[i].length() + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw notALine(line, ex);
            }
        }
        return new JitDelta(values[0], values[1], values[2]);
    }

    private static IllegalArgumentException notALine(final String line, final Throwable cause)
    {
        return new IllegalArgumentException("line=\"" + line + "\" is not " + LINE + String.join("=<n> ", FIELDS) +
            "=<n>", cause);
    }

    /**
     * @return {@code {"compile_ms": n, "compiles": n, "cpu_ms": n}}, null for a figure the JVM lacks.
     */
    public ObjectNode toJson()
    {
        final ObjectNode o = JsonNodeFactory.instance.objectNode();
        put(o, FIELDS[0], compileMs);
        put(o, FIELDS[1], compiles);
        put(o, FIELDS[2], cpuMs);
        return o;
    }

    /**
     * @param o what {@link #toJson()} wrote, or null/missing.
     * @return the delta, or null.
     */
    public static JitDelta fromJson(final JsonNode o)
    {
        if (null == o || !o.isObject())
        {
            return null;
        }
        return new JitDelta(o.path(FIELDS[0]).asLong(-1), o.path(FIELDS[1]).asLong(-1), o.path(FIELDS[2]).asLong(-1));
    }

    private static void put(final ObjectNode o, final String name, final long value)
    {
        if (value < 0)
        {
            o.putNull(name);
        }
        else
        {
            o.put(name, value);
        }
    }

    private static long difference(final long later, final long earlier)
    {
        return later < 0 || earlier < 0 ? -1 : later - earlier;
    }

    private static long sum(final long a, final long b)
    {
        return a < 0 && b < 0 ? -1 : Math.max(0, a) + Math.max(0, b);
    }
}
