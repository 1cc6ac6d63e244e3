package org.oobnet.example.seqmsg;

/**
 * The receiver's view of one stream: the next sequence to deliver, and the range asked for again. Pure logic,
 * no I/O: {@link SeqMsgEndpoint} sends the NAKs it asks for.
 * <p>
 * Recovery is go-back-N: a message beyond the next expected one is dropped and everything from the expected one
 * up to it is asked for (a NAK), extended as later messages arrive, repeated after {@code nakRetryNs} while the
 * gap stays open. Retransmissions come in order, so delivery is in order, each message once. A sender whose
 * history lost the start of the range answers UNAVAILABLE: the tracker then skips to what the sender still has and
 * counts the gap as unrecoverable.
 * <b>Note:</b> stage only; allocation-free.
 */
public final class GapTracker
{
    /** {@link #onData}: deliver the message. */
    public static final int DELIVER = 0;
    /** {@link #onData}: already delivered, drop it. */
    public static final int DUPLICATE = 1;
    /** {@link #onData}: beyond a gap, drop it ({@link #nakFrom()}..{@link #nakTo()} may need asking). */
    public static final int OUT_OF_ORDER = 2;

    private final long nakRetryNs;
    private final SeqMsgCounters counters;
    private long expected = 1;
    private long requestedTo;
    private long nakDeadlineNs;
    private long nakFrom;
    private long nakTo;
    private long lastNakFrom;
    private long lastNakTo;

    /**
     * @param nakRetryNs how long a NAK waits for its retransmissions before it is sent again.
     * @param counters   where to count.
     */
    public GapTracker(final long nakRetryNs, final SeqMsgCounters counters)
    {
        this.nakRetryNs = nakRetryNs;
        this.counters = counters;
    }

    /**
     * A DATA or RETRANSMIT message arrived.
     *
     * @param sequence its sequence.
     * @param nowNs    the cycle's clock.
     * @return {@link #DELIVER}, {@link #DUPLICATE}, or {@link #OUT_OF_ORDER} (then {@link #takeNak} says what to
     * ask for).
     */
    public int onData(final long sequence, final long nowNs)
    {
        if (sequence < expected)
        {
            counters.increment(SeqMsgCounter.DUPLICATES);
            return DUPLICATE;
        }
        if (sequence == expected)
        {
            expected++;
            return DELIVER;
        }
        counters.increment(SeqMsgCounter.OUT_OF_ORDER_DROPPED);
        if (request(sequence, nowNs))
        {
            counters.increment(SeqMsgCounter.GAPS_DETECTED);
        }
        return OUT_OF_ORDER;
    }

    /**
     * The message just {@link #DELIVER delivered} could not be taken (the socket's receive ring was full): expect it
     * again. The next message shows the gap and it is asked for like a lost one.
     *
     * @param sequence the sequence {@link #onData} just delivered.
     */
    public void rewind(final long sequence)
    {
        if (sequence == expected - 1)
        {
            expected = sequence;
        }
    }

    /**
     * A HEARTBEAT arrived: the sender's highest sequence so far.
     *
     * @param highest the sender's highest sequence.
     * @param nowNs   the cycle's clock.
     */
    public void onHeartbeat(final long highest, final long nowNs)
    {
        if (highest >= expected && request(highest, nowNs))
        {
            counters.increment(SeqMsgCounter.TAIL_GAPS_DETECTED);
        }
    }

    /**
     * An UNAVAILABLE arrived: the sender holds nothing older than {@code oldest}.
     *
     * @param oldest the oldest sequence the sender still holds.
     */
    public void onUnavailable(final long oldest)
    {
        if (oldest > expected)
        {
            counters.increment(SeqMsgCounter.UNRECOVERABLE_GAPS);
            counters.add(SeqMsgCounter.MESSAGES_LOST, oldest - expected);
            expected = oldest;
        }
    }

    /**
     * The retry timer: a gap still open past its deadline asks for the whole range again.
     *
     * @param nowNs the cycle's clock.
     */
    public void onTimer(final long nowNs)
    {
        if (isGapOpen() && nakFrom == 0 && nowNs - nakDeadlineNs >= 0)
        {
            nakFrom = expected;
            nakTo = requestedTo;
            nakDeadlineNs = nowNs + nakRetryNs;
            counters.increment(SeqMsgCounter.NAK_RETRIES);
        }
    }

    /**
     * @return true when a NAK is to be sent ({@link #nakFrom()}..{@link #nakTo()}); clears the request.
     */
    public boolean takeNak()
    {
        if (0 == nakFrom)
        {
            return false;
        }
        lastNakFrom = nakFrom;
        lastNakTo = nakTo;
        nakFrom = 0;
        nakTo = 0;
        return true;
    }

    /** @return the first sequence of the NAK {@link #takeNak} just took. */
    public long nakFrom()
    {
        return lastNakFrom;
    }

    /** @return the last sequence of the NAK {@link #takeNak} just took. */
    public long nakTo()
    {
        return lastNakTo;
    }

    /** @return the next sequence to deliver. */
    public long expected()
    {
        return expected;
    }

    /** @return true while some sequence from {@link #expected()} on has been asked for and not yet received. */
    public boolean isGapOpen()
    {
        return expected <= requestedTo;
    }

    // ask for everything up to `to` not asked for yet; true when this opened a new gap
    private boolean request(final long to, final long nowNs)
    {
        if (to <= requestedTo)
        {
            return false;
        }
        final boolean opened = !isGapOpen();
        final long from = opened ? expected : requestedTo + 1;
        nakFrom = 0 == nakFrom ? from : Math.min(nakFrom, from);
        nakTo = to;
        requestedTo = to;
        nakDeadlineNs = nowNs + nakRetryNs;
        return opened;
    }
}
