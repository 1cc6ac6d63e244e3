package org.oobnet.harness.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.oobnet.core.counters.HopHistogram;
import org.oobnet.core.counters.HopSnapshot;
import org.oobnet.core.counters.StageHop;

/**
 * One side's hops as lines on a child process's standard output, the form both a reflector JVM and the C floor
 * program ({@code floor.c}) print them in: one {@code HOP <hop> count=N max_ns=N sum_ns=N buckets=LOWER:N,...}
 * line per hop ({@code LOWER}: a {@link HopHistogram} bucket's lower bound, ns), then {@value #DONE}.
 * <p>
 * <b>Note:</b> stateless, thread safe; a {@link Collector} is filled by one reader thread.
 */
public final class HopLines
{
    /** What a hop's line starts with. */
    public static final String HOP = "HOP ";
    /** The line after a side's last hop. */
    public static final String DONE = "HOPS done";

    private HopLines()
    {
    }

    /**
     * @param hops one reading per hop.
     * @return their lines, {@value #DONE} last.
     */
    public static List<String> format(final List<HopSnapshot> hops)
    {
        final List<String> lines = new ArrayList<>(hops.size() + 1);
        for (final HopSnapshot hop : hops)
        {
            final StringBuilder buckets = new StringBuilder();
            for (int i = 0; i < hop.counts().length; i++)
            {
                if (hop.counts()[i] != 0)
                {
                    buckets.append(buckets.isEmpty() ? "" : ",").append(HopHistogram.lowerBoundNs(i)).append(':')
                        .append(hop.counts()[i]);
                }
            }
            lines.add(String.format(Locale.ROOT, "%s%s count=%d max_ns=%d sum_ns=%d buckets=%s", HOP,
                hop.hop().label(), hop.count(), hop.maxNs(), hop.sumNs(), buckets));
        }
        lines.add(DONE);
        return lines;
    }

    /**
     * @param line a {@code HOP} line.
     * @return its reading.
     * @throws IllegalArgumentException naming what is wrong with the line.
     */
    public static HopSnapshot parse(final String line)
    {
        final String[] fields = line.substring(HOP.length()).trim().split(" ");
        final StageHop hop = fields.length == 5 ? StageHop.of(fields[0]) : null;
        if (hop == null)
        {
            throw new IllegalArgumentException("hop line=\"" + line + "\" is not HOP <hop> count=N max_ns=N " +
                "sum_ns=N buckets=LOWER:N,... with a known hop");
        }
        final long[] counts = new long[HopHistogram.BUCKETS];
        final String buckets = value(line, fields[4], "buckets");
        if (!buckets.isEmpty())
        {
            for (final String bucket : buckets.split(","))
            {
                final int colon = bucket.indexOf(':');
                if (colon < 0)
                {
                    throw new IllegalArgumentException("hop line=\"" + line + "\": bucket=" + bucket +
                        " is not LOWER:N");
                }
                counts[HopHistogram.bucketIndex(number(line, bucket.substring(0, colon)))] +=
                    number(line, bucket.substring(colon + 1));
            }
        }
        return new HopSnapshot(hop, counts, number(line, value(line, fields[1], "count")),
            number(line, value(line, fields[2], "max_ns")), number(line, value(line, fields[3], "sum_ns")));
    }

    private static String value(final String line, final String field, final String key)
    {
        if (!field.startsWith(key + "="))
        {
            throw new IllegalArgumentException("hop line=\"" + line + "\": expected " + key + "= at " + field);
        }
        return field.substring(key.length() + 1);
    }

    private static long number(final String line, final String text)
    {
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("hop line=\"" + line + "\": " + text + " is not a number", ex);
        }
    }

    /**
     * Collects one side's {@code HOP} lines until {@value #DONE}; every {@link StageHop} the side did not print is
     * an empty reading, and a side that printed none has no hops (an empty list).
     * <b>Note:</b> {@link #accept} from the one thread reading the side's output; {@link #await} from another.
     */
    public static final class Collector
    {
        private final Map<StageHop, HopSnapshot> read = new EnumMap<>(StageHop.class);
        private final CompletableFuture<List<HopSnapshot>> done = new CompletableFuture<>();

        /**
         * @param line a line of the side's standard output (other lines are ignored).
         */
        public void accept(final String line)
        {
            if (line.startsWith(HOP))
            {
                try
                {
                    final HopSnapshot hop = parse(line);
                    read.put(hop.hop(), hop);
                }
                catch (final IllegalArgumentException ex)
                {
                    done.completeExceptionally(ex);
                }
            }
            else if (line.equals(DONE) && read.isEmpty())
            {
                // the side records no hops (-Doobnet.hops=false)
                done.complete(List.of());
            }
            else if (line.equals(DONE))
            {
                final List<HopSnapshot> hops = new ArrayList<>();
                for (final StageHop hop : StageHop.values())
                {
                    hops.add(read.getOrDefault(hop, new HopSnapshot(hop, new long[HopHistogram.BUCKETS], 0, 0, 0)));
                }
                done.complete(hops);
            }
        }

        /**
         * @param timeoutNs how long to wait for {@value #DONE}.
         * @return the side's hops.
         * @throws IllegalStateException naming why there are none (timeout, or a malformed line).
         */
        public List<HopSnapshot> await(final long timeoutNs)
        {
            try
            {
                return done.get(timeoutNs, TimeUnit.NANOSECONDS);
            }
            catch (final TimeoutException ex)
            {
                throw new IllegalStateException("no " + DONE + " line within " +
                    TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms", ex);
            }
            catch (final ExecutionException ex)
            {
                throw new IllegalStateException(ex.getCause().getMessage(), ex.getCause());
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the hops", ex);
            }
        }

        /**
         * Like {@link #await}, but a side's missing hops do not fail the row: they are left out and said so.
         *
         * @param timeoutNs how long to wait for {@value #DONE}.
         * @param out       where the line saying why goes.
         * @param what      the side, for that line ({@code "udp-packet's reflector"}).
         * @return the side's hops, or none.
         */
        public List<HopSnapshot> awaitOrSay(final long timeoutNs, final PrintStream out, final String what)
        {
            try
            {
                return await(timeoutNs);
            }
            catch (final IllegalStateException ex)
            {
                out.println("oobnet: " + what + "'s hops are left out: " + ex.getMessage());
                return List.of();
            }
        }

        /**
         * @return whether {@value #DONE} (or a malformed line) has been read.
         */
        public boolean isDone()
        {
            return done.isDone();
        }
    }
}
