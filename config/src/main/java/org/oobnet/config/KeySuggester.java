package org.oobnet.config;

import java.util.Collection;

/**
 * Finds the valid key nearest to a misspelt one, by edit distance with transpositions (optimal string
 * alignment): {@code stage.idle_stratgy} suggests {@code stage.idle_strategy}.
 * <p>
 * <b>Note:</b> stateless, thread safe.
 */
final class KeySuggester
{
    private KeySuggester()
    {
    }

    /**
     * The nearest candidate, if near enough to be a typo: at most a third of its length away, and at most 3 edits.
     *
     * @param given      the unknown key.
     * @param candidates valid keys.
     * @return the suggestion, or null.
     */
    static String nearest(final String given, final Collection<String> candidates)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : candidates)
        {
            final int distance = distance(given, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.min(3, Math.max(1, best.length() / 3)) ? best : null;
    }

    /**
     * Edit distance counting insertions, deletions, substitutions and swaps of neighbours as one edit each.
     *
     * @param a a string.
     * @param b another string.
     * @return the distance.
     */
    static int distance(final String a, final String b)
    {
        final int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++)
        {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++)
        {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            for (int j = 1; j <= b.length(); j++)
            {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
