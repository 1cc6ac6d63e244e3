package org.oobnet.harness.report;

import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes the header of an HdrHistogram interval log at the start of a measured phase, so that
 * HistogramLogAnalyzer places the intervals on the run's own time base.
 * <p>
 * <b>Note:</b> in-band, on the measuring thread, before the first interval is written.
 */
public final class IntervalLogHeader
{
    private IntervalLogHeader()
    {
    }

    /**
     * Writes the format version, start time, base time and legend; does nothing without a log.
     *
     * @param log the interval log, or null when the run writes none.
     */
    public static void startMeasuredPhase(final HistogramLogWriter log)
    {
        if (log != null)
        {
            final long nowMs = System.currentTimeMillis();
            log.outputLogFormatVersion();
            log.outputStartTime(nowMs);
            log.setBaseTime(nowMs);
            log.outputLegend();
        }
    }
}
