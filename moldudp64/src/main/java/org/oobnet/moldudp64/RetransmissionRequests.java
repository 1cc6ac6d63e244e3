package org.oobnet.moldudp64;

import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;

import static org.oobnet.moldudp64.MoldUdp64Descriptor.HEADER_LENGTH;

/**
 * A {@link MoldUdp64Receiver}'s requests to the request server for its gap's holes (what no line brought and nothing
 * parked holds): up to {@code maxOutstandingRequests} disjoint ranges at once, each message asked once, each range with
 * its own timeout doubling up to a cap, asked again only after that timeout or when its answer was capped. Counts
 * each request on the feed and on the line that revealed what it asks for.
 * <p>
 * The receiver owns the sequencing; it passes its next sequence and highest sequence seen in.
 * <p>
 * <b>Note:</b> not thread safe; the receiver's thread only. Allocation-free after construction.
 */
final class RetransmissionRequests
{
    private final MoldUdp64ReceiverConfig config;
    private final MoldUdp64RequestSender requestSender;
    private final SessionIds session;
    private final ParkedPackets parked;
    private final GapRevealers revealers;
    private final MoldUdp64FeedCounters feed;
    private final MoldUdp64LineCounters[] lines;
    private final DownstreamPacketBuilder requestBuilder = new DownstreamPacketBuilder();
    private final UnsafeBuffer requestBuffer = new UnsafeBuffer(new byte[HEADER_LENGTH]);
    // one slot per outstanding request: [from, end) asked for and not answered yet, its deadline, timeout and
    // attempts. The ranges are disjoint, each within one hole when it went out; unanswered: it went out and no answer
    // came since, so sending it again is a re-request
    private final boolean[] active;
    private final long[] from;
    private final long[] end;
    private final long[] deadlineNs;
    private final long[] timeoutNs;
    private final int[] attempts;
    private final boolean[] unanswered;
    // a hole may lack a request: the highest sequence seen grew, a slot freed, or a range was cut short
    private boolean holesToRequest;

    /**
     * No request outstanding. In-band: allocates every slot.
     *
     * @param config        the request limits and timeouts.
     * @param requestSender where requests go.
     * @param session       the session the requests ask in.
     * @param parked        what is held past the gap: never asked for.
     * @param revealers     which line revealed each part of the gap: each request is counted on it.
     * @param feed          the feed's counters.
     * @param lines         each line's counters, by line index.
     */
    RetransmissionRequests(
        final MoldUdp64ReceiverConfig config,
        final MoldUdp64RequestSender requestSender,
        final SessionIds session,
        final ParkedPackets parked,
        final GapRevealers revealers,
        final MoldUdp64FeedCounters feed,
        final MoldUdp64LineCounters[] lines)
    {
        this.config = config;
        this.requestSender = requestSender;
        this.session = session;
        this.parked = parked;
        this.revealers = revealers;
        this.feed = feed;
        this.lines = lines;
        final int outstanding = config.maxOutstandingRequests();
        this.active = new boolean[outstanding];
        this.from = new long[outstanding];
        this.end = new long[outstanding];
        this.deadlineNs = new long[outstanding];
        this.timeoutNs = new long[outstanding];
        this.attempts = new int[outstanding];
        this.unanswered = new boolean[outstanding];
    }

    /** The highest sequence seen grew: its new hole lacks a request. */
    void onHighestSeenGrew()
    {
        holesToRequest = true;
    }

    /**
     * An answer (a retransmitted packet, delivered or parked) covered {@code [sequence, answerEnd)}: a request whose
     * range it starts is answered. When the answer ends before the range does (the server caps an answer at one
     * packet), the rest is still missing: asked for at once, back-off reset. Called before the answer's delivery
     * moves the requests on, so that a delivered answer is told from a line's fill.
     *
     * @param sequence  the answer's first sequence.
     * @param answerEnd one past its last.
     * @param nowNs     the clock.
     */
    void onAnswer(final long sequence, final long answerEnd, final long nowNs)
    {
        for (int i = 0; i < active.length; i++)
        {
            if (active[i] && sequence <= from[i] && answerEnd > from[i])
            {
                from[i] = answerEnd;
                unanswered[i] = false;
                if (from[i] >= end[i])
                {
                    retire(i);
                }
                else
                {
                    resetBackOff(i);
                    deadlineNs[i] = nowNs;
                }
            }
        }
    }

    /**
     * Delivery moved on: requests it covered are done; one it reached asks from {@code nextSequence} and starts its
     * back-off again, with its deadline kept (its answer may still come: asking again now would ask twice).
     *
     * @param nextSequence the receiver's next sequence.
     */
    void onProgress(final long nextSequence)
    {
        for (int i = 0; i < active.length; i++)
        {
            if (!active[i])
            {
                continue;
            }
            if (end[i] <= nextSequence)
            {
                retire(i);
            }
            else if (from[i] <= nextSequence)
            {
                from[i] = nextSequence;
                resetBackOff(i);
            }
        }
    }

    /** Drops every request: the gap was given up or closed, or the session changed. */
    void cancelAll()
    {
        Arrays.fill(active, false);
        holesToRequest = true;
    }

    /**
     * Whether the gap's first range (the lowest outstanding) used its last attempt and timed out: the gap is lost.
     *
     * @param nowNs the clock.
     * @return true to give the gap up.
     */
    boolean isFirstExhausted(final long nowNs)
    {
        final int first = firstRequest();
        return first >= 0 && attempts[first] >= config.maxRequestAttempts() && (nowNs - deadlineNs[first]) >= 0;
    }

    /**
     * Sends each request again that timed out and has attempts left, then asks for the holes no request covers.
     * The gap outlived its fill window.
     *
     * @param nowNs        the clock.
     * @param nextSequence the receiver's next sequence.
     * @param highestSeen  one past the highest sequence any packet showed.
     * @return requests sent.
     */
    int poll(final long nowNs, final long nextSequence, final long highestSeen)
    {
        int work = 0;
        for (int i = 0; i < active.length; i++)
        {
            if (active[i] && (nowNs - deadlineNs[i]) >= 0 && attempts[i] < config.maxRequestAttempts())
            {
                work += send(i, nowNs, nextSequence, highestSeen);
            }
        }
        if (holesToRequest)
        {
            work += requestHoles(nowNs, nextSequence, highestSeen);
        }
        return work;
    }

    private void resetBackOff(final int request)
    {
        attempts[request] = 0;
        timeoutNs[request] = config.requestTimeoutNs();
    }

    // The slot is free: what it asked for was delivered, parked or given up.
    private void retire(final int request)
    {
        active[request] = false;
        holesToRequest = true;
    }

    // The outstanding request with the lowest range (the gap's first), or -1.
    private int firstRequest()
    {
        int first = -1;
        for (int i = 0; i < active.length; i++)
        {
            if (active[i] && (first < 0 || from[i] < from[first]))
            {
                first = i;
            }
        }
        return first;
    }

    // Sends the request in the slot (again: it timed out, or its answer was capped), first cut to what is still
    // missing: from its first message not delivered or parked to the end of that hole, never into another request's
    // range, at most maxRequestCount; a range cut short leaves the rest to a free slot. Returns 1 when it went out
    // (or the sender refused it), 0 when its range was filled meanwhile and the slot freed.
    private int send(final int request, final long nowNs, final long nextSequence, final long highestSeen)
    {
        final long askFrom = parked.firstAbsent(Math.max(from[request], nextSequence));
        if (askFrom >= end[request])
        {
            retire(request);
            return 0;
        }
        final long askEnd = rangeEnd(request, askFrom, highestSeen);
        if (askEnd < end[request])
        {
            holesToRequest = true;
        }
        from[request] = askFrom;
        end[request] = askEnd;
        final int count = (int)(askEnd - askFrom);
        final int length = requestBuilder.request(requestBuffer, 0, session.current(), 0, askFrom, count);
        if (requestSender.sendRequest(requestBuffer, 0, length))
        {
            final MoldUdp64LineCounters revealer = lines[revealers.lineOf(askFrom)];
            feed.requests++;
            feed.requestedMessages += count;
            revealer.requests++;
            if (unanswered[request])
            {
                feed.requestRetries++;
                feed.rerequestedMessages += count;
                revealer.rerequests++;
            }
            unanswered[request] = true;
        }
        else
        {
            feed.requestsUnsent++;
        }
        attempts[request]++;
        deadlineNs[request] = nowNs + timeoutNs[request];
        timeoutNs[request] = Math.min(timeoutNs[request] << 1, config.maxRequestTimeoutNs());
        return 1;
    }

    // Where the request in the slot ends when it asks from `askFrom` (a missing message): at the end of its hole (the
    // next parked packet, or the highest sequence seen), before the next outstanding range, after maxRequestCount.
    private long rangeEnd(final int request, final long askFrom, final long highestSeen)
    {
        long rangeEnd = Math.min(Math.min(askFrom + config.maxRequestCount(), highestSeen), parked.nextStart(askFrom));
        for (int i = 0; i < active.length; i++)
        {
            if (i != request && active[i] && from[i] > askFrom && from[i] < rangeEnd)
            {
                rangeEnd = from[i];
            }
        }
        return rangeEnd;
    }

    // Asks for the holes no outstanding request covers, lowest first, while slots are free.
    private int requestHoles(final long nowNs, final long nextSequence, final long highestSeen)
    {
        holesToRequest = false;
        int work = 0;
        long sequence = nextSequence;
        while (true)
        {
            sequence = parked.firstAbsent(sequence);
            if (sequence >= highestSeen)
            {
                return work;
            }
            final int covering = covering(sequence);
            if (covering >= 0)
            {
                sequence = end[covering];
                continue;
            }
            final int slot = freeSlot();
            if (slot < 0)
            {
                return work; // a slot that frees asks again
            }
            active[slot] = true;
            from[slot] = sequence;
            end[slot] = sequence + 1; // send extends it over the hole
            unanswered[slot] = false;
            resetBackOff(slot);
            work += send(slot, nowNs, nextSequence, highestSeen);
            sequence = end[slot];
        }
    }

    private int covering(final long sequence)
    {
        for (int i = 0; i < active.length; i++)
        {
            if (active[i] && from[i] <= sequence && sequence < end[i])
            {
                return i;
            }
        }
        return -1;
    }

    private int freeSlot()
    {
        for (int i = 0; i < active.length; i++)
        {
            if (!active[i])
            {
                return i;
            }
        }
        return -1;
    }
}
