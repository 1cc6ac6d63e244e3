package org.oobnet.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The order-statistic interval of the median: its ranks and exact coverage from the binomial, no interval where
 * the values are too few, verdicts against a target, and its coverage checked by simulation.
 */
class MedianIntervalTest
{
    @Test
    void shouldBracketTheMedianWithTheSecondSmallestAndLargestOfTen()
    {
        // P(B <= 1) = 11/1024: coverage 1 - 22/1024; the third ranks would cover only 1 - 112/1024 < 0.95
        final MedianInterval m = MedianInterval.of(new double[]{ 10, 1, 9, 2, 8, 3, 7, 4, 6, 5 }, 0.95);
        assertEquals(10, m.n());
        assertEquals(5.5, m.median(), 1e-12);
        assertEquals(2, m.lower(), 1e-12);
        assertEquals(9, m.upper(), 1e-12);
        assertEquals(1 - 22.0 / 1024, m.coverage(), 1e-12);
    }

    @Test
    void shouldGiveNoIntervalBelowSixValuesAtNinetyFivePercent()
    {
        // five values: even min..max covers only 1 - 2/32 = 0.9375
        final MedianInterval five = MedianInterval.of(new double[]{ 1.1, 1.0, 1.3, 0.9, 1.2 }, 0.95);
        assertFalse(five.hasInterval());
        assertEquals(1.1, five.median(), 1e-12);
        assertEquals("too few rounds", five.verdict(1.05));
        final MedianInterval six = MedianInterval.of(new double[]{ 1.1, 1.0, 1.3, 0.9, 1.2, 1.4 }, 0.95);
        assertTrue(six.hasInterval());
        assertEquals(0.9, six.lower(), 1e-12);
        assertEquals(1.4, six.upper(), 1e-12);
        assertEquals(1 - 2.0 / 64, six.coverage(), 1e-12);
    }

    @Test
    void shouldJudgeATargetByWhereTheIntervalLies()
    {
        final double[] low = { 0.95, 0.97, 0.99, 1.00, 1.01, 1.02, 1.03, 1.04 };
        assertEquals("met", MedianInterval.of(low, 0.95).verdict(1.05));
        final double[] high = { 1.06, 1.08, 1.10, 1.11, 1.12, 1.20, 1.25, 1.30 };
        assertEquals("missed", MedianInterval.of(high, 0.95).verdict(1.05));
        final double[] across = { 0.81, 0.97, 1.03, 1.06, 1.10, 1.13, 1.15, 1.34 };
        assertEquals("undecided", MedianInterval.of(across, 0.95).verdict(1.05));
    }

    @Test
    void shouldCoverTheTrueMedianAtLeastAsOftenAsItSays()
    {
        // skewed values (exponential, true median ln 2), 20 a sample: the interval holds ln 2 in >= 95 % of samples
        final Random random = new Random(42);
        final double trueMedian = Math.log(2);
        int covered = 0;
        final int samples = 20_000;
        double coverage = 0;
        for (int s = 0; s < samples; s++)
        {
            final double[] values = new double[20];
            for (int i = 0; i < values.length; i++)
            {
                values[i] = -Math.log(1 - random.nextDouble());
            }
            final MedianInterval m = MedianInterval.of(values, 0.95);
            coverage = m.coverage();
            if (m.lower() <= trueMedian && trueMedian <= m.upper())
            {
                covered++;
            }
        }
        assertTrue(coverage >= 0.95, "coverage " + coverage);
        assertEquals(coverage, (double)covered / samples, 0.01);
    }

    @Test
    void shouldLeaveOutRoundsWithoutSamples()
    {
        final MedianInterval m = MedianInterval.of(new double[]{ Double.NaN, 1.2, 1.0, Double.NaN, 1.1 }, 0.95);
        assertEquals(3, m.n());
        assertEquals(1.1, m.median(), 1e-12);
        final MedianInterval none = MedianInterval.of(new double[]{ Double.NaN }, 0.95);
        assertEquals(0, none.n());
        assertTrue(Double.isNaN(none.median()));
        assertFalse(none.hasInterval());
    }

    @Test
    void shouldRefuseConfidenceOutsideZeroToOne()
    {
        assertEquals("confidence=1.0 must be in (0, 1)",
            assertThrows(IllegalArgumentException.class, () -> MedianInterval.of(new double[]{ 1 }, 1.0)).getMessage());
    }
}
