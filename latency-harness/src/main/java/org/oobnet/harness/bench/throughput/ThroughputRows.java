package org.oobnet.harness.bench.throughput;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
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
     * One round's row from what its children printed.
     *
     * @param label   the row.
     * @param size    payload bytes per frame.
     * @param sent    the sender's fields ({@code SENT} from a stage child, {@code BLASTED} from the C program).
     * @param counted the receiver's fields ({@code COUNTED}).
     * @return the row's totals: sent, received, drops, elapsed, cycles and where the time went.
     */
    public static ObjectNode of(final String label, final int size, final Map<String, String> sent,
        final Map<String, String> counted)
    {
        final long elapsedNs = Long.parseLong(sent.get("elapsed_ns"));
        final ObjectNode row = new ObjectMapper().createObjectNode();
        row.put("label", label);
        row.put("size", size);
        row.put("sent", Long.parseLong(sent.get("sent")));
        row.put("send_failures", Long.parseLong(sent.getOrDefault("failed", "0")));
        row.put("received", Long.parseLong(counted.get("received")));
        row.put("receiver_drops", Long.parseLong(counted.get("drops")));
        row.put("elapsed_ns", elapsedNs);
        if (sent.containsKey("cycles"))
        {
            // stage row: the cycle is the task's fill plus everything outside it, almost all of it the one kick
            final long fillNs = Long.parseLong(sent.get("fill_ns"));
            row.put("cycles", Long.parseLong(sent.get("cycles")));
            row.put("ring_full_cycles", Long.parseLong(sent.get("ring_full_cycles")));
            row.put("fill_ns", fillNs);
            row.put("kernel_ns", elapsedNs - fillNs);
        }
        else
        {
            // C row: the time inside sendmmsg(2)
            row.put("cycles", Long.parseLong(sent.get("calls")));
            row.put("ring_full_cycles", 0L);
            row.put("fill_ns", elapsedNs - Long.parseLong(sent.get("syscall_ns")));
            row.put("kernel_ns", Long.parseLong(sent.get("syscall_ns")));
        }
        return row;
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
