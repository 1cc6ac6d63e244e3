package org.oobnet.harness.bench.t2t;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a tick-to-trade run produced: each row merged over its rounds (what the tables and the rows of
 * {@code summary.json} show) and each row's rounds as they ran. The rows alternate, so round i of every row ran side
 * by side in time, and a target's ratio is taken round by round from rounds of the same index ({@link T2tTargets}).
 * <p>
 * <b>Note:</b> immutable once built.
 *
 * @param rows   the rows that produced a result, merged, in row order (a row that failed in any round is left out).
 * @param rounds each of those rows' results round by round, in the order the rounds ran.
 */
public record T2tRun(List<T2tResult> rows, Map<T2tRow, List<T2tResult>> rounds)
{
    /**
     * @param rows   the merged rows.
     * @param rounds each row's rounds.
     */
    public T2tRun
    {
        rows = List.copyOf(rows);
        final Map<T2tRow, List<T2tResult>> copy = new EnumMap<>(T2tRow.class);
        rounds.forEach((row, results) -> copy.put(row, List.copyOf(results)));
        rounds = Collections.unmodifiableMap(copy);
    }

    /**
     * @param row a row.
     * @return its rounds in order, empty when the run has no result for it.
     */
    List<T2tResult> roundsOf(final T2tRow row)
    {
        return rounds.getOrDefault(row, List.of());
    }
}
