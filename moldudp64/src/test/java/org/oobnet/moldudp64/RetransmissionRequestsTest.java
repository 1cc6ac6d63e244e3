package org.oobnet.moldudp64;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetransmissionRequestsTest
{
    private static final long MS = 1_000_000L;
    private static final int LINES = 2;
    private static final int RETRANSMISSION_LINE = LINES;

    private final List<String> sent = new ArrayList<>();
    private final RequestPacketParser requestParser = new RequestPacketParser(new MoldUdp64DropCounters());
    private final MoldUdp64FeedCounters feed = new MoldUdp64FeedCounters();
    private final MoldUdp64LineCounters[] lines = new MoldUdp64LineCounters[LINES + 1];
    private final ParkedPackets parked = new ParkedPackets(LINES + 1);
    private final GapRevealers revealers = new GapRevealers(RETRANSMISSION_LINE);

    private boolean recordRequest(final DirectBuffer buffer, final int offset, final int length)
    {
        assertEquals(MoldUdp64DropReason.NONE, requestParser.parse(buffer, offset, length));
        sent.add("[" + requestParser.sequence() + "+" + requestParser.count() + "]");
        return true;
    }

    // requests timing out after 10 ms, doubling up to 40 ms, 3 attempts, at most `maxRequestCount` messages each
    private RetransmissionRequests requests(final int maxRequestCount, final int maxOutstanding)
    {
        for (int i = 0; i < lines.length; i++)
        {
            lines[i] = new MoldUdp64LineCounters();
        }
        final MoldUdp64ReceiverConfig config =
            new MoldUdp64ReceiverConfig(LINES, 1, 0, 10 * MS, 40 * MS, 3, maxRequestCount, maxOutstanding);
        return new RetransmissionRequests(config, this::recordRequest, new SessionIds(), parked, revealers, feed, lines);
    }

    private void park(final int line, final long sequence, final int count)
    {
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[256]);
        final DownstreamPacketBuilder builder = new DownstreamPacketBuilder()
            .start(packet, 0, packet.capacity(), new UnsafeBuffer(new byte[MoldUdp64Descriptor.SESSION_LENGTH]), 0,
                sequence);
        for (int i = 0; i < count; i++)
        {
            assertTrue(builder.tryAppend(packet, 0, 1));
        }
        assertTrue(parked.park(line, packet, 0, builder.length(), sequence, sequence + count, 0));
    }

    @Test
    void shouldAskOnlyForTheHolesInRangesUpToTheCapWhileSlotsAreFree()
    {
        final RetransmissionRequests requests = requests(5, 2);
        park(0, 14, 2);
        revealers.revealed(10, 1);
        requests.onHighestSeenGrew();

        assertEquals(2, requests.poll(0, 10, 30));

        assertEquals(List.of("[10+4]", "[16+5]"), sent, "the hole up to the parked packet, then the cap; two slots");
        assertEquals(2, feed.requests());
        assertEquals(9, feed.requestedMessages());
        assertEquals(2, lines[1].requests(), "counted on the line that revealed the gap");
        assertEquals(0, lines[0].requests());
        assertEquals(0, requests.poll(5 * MS, 10, 30), "nothing timed out, no slot free");

        requests.onAnswer(10, 14, 6 * MS);
        requests.onProgress(16); // the answer, then the parked packet, delivered
        assertEquals(1, requests.poll(6 * MS, 16, 30), "the freed slot asks for the next hole");
        assertEquals(List.of("[10+4]", "[16+5]", "[21+5]"), sent);
        assertEquals(0, feed.requestRetries());
    }

    @Test
    void shouldAskARangeAgainOnlyAfterItsTimeoutDoublingUpToTheCapWhenNoAnswerComes()
    {
        final RetransmissionRequests requests = requests(5, 1);
        revealers.revealed(10, 0);
        requests.onHighestSeenGrew();
        assertEquals(1, requests.poll(0, 10, 12));

        assertEquals(0, requests.poll(10 * MS - 1, 10, 12), "first timeout 10 ms");
        assertEquals(1, requests.poll(10 * MS, 10, 12));
        assertEquals(0, requests.poll(30 * MS - 1, 10, 12), "then 20 ms");
        assertEquals(1, requests.poll(30 * MS, 10, 12));
        assertEquals(List.of("[10+2]", "[10+2]", "[10+2]"), sent);
        assertEquals(2, feed.requestRetries());
        assertEquals(4, feed.rerequestedMessages());
        assertEquals(2, lines[0].rerequests());

        assertFalse(requests.isFirstExhausted(70 * MS - 1), "the last attempt's timeout, 40 ms (the cap), runs");
        assertTrue(requests.isFirstExhausted(70 * MS));
        assertEquals(0, requests.poll(70 * MS, 10, 12), "no fourth attempt");
    }

    @Test
    void shouldAskTheRestAtOnceWithoutCountingARetryWhenAnAnswerWasCapped()
    {
        final RetransmissionRequests requests = requests(10, 1);
        requests.onHighestSeenGrew();
        assertEquals(1, requests.poll(0, 10, 20));

        requests.onAnswer(10, 13, MS);
        requests.onProgress(13);

        assertEquals(1, requests.poll(MS, 13, 20), "the rest of the range at once, before its timeout");
        assertEquals(List.of("[10+10]", "[13+7]"), sent);
        assertEquals(0, feed.requestRetries(), "an answered range asked on is not a re-request");
        assertEquals(2, lines[RETRANSMISSION_LINE].requests(), "no line revealed it: the retransmission channel's");
    }

    @Test
    void shouldFreeTheSlotWithoutAskingAgainWhenALineFilledTheRange()
    {
        final RetransmissionRequests requests = requests(10, 1);
        requests.onHighestSeenGrew();
        assertEquals(1, requests.poll(0, 10, 12));

        requests.onProgress(12);

        assertFalse(requests.isFirstExhausted(Long.MAX_VALUE / 2), "no request is outstanding");
        assertEquals(0, requests.poll(100 * MS, 12, 12));
        assertEquals(List.of("[10+2]"), sent);
    }
}
