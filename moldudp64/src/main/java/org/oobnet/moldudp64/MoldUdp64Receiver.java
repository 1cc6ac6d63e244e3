package org.oobnet.moldudp64;

import java.util.Arrays;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static org.oobnet.moldudp64.MoldUdp64Descriptor.HEADER_LENGTH;
import static org.oobnet.moldudp64.MoldUdp64Descriptor.SESSION_LENGTH;

/**
 * A MoldUDP64 receiver over N downstream lines carrying the same packets (A/B arbitration) and one
 * retransmission channel: delivers every message of the session once, in sequence order, from whichever copy
 * arrives first; waits {@code gapFillWindowNs} for another line to fill a gap; then asks the request server for
 * the gap's holes (what no line brought), pipelined: up to {@code maxOutstandingRequests} disjoint ranges at once,
 * each message once, each range with its own timeout doubling up to a cap, asked again only after that timeout or
 * when its answer was capped; after {@code maxRequestAttempts} without progress on the gap's first range it
 * reports the gap lost and moves on.
 * <p>
 * Pure logic: packets and the clock come in as arguments ({@link #onPacket}, {@link #poll}), requests leave
 * through a {@link MoldUdp64RequestSender}, so the same object runs on the stage, in-band, or in a unit test.
 * Each line, the retransmission channel too (the answers to later ranges come before the first's), may park
 * {@link #PARKED_PER_LINE} packets past a gap (copied), re-offered when the gap closes, so that a line read ahead of the others does not turn their fills into gaps and a request answer (one
 * packet) closes a gap without the line's later packets being asked for again; further packets past a gap are
 * discarded: their messages come again from another line or in the retransmission, which asks for every
 * message up to the highest sequence seen that is neither delivered nor parked.
 * <p>
 * <b>Note:</b> not thread safe; one thread (the stage) calls everything. Allocation-free after construction.
 */
public final class MoldUdp64Receiver
{
    /** Packets each downstream line may hold past a gap (copies). */
    public static final int PARKED_PER_LINE = 256;
    /** The room of each parked slot but a line's first (which takes the largest UDP payload): an Ethernet MTU's. */
    public static final int PARKED_SLOT_BYTES = 2048;
    // parts of a gap whose revealing line is kept; past them a new part counts on the last one's line
    private static final int REVEALS = 64;

    private final MoldUdp64ReceiverConfig config;
    private final MoldUdp64Handler handler;
    private final MoldUdp64RequestSender requestSender;
    private final DownstreamPacketParser parser;
    private final DownstreamPacketBuilder requestBuilder = new DownstreamPacketBuilder();
    private final MoldUdp64LineCounters[] lines;
    private final MoldUdp64FeedCounters feed = new MoldUdp64FeedCounters();
    private final MoldUdp64DropCounters parseOutcomes = new MoldUdp64DropCounters();
    private final long[] lineNext;
    private final int retransmissionLine;
    private final DownstreamPacketParser reparser = new DownstreamPacketParser(new MoldUdp64DropCounters());
    // slot (line * PARKED_PER_LINE + i): a copy of a packet that came past a gap, re-offered when the gap closes
    private final UnsafeBuffer[] parked;
    private final int[] parkedLength;
    private final long[] parkedRxTimestampNs;
    private final int[] parkedCount;
    private final long[] parkedSequence;
    // the sequence numbers the parked packets hold (all past nextSequence): the gap's holes are what lies between
    private final SequenceRanges parkedRanges;

    private final UnsafeBuffer session = new UnsafeBuffer(new byte[SESSION_LENGTH]);
    private final UnsafeBuffer retiredSession = new UnsafeBuffer(new byte[SESSION_LENGTH]);
    private final UnsafeBuffer requestBuffer = new UnsafeBuffer(new byte[HEADER_LENGTH]);
    private boolean sessionKnown;
    private boolean retiredKnown;

    private long nextSequence;
    private long highestSeen;
    private long endSequence = -1;
    private boolean endReported;

    private boolean gapOpen;
    private long gapDeadlineNs;
    // which line revealed each part of the known gap (its packet came past the highest sequence seen): a sequence
    // belongs to the last entry starting at or before it; requests and lost messages are counted on that line
    private final long[] revealStart = new long[REVEALS];
    private final int[] revealLine = new int[REVEALS];
    private int reveals;
    // the outstanding requests, one slot each: [from, end) asked for and not answered yet, its deadline, timeout and
    // attempts. The ranges are disjoint, each within one hole when it went out; requestUnanswered: it went out and
    // no answer came since, so sending it again is a re-request
    private final boolean[] requestActive;
    private final long[] requestFrom;
    private final long[] requestEnd;
    private final long[] requestDeadlineNs;
    private final long[] requestTimeoutNs;
    private final int[] requestAttempts;
    private final boolean[] requestUnanswered;
    // a hole may lack a request: the highest sequence seen grew, a slot freed, or a range was cut short
    private boolean holesToRequest;

    /**
     * A receiver. In-band: allocates everything it will use.
     *
     * @param config        arbitration and recovery settings.
     * @param handler       where messages, lost ranges and session events go.
     * @param requestSender where retransmission requests go.
     */
    public MoldUdp64Receiver(
        final MoldUdp64ReceiverConfig config, final MoldUdp64Handler handler, final MoldUdp64RequestSender requestSender)
    {
        this.config = config;
        this.handler = handler;
        this.requestSender = requestSender;
        this.parser = new DownstreamPacketParser(parseOutcomes);
        this.retransmissionLine = config.lineCount();
        this.lines = new MoldUdp64LineCounters[config.lineCount() + 1];
        for (int i = 0; i < lines.length; i++)
        {
            lines[i] = new MoldUdp64LineCounters();
        }
        this.lineNext = new long[lines.length];
        this.parked = new UnsafeBuffer[lines.length * PARKED_PER_LINE];
        for (int i = 0; i < parked.length; i++)
        {
            parked[i] = new UnsafeBuffer(new byte[0 == i % PARKED_PER_LINE ?
                MoldUdp64Descriptor.MAX_PACKET_LENGTH : PARKED_SLOT_BYTES]);
        }
        this.parkedSequence = new long[parked.length];
        this.parkedLength = new int[parked.length];
        this.parkedRxTimestampNs = new long[parked.length];
        this.parkedCount = new int[lines.length];
        // each range holds at least one parked packet
        this.parkedRanges = new SequenceRanges(parked.length + 1);
        final int outstanding = config.maxOutstandingRequests();
        this.requestActive = new boolean[outstanding];
        this.requestFrom = new long[outstanding];
        this.requestEnd = new long[outstanding];
        this.requestDeadlineNs = new long[outstanding];
        this.requestTimeoutNs = new long[outstanding];
        this.requestAttempts = new int[outstanding];
        this.requestUnanswered = new boolean[outstanding];
    }

    /**
     * How many downstream lines; also the line index of the retransmission channel.
     *
     * @return the downstream line count.
     */
    public int lineCount()
    {
        return retransmissionLine;
    }

    /**
     * One packet from a line. Stage (or the receiving thread).
     *
     * @param line          0 to {@code lineCount - 1} for a downstream line, {@link #lineCount()} for a
     *                      retransmission from the request server.
     * @param buffer        the packet's buffer (the RX frame).
     * @param offset        where the packet (the UDP payload) starts.
     * @param length        its length.
     * @param rxTimestampNs the packet's receive timestamp, handed on with each of its messages.
     * @param nowNs         the clock, for gap and request deadlines.
     * @return messages delivered from this packet.
     */
    public int onPacket(
        final int line,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long rxTimestampNs,
        final long nowNs)
    {
        final MoldUdp64LineCounters counters = lines[line];
        final DownstreamPacketParser parser = this.parser;
        final MoldUdp64DropReason reason = parser.parse(buffer, offset, length);
        counters.drops.increment(reason);
        if (MoldUdp64DropReason.NONE != reason)
        {
            return 0;
        }
        if (!takeSession(line, counters, parser.header(), parser.sequence()))
        {
            return 0;
        }

        final long sequence = parser.sequence();
        final int count = parser.messageCount();
        final long end = sequence + count;
        counters.packets++;
        counters.messages += count;
        if (parser.isHeartbeat())
        {
            counters.heartbeats++;
        }
        if (line != retransmissionLine)
        {
            if (0 != lineNext[line] && sequence > lineNext[line])
            {
                counters.gaps++;
            }
            lineNext[line] = Math.max(lineNext[line], end);
        }
        if (parser.isEndOfSession() && endSequence < 0)
        {
            endSequence = sequence;
        }

        final long seenBefore = highestSeen;
        if (sequence > highestSeen)
        {
            revealed(highestSeen, line);
        }
        if (end > highestSeen)
        {
            highestSeen = end;
            holesToRequest = true;
        }
        int delivered = 0;
        if (sequence > nextSequence)
        {
            final int slot = count > 0 ? freeSlot(line, length) : -1;
            if (slot >= 0)
            {
                // a line read ahead of the others (it lost a packet, or came first out of a backlog): hold its
                // packets until the gap closes rather than make the other line's fill, or the request server's
                // answer, a gap of its own
                parked[slot].putBytes(0, buffer, offset, length);
                parkedLength[slot] = length;
                parkedSequence[slot] = sequence;
                parkedRxTimestampNs[slot] = rxTimestampNs;
                parkedCount[line]++;
                parkedRanges.add(sequence, end);
                counters.parked++;
                if (line == retransmissionLine)
                {
                    onAnswer(sequence, end, nowNs);
                }
            }
            else
            {
                counters.ahead += count;
            }
        }
        else
        {
            if (line == retransmissionLine && count > 0)
            {
                onAnswer(sequence, end, nowNs); // before delivery moves the requests on
            }
            delivered = deliver(parser, line, buffer, rxTimestampNs, seenBefore);
            if (delivered > 0)
            {
                delivered += unpark();
            }
        }
        openGapIfAny(nowNs);
        reportEndIfReached();
        return delivered;
    }

    // The packet in `parser` starts at or before nextSequence: delivers its new messages, counts the rest.
    private int deliver(
        final DownstreamPacketParser parser,
        final int line,
        final DirectBuffer buffer,
        final long rxTimestampNs,
        final long seenBefore)
    {
        final MoldUdp64LineCounters counters = lines[line];
        final long nextSequenceBefore = nextSequence;
        final long end = parser.sequence() + parser.messageCount();
        counters.duplicates += Math.max(0, Math.min(end, nextSequence) - parser.sequence());
        int delivered = 0;
        while (parser.nextMessage())
        {
            final long messageSequence = parser.messageSequence();
            if (messageSequence == nextSequence)
            {
                handler.onMessage(messageSequence, buffer, parser.messageOffset(), parser.messageLength(),
                    line, rxTimestampNs);
                nextSequence++;
                delivered++;
                if (messageSequence < seenBefore)
                {
                    counters.filled++;
                }
            }
        }
        counters.wins += delivered;
        feed.delivered += delivered;
        if (nextSequence != nextSequenceBefore)
        {
            onProgress();
        }
        return delivered;
    }

    // Re-offers parked packets the progress reached, until none is; a downstream line's parked packet is its own
    // line's next, so what it delivers is a win but not a fill; an answer's is a fill.
    private int unpark()
    {
        int delivered = 0;
        boolean progress = true;
        while (progress)
        {
            progress = false;
            for (int line = 0; line <= retransmissionLine; line++)
            {
                if (0 == parkedCount[line])
                {
                    continue;
                }
                for (int slot = line * PARKED_PER_LINE, last = slot + PARKED_PER_LINE; slot < last; slot++)
                {
                    final int length = parkedLength[slot];
                    if (0 == length || parkedSequence[slot] > nextSequence)
                    {
                        continue;
                    }
                    reparser.parse(parked[slot], 0, length);
                    parkedLength[slot] = 0;
                    parkedCount[line]--;
                    final long nextBefore = nextSequence;
                    delivered += deliver(reparser, line, parked[slot], parkedRxTimestampNs[slot],
                        line == retransmissionLine ? Long.MAX_VALUE : 0);
                    progress |= nextSequence != nextBefore;
                }
            }
        }
        return delivered;
    }

    private int freeSlot(final int line, final int length)
    {
        if (parkedCount[line] == PARKED_PER_LINE)
        {
            return -1;
        }
        for (int slot = line * PARKED_PER_LINE, last = slot + PARKED_PER_LINE; slot < last; slot++)
        {
            if (0 == parkedLength[slot] && parked[slot].capacity() >= length)
            {
                return slot;
            }
        }
        return -1;
    }

    // Session change: what was parked belongs to the old session.
    private void discardParked()
    {
        for (int slot = 0; slot < parked.length; slot++)
        {
            if (0 != parkedLength[slot])
            {
                reparser.parse(parked[slot], 0, parkedLength[slot]);
                lines[slot / PARKED_PER_LINE].ahead += reparser.messageCount();
                parkedLength[slot] = 0;
            }
        }
        Arrays.fill(parkedCount, 0);
        parkedRanges.clear();
    }

    // An answer (a retransmitted packet, delivered or parked) covered [sequence, end): a request whose range it
    // starts is answered. When the answer ends before the range does (the server caps an answer at one packet), the
    // rest is still missing: asked for at once, back-off reset. Called before the answer's delivery moves the
    // requests on, so that a delivered answer is told from a line's fill.
    private void onAnswer(final long sequence, final long end, final long nowNs)
    {
        for (int i = 0; i < requestActive.length; i++)
        {
            if (requestActive[i] && sequence <= requestFrom[i] && end > requestFrom[i])
            {
                requestFrom[i] = end;
                requestUnanswered[i] = false;
                if (requestFrom[i] >= requestEnd[i])
                {
                    retireRequest(i);
                }
                else
                {
                    resetBackOff(i);
                    requestDeadlineNs[i] = nowNs;
                }
            }
        }
    }

    private void resetBackOff(final int request)
    {
        requestAttempts[request] = 0;
        requestTimeoutNs[request] = config.requestTimeoutNs();
    }

    // The slot is free: what it asked for was delivered, parked or given up.
    private void retireRequest(final int request)
    {
        requestActive[request] = false;
        holesToRequest = true;
    }

    // The outstanding request with the lowest range (the gap's first), or -1.
    private int firstRequest()
    {
        int first = -1;
        for (int i = 0; i < requestActive.length; i++)
        {
            if (requestActive[i] && (first < 0 || requestFrom[i] < requestFrom[first]))
            {
                first = i;
            }
        }
        return first;
    }

    // Gives up [nextSequence, highestSeen): each hole (messages no packet parked here carries) is reported lost on
    // its own, and the packets parked past it are delivered before the next hole is.
    private void giveUpKnownGap()
    {
        cancelRequests();
        gapOpen = false;
        while (nextSequence < highestSeen)
        {
            final long holeEnd = Math.min(highestSeen, parkedRanges.nextStart(nextSequence));
            if (holeEnd > nextSequence)
            {
                reportLost(holeEnd - nextSequence);
                nextSequence = holeEnd;
            }
            unpark();
        }
        cancelRequests();
    }

    private void cancelRequests()
    {
        Arrays.fill(requestActive, false);
        holesToRequest = true;
    }

    // Sends the request in the slot (again: it timed out, or its answer was capped), first cut to what is still
    // missing: from its first message not delivered or parked to the end of that hole, never into another request's
    // range, at most maxRequestCount; a range cut short leaves the rest to a free slot. Returns 1 when it went out
    // (or the sender refused it), 0 when its range was filled meanwhile and the slot freed.
    private int sendRequest(final int request, final long nowNs)
    {
        final long from = parkedRanges.firstAbsent(Math.max(requestFrom[request], nextSequence));
        if (from >= requestEnd[request])
        {
            retireRequest(request);
            return 0;
        }
        final long end = requestRangeEnd(request, from);
        if (end < requestEnd[request])
        {
            holesToRequest = true;
        }
        requestFrom[request] = from;
        requestEnd[request] = end;
        final int count = (int)(end - from);
        final int length = requestBuilder.request(requestBuffer, 0, session, 0, from, count);
        if (requestSender.sendRequest(requestBuffer, 0, length))
        {
            final MoldUdp64LineCounters revealer = lines[revealLine(revealEntry(from))];
            feed.requests++;
            feed.requestedMessages += count;
            revealer.requests++;
            if (requestUnanswered[request])
            {
                feed.requestRetries++;
                feed.rerequestedMessages += count;
                revealer.rerequests++;
            }
            requestUnanswered[request] = true;
        }
        else
        {
            feed.requestsUnsent++;
        }
        requestAttempts[request]++;
        requestDeadlineNs[request] = nowNs + requestTimeoutNs[request];
        requestTimeoutNs[request] = Math.min(requestTimeoutNs[request] << 1, config.maxRequestTimeoutNs());
        return 1;
    }

    // Where the request in the slot ends when it asks from `from` (a missing message): at the end of its hole (the
    // next parked packet, or the highest sequence seen), before the next outstanding range, after maxRequestCount.
    private long requestRangeEnd(final int request, final long from)
    {
        long end = Math.min(Math.min(from + config.maxRequestCount(), highestSeen), parkedRanges.nextStart(from));
        for (int i = 0; i < requestActive.length; i++)
        {
            if (i != request && requestActive[i] && requestFrom[i] > from && requestFrom[i] < end)
            {
                end = requestFrom[i];
            }
        }
        return end;
    }

    // Asks for the holes no outstanding request covers, lowest first, while slots are free.
    private int requestHoles(final long nowNs)
    {
        holesToRequest = false;
        int work = 0;
        long sequence = nextSequence;
        while (true)
        {
            sequence = parkedRanges.firstAbsent(sequence);
            if (sequence >= highestSeen)
            {
                return work;
            }
            final int covering = requestCovering(sequence);
            if (covering >= 0)
            {
                sequence = requestEnd[covering];
                continue;
            }
            final int slot = freeRequestSlot();
            if (slot < 0)
            {
                return work; // a slot that frees asks again
            }
            requestActive[slot] = true;
            requestFrom[slot] = sequence;
            requestEnd[slot] = sequence + 1; // sendRequest extends it over the hole
            requestUnanswered[slot] = false;
            resetBackOff(slot);
            work += sendRequest(slot, nowNs);
            sequence = requestEnd[slot];
        }
    }

    private int requestCovering(final long sequence)
    {
        for (int i = 0; i < requestActive.length; i++)
        {
            if (requestActive[i] && requestFrom[i] <= sequence && sequence < requestEnd[i])
            {
                return i;
            }
        }
        return -1;
    }

    private int freeRequestSlot()
    {
        for (int i = 0; i < requestActive.length; i++)
        {
            if (!requestActive[i])
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Time-based work: once a gap outlived the fill window, asks for each hole (messages missing from every line)
     * that no request covers, sends a request again when it timed out, and gives a gap up after the last attempt.
     * Stage, every cycle (or on a timer).
     *
     * @param nowNs the clock.
     * @return requests sent, or 1 when it gave a gap up.
     */
    public int poll(final long nowNs)
    {
        if (!gapOpen || (nowNs - gapDeadlineNs) < 0)
        {
            return 0;
        }
        final int first = firstRequest();
        if (first >= 0 && requestAttempts[first] >= config.maxRequestAttempts() &&
            (nowNs - requestDeadlineNs[first]) >= 0)
        {
            // the gap's first range got no answer: give the whole known gap up, as later answers cannot be delivered
            // before it; only its holes are lost, what is parked between them is delivered
            giveUpKnownGap();
            openGapIfAny(nowNs);
            reportEndIfReached();
            return 1;
        }
        int work = 0;
        for (int i = 0; i < requestActive.length; i++)
        {
            if (requestActive[i] && (nowNs - requestDeadlineNs[i]) >= 0 && requestAttempts[i] < config.maxRequestAttempts())
            {
                work += sendRequest(i, nowNs);
            }
        }
        if (holesToRequest)
        {
            work += requestHoles(nowNs);
        }
        return work;
    }

    /**
     * The next sequence number to be delivered.
     *
     * @return it, or 0 before any session was taken up in join mode.
     */
    public long nextSequence()
    {
        return nextSequence;
    }

    /**
     * Whether messages are missing that some packet showed exist.
     *
     * @return true while a gap is waiting for a line or the request server.
     */
    public boolean hasGap()
    {
        return gapOpen;
    }

    /**
     * One line's counters.
     *
     * @param line a downstream line's index, or {@link #lineCount()} for the retransmission channel.
     * @return its counters.
     */
    public MoldUdp64LineCounters line(final int line)
    {
        return lines[line];
    }

    /**
     * The session-wide counters.
     *
     * @return them.
     */
    public MoldUdp64FeedCounters feed()
    {
        return feed;
    }

    // Takes up the packet's session if it is the first or a new one; false when the packet must be dropped.
    private boolean takeSession(
        final int line,
        final MoldUdp64LineCounters counters,
        final MoldUdp64HeaderFlyweight header,
        final long sequence)
    {
        if (sessionKnown && header.sessionEquals(session, 0))
        {
            return true;
        }
        // a retransmission never changes the session, nor does a late copy of the session we left
        if ((sessionKnown && line == retransmissionLine) || (retiredKnown && header.sessionEquals(retiredSession, 0)))
        {
            counters.staleSession++;
            return false;
        }
        if (sessionKnown)
        {
            if (!endReported && highestSeen > nextSequence)
            {
                // the old session's holes are lost; what was parked between them is still its data
                giveUpKnownGap();
            }
            discardParked();
            retiredSession.putBytes(0, session, 0, SESSION_LENGTH);
            retiredKnown = true;
            feed.sessionChanges++;
        }
        header.getSession(session, 0);
        sessionKnown = true;
        final long first = config.firstSequence();
        nextSequence = 0 == first ? sequence : (feed.sessionChanges > 0 ? MoldUdp64Descriptor.FIRST_SEQUENCE : first);
        highestSeen = nextSequence;
        endSequence = -1;
        endReported = false;
        gapOpen = false;
        cancelRequests();
        reveals = 0;
        for (int i = 0; i < lineNext.length; i++)
        {
            lineNext[i] = 0;
        }
        handler.onSession(session, 0, nextSequence);
        return true;
    }

    // Delivery moved on: requests it covered are done; one it reached asks from nextSequence and starts its back-off
    // again, with its deadline kept (its answer may still come: asking again now would ask twice).
    private void onProgress()
    {
        for (int i = 0; i < requestActive.length; i++)
        {
            if (!requestActive[i])
            {
                continue;
            }
            if (requestEnd[i] <= nextSequence)
            {
                retireRequest(i);
            }
            else if (requestFrom[i] <= nextSequence)
            {
                requestFrom[i] = nextSequence;
                resetBackOff(i);
            }
        }
    }

    private void openGapIfAny(final long nowNs)
    {
        if (highestSeen <= nextSequence)
        {
            gapOpen = false;
            cancelRequests();
            parkedRanges.clear();
            reveals = 0;
        }
        else
        {
            forgetRevealsBefore(nextSequence);
            parkedRanges.removeBefore(nextSequence);
            if (!gapOpen)
            {
                gapOpen = true;
                gapDeadlineNs = nowNs + config.gapFillWindowNs();
            }
        }
    }

    // [from, ...) past everything seen so far was revealed by line's packet
    private void revealed(final long from, final int line)
    {
        if (reveals > 0 && revealLine[reveals - 1] == line)
        {
            return; // the same line's part goes on
        }
        if (reveals == REVEALS)
        {
            return; // counted on the last part's line
        }
        revealStart[reveals] = from;
        revealLine[reveals] = line;
        reveals++;
    }

    // drops the parts wholly before sequence (delivered or lost)
    private void forgetRevealsBefore(final long sequence)
    {
        int drop = 0;
        while (drop + 1 < reveals && revealStart[drop + 1] <= sequence)
        {
            drop++;
        }
        if (drop > 0)
        {
            System.arraycopy(revealStart, drop, revealStart, 0, reveals - drop);
            System.arraycopy(revealLine, drop, revealLine, 0, reveals - drop);
            reveals -= drop;
        }
    }

    // the part sequence belongs to, or -1 when no line revealed it (a session's missing start in join mode)
    private int revealEntry(final long sequence)
    {
        int entry = -1;
        for (int i = 0; i < reveals && revealStart[i] <= sequence; i++)
        {
            entry = i;
        }
        return entry < 0 && reveals > 0 ? 0 : entry;
    }

    private int revealLine(final int entry)
    {
        return entry < 0 ? retransmissionLine : revealLine[entry];
    }

    private void reportLost(final long count)
    {
        feed.lost += count;
        feed.lostRanges++;
        // each part of the range on the line that revealed it
        long from = nextSequence;
        final long end = nextSequence + count;
        while (from < end)
        {
            final int entry = revealEntry(from);
            final long partEnd = entry >= 0 && entry + 1 < reveals ? Math.min(end, revealStart[entry + 1]) : end;
            lines[revealLine(entry)].lost += partEnd - from;
            from = partEnd;
        }
        handler.onLost(nextSequence, count);
    }

    private void reportEndIfReached()
    {
        if (!endReported && endSequence >= 0 && nextSequence >= endSequence)
        {
            endReported = true;
            feed.endsOfSession++;
            handler.onEndOfSession(endSequence);
        }
    }
}
