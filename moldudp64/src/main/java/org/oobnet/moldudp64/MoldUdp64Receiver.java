package org.oobnet.moldudp64;

import org.agrona.DirectBuffer;

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
 * {@link #PARKED_PER_LINE} packets past a gap (copied), re-offered when the gap closes, so that a line read ahead of
 * the others does not turn their fills into gaps and a request answer (one packet) closes a gap without the line's
 * later packets being asked for again; further packets past a gap are discarded: their messages come again from
 * another line or in the retransmission, which asks for every message up to the highest sequence seen that is
 * neither delivered nor parked.
 * <p>
 * This class sequences and delivers; its parts each keep one job: {@link ParkedPackets} (what came past the gap),
 * {@link RetransmissionRequests} (the requests for the gap's holes), {@link GapRevealers} (which line revealed what
 * is missing, for its counters) and {@link SessionIds} (the session followed and the one left).
 * <p>
 * <b>Note:</b> not thread safe; one thread (the stage) calls everything. Allocation-free after construction.
 */
public final class MoldUdp64Receiver
{
    /** Packets each downstream line may hold past a gap (copies). */
    public static final int PARKED_PER_LINE = ParkedPackets.PER_LINE;
    /** The room of each parked slot but a line's first (which takes the largest UDP payload): an Ethernet MTU's. */
    public static final int PARKED_SLOT_BYTES = ParkedPackets.SLOT_BYTES;

    private final MoldUdp64ReceiverConfig config;
    private final MoldUdp64Handler handler;
    private final DownstreamPacketParser parser;
    private final MoldUdp64LineCounters[] lines;
    private final MoldUdp64FeedCounters feed = new MoldUdp64FeedCounters();
    private final MoldUdp64DropCounters parseOutcomes = new MoldUdp64DropCounters();
    private final long[] lineNext;
    private final int retransmissionLine;
    private final SessionIds session = new SessionIds();
    private final ParkedPackets parked;
    private final GapRevealers revealers;
    private final RetransmissionRequests requests;

    private long nextSequence;
    private long highestSeen;
    private long endSequence = -1;
    private boolean endReported;

    private boolean gapOpen;
    private long gapDeadlineNs;

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
        this.parser = new DownstreamPacketParser(parseOutcomes);
        this.retransmissionLine = config.lineCount();
        this.lines = new MoldUdp64LineCounters[config.lineCount() + 1];
        for (int i = 0; i < lines.length; i++)
        {
            lines[i] = new MoldUdp64LineCounters();
        }
        this.lineNext = new long[lines.length];
        this.parked = new ParkedPackets(lines.length);
        this.revealers = new GapRevealers(retransmissionLine);
        this.requests = new RetransmissionRequests(config, requestSender, session, parked, revealers, feed, lines);
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
            revealers.revealed(highestSeen, line);
        }
        if (end > highestSeen)
        {
            highestSeen = end;
            requests.onHighestSeenGrew();
        }
        int delivered = 0;
        if (sequence > nextSequence)
        {
            // a line read ahead of the others (it lost a packet, or came first out of a backlog): hold its packets
            // until the gap closes rather than make the other line's fill, or the request server's answer, a gap of
            // its own
            if (count > 0 && parked.park(line, buffer, offset, length, sequence, end, rxTimestampNs))
            {
                counters.parked++;
                if (line == retransmissionLine)
                {
                    requests.onAnswer(sequence, end, nowNs);
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
                requests.onAnswer(sequence, end, nowNs); // before delivery moves the requests on
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
            requests.onProgress(nextSequence);
        }
        return delivered;
    }

    // Re-offers parked packets the progress reached, until none is; a downstream line's parked packet is its own
    // line's next, so what it delivers is a win but not a fill; an answer's is a fill.
    private int unpark()
    {
        final ParkedPackets parked = this.parked;
        int delivered = 0;
        boolean progress = true;
        while (progress)
        {
            progress = false;
            for (int line = 0; line <= retransmissionLine; line++)
            {
                for (int slot = parked.reached(line, ParkedPackets.firstSlot(line), nextSequence); slot >= 0;
                    slot = parked.reached(line, slot + 1, nextSequence))
                {
                    final DownstreamPacketParser packet = parked.take(slot);
                    final long nextBefore = nextSequence;
                    delivered += deliver(packet, line, parked.packet(slot), parked.rxTimestampNs(slot),
                        line == retransmissionLine ? Long.MAX_VALUE : 0);
                    progress |= nextSequence != nextBefore;
                }
            }
        }
        return delivered;
    }

    // Gives up [nextSequence, highestSeen): each hole (messages no packet parked here carries) is reported lost on
    // its own, and the packets parked past it are delivered before the next hole is.
    private void giveUpKnownGap()
    {
        requests.cancelAll();
        gapOpen = false;
        while (nextSequence < highestSeen)
        {
            final long holeEnd = Math.min(highestSeen, parked.nextStart(nextSequence));
            if (holeEnd > nextSequence)
            {
                reportLost(holeEnd - nextSequence);
                nextSequence = holeEnd;
            }
            unpark();
        }
        requests.cancelAll();
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
        if (requests.isFirstExhausted(nowNs))
        {
            // the gap's first range got no answer: give the whole known gap up, as later answers cannot be delivered
            // before it; only its holes are lost, what is parked between them is delivered
            giveUpKnownGap();
            openGapIfAny(nowNs);
            reportEndIfReached();
            return 1;
        }
        return requests.poll(nowNs, nextSequence, highestSeen);
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
        if (session.isCurrent(header))
        {
            return true;
        }
        // a retransmission never changes the session, nor does a late copy of the session we left
        if ((session.isKnown() && line == retransmissionLine) || session.isRetired(header))
        {
            counters.staleSession++;
            return false;
        }
        if (session.isKnown())
        {
            if (!endReported && highestSeen > nextSequence)
            {
                // the old session's holes are lost; what was parked between them is still its data
                giveUpKnownGap();
            }
            parked.discardAll(lines);
            feed.sessionChanges++;
        }
        session.take(header);
        final long first = config.firstSequence();
        nextSequence = 0 == first ? sequence : (feed.sessionChanges > 0 ? MoldUdp64Descriptor.FIRST_SEQUENCE : first);
        highestSeen = nextSequence;
        endSequence = -1;
        endReported = false;
        gapOpen = false;
        requests.cancelAll();
        revealers.clear();
        for (int i = 0; i < lineNext.length; i++)
        {
            lineNext[i] = 0;
        }
        handler.onSession(session.current(), 0, nextSequence);
        return true;
    }

    private void openGapIfAny(final long nowNs)
    {
        if (highestSeen <= nextSequence)
        {
            gapOpen = false;
            requests.cancelAll();
            parked.clearRanges();
            revealers.clear();
        }
        else
        {
            revealers.forgetBefore(nextSequence);
            parked.forgetRangesBefore(nextSequence);
            if (!gapOpen)
            {
                gapOpen = true;
                gapDeadlineNs = nowNs + config.gapFillWindowNs();
            }
        }
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
            final long partEnd = revealers.partEnd(from, end);
            lines[revealers.lineOf(from)].lost += partEnd - from;
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
