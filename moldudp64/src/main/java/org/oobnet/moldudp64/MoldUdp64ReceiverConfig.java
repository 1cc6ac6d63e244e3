package org.oobnet.moldudp64;

/**
 * How a {@link MoldUdp64Receiver} arbitrates and recovers. Validated once, at construction, every problem named.
 * <p>
 * <b>Note:</b> immutable.
 *
 * @param lineCount           downstream lines carrying the same packets (A/B: 2), 1 to 8.
 * @param firstSequence       the first sequence number wanted: {@value MoldUdp64Descriptor#FIRST_SEQUENCE} asks
 *                            for the session from its start, 0 joins at the first packet seen.
 * @param gapFillWindowNs     how long a gap may wait for another line to fill it before a request goes out.
 * @param requestTimeoutNs    how long the first request waits for its answer; doubled per retry (back-off).
 * @param maxRequestTimeoutNs the longest wait between retries.
 * @param maxRequestAttempts  requests without progress before the gap is given up and reported lost.
 * @param maxRequestCount     the most messages one request asks for, 1 to 65534.
 * @param maxOutstandingRequests requests in flight at once for consecutive ranges of a gap, 1 to
 *                            {@value #MAX_OUTSTANDING_REQUESTS}, each with its own timeout and back-off.
 */
public record MoldUdp64ReceiverConfig(
    int lineCount,
    long firstSequence,
    long gapFillWindowNs,
    long requestTimeoutNs,
    long maxRequestTimeoutNs,
    int maxRequestAttempts,
    int maxRequestCount,
    int maxOutstandingRequests)
{
    /** The largest {@link #lineCount}. */
    public static final int MAX_LINES = 8;
    /** The largest {@link #maxOutstandingRequests}. */
    public static final int MAX_OUTSTANDING_REQUESTS = 64;
    /** The default {@link #maxOutstandingRequests}. */
    public static final int DEFAULT_OUTSTANDING_REQUESTS = 4;

    /**
     * Checks every field.
     *
     * @throws IllegalArgumentException naming every field that is out of range.
     */
    public MoldUdp64ReceiverConfig
    {
        final StringBuilder problems = new StringBuilder();
        check(problems, lineCount >= 1 && lineCount <= MAX_LINES, "lineCount=" + lineCount + " must be 1 to " + MAX_LINES);
        check(problems, firstSequence >= 0, "firstSequence=" + firstSequence + " must be 0 (join) or at least 1");
        check(problems, gapFillWindowNs >= 0, "gapFillWindowNs=" + gapFillWindowNs + " must not be negative");
        check(problems, requestTimeoutNs > 0, "requestTimeoutNs=" + requestTimeoutNs + " must be positive");
        check(problems, maxRequestTimeoutNs >= requestTimeoutNs,
            "maxRequestTimeoutNs=" + maxRequestTimeoutNs + " must be at least requestTimeoutNs=" + requestTimeoutNs);
        check(problems, maxRequestAttempts >= 1, "maxRequestAttempts=" + maxRequestAttempts + " must be at least 1");
        check(problems, maxRequestCount >= 1 && maxRequestCount <= MoldUdp64Descriptor.MAX_MESSAGE_COUNT,
            "maxRequestCount=" + maxRequestCount + " must be 1 to " + MoldUdp64Descriptor.MAX_MESSAGE_COUNT);
        check(problems, maxOutstandingRequests >= 1 && maxOutstandingRequests <= MAX_OUTSTANDING_REQUESTS,
            "maxOutstandingRequests=" + maxOutstandingRequests + " must be 1 to " + MAX_OUTSTANDING_REQUESTS);
        if (!problems.isEmpty())
        {
            throw new IllegalArgumentException(problems.toString());
        }
    }

    /**
     * One request outstanding at a time (no pipelining): the settings as they were before pipelining.
     *
     * @param lineCount           downstream lines.
     * @param firstSequence       the first sequence number wanted, 0 to join.
     * @param gapFillWindowNs     the other lines' time to fill a gap.
     * @param requestTimeoutNs    the first request's timeout.
     * @param maxRequestTimeoutNs the longest.
     * @param maxRequestAttempts  attempts before giving up.
     * @param maxRequestCount     messages per request at most.
     */
    public MoldUdp64ReceiverConfig(
        final int lineCount,
        final long firstSequence,
        final long gapFillWindowNs,
        final long requestTimeoutNs,
        final long maxRequestTimeoutNs,
        final int maxRequestAttempts,
        final int maxRequestCount)
    {
        this(lineCount, firstSequence, gapFillWindowNs, requestTimeoutNs, maxRequestTimeoutNs, maxRequestAttempts,
            maxRequestCount, 1);
    }

    /**
     * Defaults for {@code lineCount} lines: from the session's start, 1 ms for the other line, requests every
     * 10 ms doubling to 1 s, 8 attempts, 1000 messages per request, {@value #DEFAULT_OUTSTANDING_REQUESTS}
     * requests outstanding.
     *
     * @param lineCount downstream lines.
     * @return the configuration.
     */
    public static MoldUdp64ReceiverConfig defaults(final int lineCount)
    {
        return new MoldUdp64ReceiverConfig(lineCount, MoldUdp64Descriptor.FIRST_SEQUENCE,
            1_000_000L, 10_000_000L, 1_000_000_000L, 8, 1000, DEFAULT_OUTSTANDING_REQUESTS);
    }

    private static void check(final StringBuilder problems, final boolean ok, final String problem)
    {
        if (!ok)
        {
            problems.append(problems.isEmpty() ? "" : "; ").append(problem);
        }
    }
}
