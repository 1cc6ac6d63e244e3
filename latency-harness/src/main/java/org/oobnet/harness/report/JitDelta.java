package org.oobnet.harness.report;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JIT compiler's work in one JVM between two snapshots: the accumulated compile time
 * ({@code CompilationMXBean.getTotalCompilationTime()}) and the number of compiles (HotSpot's
 * {@code sun.ci.totalCompiles} counter, read through {@code sun.management} by reflection, as {@code --release}
 * compiles against the exported API only: it needs {@code --add-exports java.management/sun.management=ALL-UNNAMED}
 * ({@code JvmProfile.BASE}) and perf data, which the child JVMs have; -1 when it cannot be read). Both are counters the compiler threads keep anyway: reading them costs no thread and no
 * event stream.
 * <p>
 * A reflector prints its delta as one line, {@link #line()}, which the parent reads back with {@link #parse}.
 * <b>Note:</b> immutable; {@link #snapshot()} reads the calling JVM.
 *
 * @param compileMs the compile time, ms (-1 when the JVM does not report it).
 * @param compiles  the number of compiles (-1 when unknown).
 */
public record JitDelta(long compileMs, long compiles)
{
    /** The start of a reflector's line. */
    public static final String LINE = "JIT ";

    /**
     * @return this JVM's counters since it started.
     */
    public static JitDelta snapshot()
    {
        final CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
        final long ms = null != bean && bean.isCompilationTimeMonitoringSupported() ? bean.getTotalCompilationTime()
            : -1;
        return new JitDelta(ms, compileCount());
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
     * @param earlier a snapshot taken before this one.
     * @return the work between the two (-1 where either lacks the figure).
     */
    public JitDelta minus(final JitDelta earlier)
    {
        return new JitDelta(difference(compileMs, earlier.compileMs), difference(compiles, earlier.compiles));
    }

    /**
     * @param other another round's delta, or null.
     * @return both added (-1 stays where both lack the figure).
     */
    public JitDelta plus(final JitDelta other)
    {
        return null == other ? this : new JitDelta(sum(compileMs, other.compileMs), sum(compiles, other.compiles));
    }

    /**
     * @return {@code JIT compile_ms=<n> compiles=<n>}.
     */
    public String line()
    {
        return LINE + "compile_ms=" + compileMs + " compiles=" + compiles;
    }

    /**
     * @param line a line {@link #line()} printed.
     * @return the delta.
     * @throws IllegalArgumentException naming the line when it is not one.
     */
    public static JitDelta parse(final String line)
    {
        final String[] fields = line.startsWith(LINE) ? line.substring(LINE.length()).trim().split(" ") : new String[0];
        if (fields.length != 2 || !fields[0].startsWith("compile_ms=") || !fields[1].startsWith("compiles="))
        {
            throw new IllegalArgumentException("line=\"" + line + "\" is not JIT compile_ms=<n> compiles=<n>");
        }
        try
        {
            return new JitDelta(Long.parseLong(fields[0].substring("compile_ms=".length())),
                Long.parseLong(fields[1].substring("compiles=".length())));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("line=\"" + line + "\" is not JIT compile_ms=<n> compiles=<n>", ex);
        }
    }

    /**
     * @return {@code {"compile_ms": n, "compiles": n}}, null for a figure the JVM lacks.
     */
    public ObjectNode toJson()
    {
        final ObjectNode o = JsonNodeFactory.instance.objectNode();
        put(o, "compile_ms", compileMs);
        put(o, "compiles", compiles);
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
        return new JitDelta(o.path("compile_ms").asLong(-1), o.path("compiles").asLong(-1));
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
