package org.oobnet.example.seqmsg;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receiver's gap logic without the wire: in order, gaps, extensions, retries, heartbeats, unrecoverable gaps.
 */
class GapTrackerTest
{
    private static final long RETRY_NS = 1_000;

    private final SeqMsgCounters counters = new SeqMsgCounters();
    private final GapTracker tracker = new GapTracker(RETRY_NS, counters);

    @Test
    void shouldDeliverInOrderAndDropDuplicatesWhenNothingIsMissing()
    {
        assertEquals(GapTracker.DELIVER, tracker.onData(1, 0));
        assertEquals(GapTracker.DELIVER, tracker.onData(2, 0));
        assertEquals(GapTracker.DUPLICATE, tracker.onData(1, 0));
        assertFalse(tracker.takeNak());
        assertEquals(3, tracker.expected());
        assertEquals(1, counters.get(SeqMsgCounter.DUPLICATES));
    }

    @Test
    void shouldAskForGapThenExtendItThenRetryWhenMessagesAreMissing()
    {
        tracker.onData(1, 0);
        assertEquals(GapTracker.OUT_OF_ORDER, tracker.onData(4, 0));
        assertTrue(tracker.takeNak());
        assertEquals(2, tracker.nakFrom());
        assertEquals(4, tracker.nakTo());

        assertEquals(GapTracker.OUT_OF_ORDER, tracker.onData(5, 10));
        assertTrue(tracker.takeNak(), "extension for the message beyond what was asked");
        assertEquals(5, tracker.nakFrom());
        assertEquals(5, tracker.nakTo());

        tracker.onTimer(10 + RETRY_NS - 1);
        assertFalse(tracker.takeNak(), "not before the retry interval");
        tracker.onTimer(10 + RETRY_NS);
        assertTrue(tracker.takeNak());
        assertEquals(2, tracker.nakFrom());
        assertEquals(5, tracker.nakTo());

        for (long s = 2; s <= 5; s++)
        {
            assertEquals(GapTracker.DELIVER, tracker.onData(s, 20));
        }
        assertFalse(tracker.isGapOpen());
        assertEquals(1, counters.get(SeqMsgCounter.GAPS_DETECTED));
        assertEquals(1, counters.get(SeqMsgCounter.NAK_RETRIES));
    }

    @Test
    void shouldAskForTailWhenHeartbeatIsAheadAndSkipWhenUnavailable()
    {
        tracker.onData(1, 0);
        tracker.onHeartbeat(1, 0);
        assertFalse(tracker.takeNak(), "heartbeat at what we have: no gap");
        tracker.onHeartbeat(9, 0);
        assertTrue(tracker.takeNak());
        assertEquals(2, tracker.nakFrom());
        assertEquals(9, tracker.nakTo());
        assertEquals(1, counters.get(SeqMsgCounter.TAIL_GAPS_DETECTED));

        tracker.onUnavailable(6);
        assertEquals(6, tracker.expected());
        assertEquals(1, counters.get(SeqMsgCounter.UNRECOVERABLE_GAPS));
        assertEquals(4, counters.get(SeqMsgCounter.MESSAGES_LOST));
        assertEquals(GapTracker.DELIVER, tracker.onData(6, 0));
    }

    @Test
    void shouldAskAgainForRewoundMessageWhenNextOneArrives()
    {
        assertEquals(GapTracker.DELIVER, tracker.onData(1, 0));
        assertEquals(GapTracker.DELIVER, tracker.onData(2, 0));
        tracker.rewind(1);
        assertEquals(3, tracker.expected(), "only the message just delivered can be rewound");
        tracker.rewind(2);
        assertEquals(2, tracker.expected());
        assertEquals(GapTracker.OUT_OF_ORDER, tracker.onData(3, 0));
        assertTrue(tracker.takeNak());
        assertEquals(2, tracker.nakFrom());
        assertEquals(3, tracker.nakTo());
    }
}
