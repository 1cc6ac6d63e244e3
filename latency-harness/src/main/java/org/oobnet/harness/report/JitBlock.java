package org.oobnet.harness.report;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A row's JIT evidence: what each side's JVM compiled inside the client's measured phase ({@link JitDelta}), as
 * {@code summary.json}'s {@code jit} block and a text line under the row. On a machine without a spare CPU a JVM's
 * compiler threads run on the other side's stage CPU, so every millisecond here is taken from that stage.
 * <p>
 * JSON: {@code "jit": {"client": {"compile_ms", "compiles", "cpu_ms"}|null, "reflector": {...}|null}}; the block is null when
 * no side reported (a floor row, a row without a stage). <b>Note:</b> immutable, thread safe.
 *
 * @param client    the measuring JVM's work, null when it did not report.
 * @param reflector the reflecting JVM's work over the same phase, null when it did not report.
 */
public record JitBlock(JitDelta client, JitDelta reflector)
{
    /**
     * @param a a row's block of some rounds, or null.
     * @param b the same row's block of other rounds, or null.
     * @return both summed side by side, or the one that is not null.
     */
    public static JitBlock merge(final JitBlock a, final JitBlock b)
    {
        if (a == null || b == null)
        {
            return a == null ? b : a;
        }
        return new JitBlock(plus(a.client, b.client), plus(a.reflector, b.reflector));
    }

    /**
     * @param reflectorJit the reflector's delta, or null.
     * @return this block with it.
     */
    public JitBlock withReflector(final JitDelta reflectorJit)
    {
        return new JitBlock(client, reflectorJit);
    }

    /**
     * @param block a row's block, or null.
     * @return its JSON, or a JSON null.
     */
    public static JsonNode toJson(final JitBlock block)
    {
        if (block == null)
        {
            return JsonNodeFactory.instance.nullNode();
        }
        final ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("client", null == block.client ? JsonNodeFactory.instance.nullNode() : block.client.toJson());
        o.set("reflector", null == block.reflector ? JsonNodeFactory.instance.nullNode() : block.reflector.toJson());
        return o;
    }

    /**
     * @param o what {@link #toJson} wrote, or null/missing.
     * @return the block, or null.
     */
    public static JitBlock fromJson(final JsonNode o)
    {
        if (null == o || !o.isObject())
        {
            return null;
        }
        return new JitBlock(JitDelta.fromJson(o.get("client")), JitDelta.fromJson(o.get("reflector")));
    }

    /**
     * @param block  a row's block, or null.
     * @param indent what each line starts with.
     * @return {@code jit in measured phase: client <n> compiles, <ms> ms compiling, <ms> ms compiler CPU, reflector ...}
     *         ({@code ?}
     *         for a figure a JVM lacks, {@code -} for a side that did not report); none for null.
     */
    public static List<String> lines(final JitBlock block, final String indent)
    {
        final List<String> lines = new ArrayList<>();
        if (block != null)
        {
            lines.add(indent + "jit in measured phase: client " + describe(block.client) + ", reflector " +
                describe(block.reflector));
        }
        return lines;
    }

    private static String describe(final JitDelta d)
    {
        if (d == null)
        {
            return "-";
        }
        return figure(d.compiles()) + " compiles, " + figure(d.compileMs()) + " ms compiling, " + figure(d.cpuMs()) +
            " ms compiler CPU";
    }

    private static String figure(final long value)
    {
        return value < 0 ? "?" : Long.toString(value);
    }

    private static JitDelta plus(final JitDelta a, final JitDelta b)
    {
        return a == null ? b : a.plus(b);
    }
}
