package org.oobnet.harness.bench.t2t;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.oobnet.harness.report.CompareTable;
import org.oobnet.harness.report.MedianInterval;
import org.oobnet.harness.report.RunJson;

/**
 * The targets for {@code t2t-stage}'s tick-to-trade ({@code wire_ns}) over the thread baselines, and which
 * verdict is the run's. Each target's ratio is taken twice: from the merged rounds (what the wire table shows) and
 * round by round, t2t-stage's round i over the baseline's round i (the rows alternate, so the two ran side by side),
 * with the median of those ratios and its distribution-free 95 % interval ({@link MedianInterval}, as
 * {@code latency compare} judges its rows against the C floor). One slow round on a machine without isolated CPUs (a
 * kernel thread or an agent taking the trading CPU for milliseconds) moves the merged p99, and with it the merged
 * verdict; it moves the median of the rounds by one rank. So from the rounds that give an interval
 * ({@link #roundsForInterval()}, six) on, the run's verdict is the interval's (met, missed or undecided); below, the
 * merged ratios' (met or missed), reported as such.
 * <p>
 * <b>Note:</b> stateless.
 */
final class T2tTargets
{
    /** Target: the stage's wire p50 and p99 at most this many times the spinning thread's. */
    static final double TARGET_TO_SPIN = 0.75;
    /** Target: the stage's wire p50 at most this many times the blocking thread's. */
    static final double TARGET_TO_BLOCKING = 0.2;
    /** {@code verdict_from} when the rounds' median intervals decide. */
    static final String FROM_ROUNDS = "rounds_median";
    /** {@code verdict_from} when the merged ratios decide. */
    static final String FROM_MERGED = "merged";

    /** One target: t2t-stage's wire percentile at most {@code most} times a baseline row's. */
    enum Target
    {
        /** p50 over t2t-spin's. */
        P50_TO_SPIN("p50/sp", "p50_to_spin", T2tRow.SPIN, 50, TARGET_TO_SPIN),
        /** p99 over t2t-spin's. */
        P99_TO_SPIN("p99/sp", "p99_to_spin", T2tRow.SPIN, 99, TARGET_TO_SPIN),
        /** p50 over t2t-blocking's. */
        P50_TO_BLOCKING("p50/bl", "p50_to_blocking", T2tRow.BLOCKING, 50, TARGET_TO_BLOCKING);

        private final String label;
        private final String key;
        private final T2tRow base;
        private final double percentile;
        private final double most;

        Target(final String label, final String key, final T2tRow base, final double percentile, final double most)
        {
            this.label = label;
            this.key = key;
            this.base = base;
            this.percentile = percentile;
            this.most = most;
        }

        // the ratio's block in summary.json and its rounds' keys: RunJson's names for compare's ratio_to_floor
        private String group()
        {
            return base == T2tRow.SPIN ? "ratio_to_spin" : "ratio_to_blocking";
        }

        private String percentileKey()
        {
            return percentile == 50 ? "p50" : "p99";
        }
    }

    /**
     * One target over a run.
     *
     * @param target     the target.
     * @param merged     the ratio of the merged rounds, NaN when either row has no wire times.
     * @param rounds     the ratio round by round (NaN for a round where either row measured nothing).
     * @param median     the rounds' median and interval.
     * @param fromRounds whether the run's verdict is the interval's (enough rounds for one), else the merged ratio's.
     */
    record Figures(Target target, double merged, double[] rounds, MedianInterval median, boolean fromRounds)
    {
        /** @return the merged ratio's verdict: met, missed, or {@code -} without a ratio. */
        String mergedVerdict()
        {
            return Double.isNaN(merged) ? "-" : merged <= target.most ? "met" : "missed";
        }

        /** @return the rounds' median interval's verdict ({@link MedianInterval#verdict}). */
        String roundsVerdict()
        {
            return median.verdict(target.most);
        }

        /** @return the run's verdict: the interval's from enough rounds on, else the merged ratio's. */
        String verdict()
        {
            return fromRounds ? roundsVerdict() : mergedVerdict();
        }
    }

    private T2tTargets()
    {
    }

    /**
     * @return how many rounds give the median an interval at {@link MedianInterval#CONFIDENCE} (six).
     */
    static int roundsForInterval()
    {
        return MedianInterval.fewestForInterval(MedianInterval.CONFIDENCE);
    }

    /**
     * @param run a run.
     * @return each target whose rows the run has (t2t-stage and the target's baseline), in {@link Target} order;
     * empty without t2t-stage.
     */
    static List<Figures> of(final T2tRun run)
    {
        final List<Figures> figures = new ArrayList<>();
        final T2tResult stage = T2tJson.find(run.rows(), T2tRow.STAGE);
        if (stage == null)
        {
            return figures;
        }
        final List<T2tResult> stageRounds = run.roundsOf(T2tRow.STAGE);
        final boolean fromRounds = stageRounds.size() >= roundsForInterval();
        for (final Target target : Target.values())
        {
            final T2tResult base = T2tJson.find(run.rows(), target.base);
            if (base == null)
            {
                continue;
            }
            final double[] rounds = roundRatios(stageRounds, run.roundsOf(target.base), target.percentile);
            figures.add(new Figures(target, T2tJson.wireRatio(stage, base, target.percentile), rounds,
                MedianInterval.of(rounds, MedianInterval.CONFIDENCE), fromRounds));
        }
        return figures;
    }

    /**
     * @param rows       a row's rounds.
     * @param bases      the baseline row's rounds.
     * @param percentile 50 or 99.
     * @return the row's wire percentile over the baseline's, round i with round i (NaN where either measured
     * nothing); empty when the two ran a different number of rounds.
     */
    static double[] roundRatios(final List<T2tResult> rows, final List<T2tResult> bases, final double percentile)
    {
        if (rows.size() != bases.size())
        {
            return new double[0];
        }
        final double[] ratios = new double[rows.size()];
        for (int i = 0; i < ratios.length; i++)
        {
            ratios[i] = T2tJson.wireRatio(rows.get(i), bases.get(i), percentile);
        }
        return ratios;
    }

    /**
     * The targets line (the merged ratios, each with the run's verdict, and where the verdict comes from) and, from
     * two rounds on, a line per target with its ratio round by round, their median and interval, and the interval's
     * verdict (compare's round lines, with the target).
     *
     * @param run a run.
     * @return the lines; none without t2t-stage and a baseline.
     */
    static List<String> lines(final T2tRun run)
    {
        final List<Figures> figures = of(run);
        final List<String> lines = new ArrayList<>();
        if (figures.isEmpty())
        {
            return lines;
        }
        final int rounds = run.roundsOf(T2tRow.STAGE).size();
        final StringBuilder line = new StringBuilder("targets (t2t-stage):");
        for (final Figures f : figures)
        {
            line.append(String.format(Locale.ROOT, "%s %s <= %.2f %s %s", f == figures.get(0) ? "" : ",",
                f.target.label, f.target.most, Double.isNaN(f.merged) ? "-" : String.format(Locale.ROOT, "%.2f",
                f.merged), f.verdict()));
        }
        line.append(figures.get(0).fromRounds ?
            String.format(Locale.ROOT, " (ratios of the merged rounds; verdicts of the %d rounds' median intervals, " +
                "below)", rounds) :
            String.format(Locale.ROOT, " (ratios and verdicts of the merged rounds: %d round%s, %d give a median " +
                "interval)", rounds, rounds == 1 ? "" : "s", roundsForInterval()));
        lines.add(line.toString());
        if (rounds < 2)
        {
            return lines;
        }
        lines.add("t2t-stage's targets round by round (round i of each row ran beside round i of the others):");
        for (final Figures f : figures)
        {
            lines.add(String.format(Locale.ROOT, "  %s <= %.2f  %s: %s", f.target.label, f.target.most,
                CompareTable.spread(f.rounds), f.roundsVerdict()));
        }
        return lines;
    }

    /**
     * The {@code rounds} block of t2t-stage's row in {@code summary.json}: {@code count} (its rounds),
     * {@code rounds_for_interval}, {@code verdict_from} ({@code rounds_median} or {@code merged}), per baseline
     * ({@code ratio_to_spin}, {@code ratio_to_blocking}; null without that row) its {@code base} and per target
     * percentile compare's keys, {@code rounds_p50} (the ratio round by round, null for a round without one) and
     * {@code rounds_p50_median} ({@code n}, {@code median}, {@code lower}, {@code upper}, {@code coverage}, with the
     * target, {@code target}, and the interval's {@code verdict}), and {@code verdict}: the run's verdict per target
     * ({@code p50_to_spin}, {@code p99_to_spin}, {@code p50_to_blocking}; null without its baseline or a ratio).
     *
     * @param run a run.
     * @return the block, a JSON null without t2t-stage.
     */
    static JsonNode toJson(final T2tRun run)
    {
        if (T2tJson.find(run.rows(), T2tRow.STAGE) == null)
        {
            return NullNode.getInstance();
        }
        final List<Figures> figures = of(run);
        final ObjectNode o = JsonNodeFactory.instance.objectNode();
        final int rounds = run.roundsOf(T2tRow.STAGE).size();
        o.put("count", rounds);
        o.put("rounds_for_interval", roundsForInterval());
        o.put("verdict_from", rounds >= roundsForInterval() ? FROM_ROUNDS : FROM_MERGED);
        o.putNull("ratio_to_spin");
        o.putNull("ratio_to_blocking");
        final ObjectNode verdicts = JsonNodeFactory.instance.objectNode();
        for (final Target target : Target.values())
        {
            verdicts.putNull(target.key);
        }
        for (final Figures f : figures)
        {
            final ObjectNode group = o.get(f.target.group()).isObject() ? (ObjectNode)o.get(f.target.group()) :
                o.putObject(f.target.group());
            group.put("base", f.target.base.label());
            final String p = f.target.percentileKey();
            RunJson.putRoundRatios(group.putArray("rounds_" + p), f.rounds);
            RunJson.putMedian(group, "rounds_" + p + "_median", f.rounds);
            if (group.get("rounds_" + p + "_median") instanceof ObjectNode median)
            {
                median.put("target", f.target.most);
                median.put("verdict", f.roundsVerdict());
            }
            if (!Double.isNaN(f.merged) || f.fromRounds)
            {
                verdicts.put(f.target.key, f.verdict());
            }
        }
        o.set("verdict", verdicts);
        return o;
    }
}
