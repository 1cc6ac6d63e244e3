package org.oobnet.harness.bench.throughput;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The arithmetic of {@code oobnet latency throughput}'s rows: the fields a child prints, and the rates derived from
 * a row's totals (the JSON fields {@code frames_per_s}, {@code received_per_s}, {@code frames_per_kick}, ...).
 * <p>
 * <b>Note:</b> stateless.
 */
public final class ThroughputRows
{
    // the totals a row adds up over rounds; the rest are derived from them
    private static final String[] SUMMED = {"sent", "send_failures", "received", "receiver_drops", "elapsed_ns",
        "cycles", "ring_full_cycles", "fill_ns", "kernel_ns"};

    private ThroughputRows()
    {
    }

    /**
     * @param a a row's totals so far, added to.
     * @param b one more round's.
     * @return {@code a}.
     */
    public static ObjectNode sum(final ObjectNode a, final ObjectNode b)
    {
        for (final String field : SUMMED)
        {
            a.put(field, a.get(field).asLong() + b.get(field).asLong());
        }
        return a;
    }

    /**
     * @param row a row with {@code sent} and {@code elapsed_ns}.
     * @return its frames per second.
     */
    public static double rate(final ObjectNode row)
    {
        return row.get("sent").asLong() * 1e9 / row.get("elapsed_ns").asLong();
    }

    /**
     * Adds the per-second and per-frame figures of a row's totals.
     *
     * @param row the row, with its totals.
     */
    public static void derive(final ObjectNode row)
    {
        final long frames = Math.max(1, row.get("sent").asLong());
        final long elapsedNs = row.get("elapsed_ns").asLong();
        row.put("unaccounted", row.get("sent").asLong() - row.get("received").asLong() -
            row.get("receiver_drops").asLong());
        row.put("frames_per_s", rate(row));
        row.put("received_per_s", row.get("received").asLong() * 1e9 / elapsedNs);
        row.put("frames_per_kick", (double)frames / Math.max(1, row.get("cycles").asLong()));
        row.put("fill_ns_per_frame", row.get("fill_ns").asDouble() / frames);
        row.put("kernel_ns_per_frame", row.get("kernel_ns").asDouble() / frames);
    }

    /**
     * @param line  a {@code NAME k=v k=v ...} line a child printed.
     * @param into  where its fields go.
     */
    public static void fields(final String line, final Map<String, String> into)
    {
        for (final String field : line.substring(line.indexOf(' ') + 1).trim().split(" "))
        {
            final int eq = field.indexOf('=');
            if (eq > 0)
            {
                into.put(field.substring(0, eq), field.substring(eq + 1));
            }
        }
    }
}
