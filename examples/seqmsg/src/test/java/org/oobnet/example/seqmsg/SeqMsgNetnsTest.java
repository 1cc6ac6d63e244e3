package org.oobnet.example.seqmsg;

import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.oobnet.inband.KSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * seqmsg between two network namespaces joined by veth: in-order delivery, loss at the sender recovered by NAK and
 * retransmission, loss at the tail revealed by heartbeats, and a gap older than the history counted as lost.
 */
class SeqMsgNetnsTest
{
    private static final long TIMEOUT_NS = 20_000_000_000L;

    @Test
    void shouldDeliverEveryMessageInOrderWhenNothingIsLost() throws Exception
    {
        try (SeqMsgTestBed bed = new SeqMsgTestBed(SeqMsgConfig.defaults()))
        {
            bed.send(0, 2000, 200, TIMEOUT_NS);
            bed.awaitReceived(2000, TIMEOUT_NS);

            assertEquals(range(0, 2000), bed.received);
            assertEquals(2000, bed.publisherCount(SeqMsgCounter.MESSAGES_SENT));
            assertEquals(2000, bed.subscriberCount(SeqMsgCounter.MESSAGES_DELIVERED));
            assertEquals(0, bed.subscriberCount(SeqMsgCounter.GAPS_DETECTED));
            assertEquals(0, bed.subscriberCount(SeqMsgCounter.NAKS_SENT));
            assertEquals(2001, KSocket.installedOobHooks().oobIoctl(
                bed.subscriberSocket, SeqMsgProtocol.SEQMSG_IOC_NEXT_EXPECTED, 0), "next expected sequence");
        }
    }

    @Test
    void shouldRecoverEveryMessageInOrderWhenEverySeventhIsLostAtTheSender() throws Exception
    {
        try (SeqMsgTestBed bed = new SeqMsgTestBed(SeqMsgConfig.defaults().withLossHook(SeqMsgLossHook.everyKth(7))))
        {
            bed.send(0, 700, 100, TIMEOUT_NS);
            bed.awaitReceived(700, TIMEOUT_NS);

            assertEquals(range(0, 700), bed.received, "in order, each once, the lost ones retransmitted");
            assertEquals(100, bed.publisherCount(SeqMsgCounter.LOSS_INJECTED));
            assertTrue(bed.subscriberCount(SeqMsgCounter.GAPS_DETECTED) > 0, "gaps detected");
            assertTrue(bed.subscriberCount(SeqMsgCounter.NAKS_SENT) > 0, "NAKs sent");
            assertTrue(bed.publisherCount(SeqMsgCounter.NAKS_RECEIVED) > 0, "NAKs received");
            assertTrue(bed.publisherCount(SeqMsgCounter.RETRANSMITS_SENT) >= 100, "each lost message retransmitted");
            assertEquals(0, bed.subscriberCount(SeqMsgCounter.UNRECOVERABLE_GAPS));
        }
    }

    @Test
    void shouldRecoverTailLossWhenHeartbeatRevealsIt() throws Exception
    {
        // the last message of the burst is lost: no later message shows the gap, only the heartbeat does
        try (SeqMsgTestBed bed = new SeqMsgTestBed(SeqMsgConfig.defaults().withLossHook(sequence -> sequence == 10)))
        {
            bed.send(0, 10, 0, TIMEOUT_NS);
            bed.awaitReceived(10, TIMEOUT_NS);

            assertEquals(range(0, 10), bed.received);
            assertEquals(0, bed.subscriberCount(SeqMsgCounter.GAPS_DETECTED), "no later message revealed it");
            assertEquals(1, bed.subscriberCount(SeqMsgCounter.TAIL_GAPS_DETECTED), "the heartbeat did");
            assertTrue(bed.publisherCount(SeqMsgCounter.HEARTBEATS_SENT) > 0);
            assertTrue(bed.publisherCount(SeqMsgCounter.RETRANSMITS_SENT) >= 1);
        }
    }

    @Test
    void shouldCountUnrecoverableGapWhenHistoryNoLongerHoldsLostMessages() throws Exception
    {
        // history of 8; messages 2..20 lost: the NAK comes when message 21 arrives, when 2..13 are overwritten
        final SeqMsgConfig config = SeqMsgConfig.defaults()
            .withHistoryCapacity(8)
            .withLossHook(sequence -> sequence >= 2 && sequence <= 20);
        try (SeqMsgTestBed bed = new SeqMsgTestBed(config))
        {
            bed.send(0, 30, 0, TIMEOUT_NS);
            final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
            while (bed.received.isEmpty() || bed.received.get(bed.received.size() - 1) != 29)
            {
                bed.awaitReceived(bed.received.size() + 1, deadlineNs - System.nanoTime());
            }

            final List<Long> received = bed.received;
            assertEquals(0L, received.get(0));
            final long firstAfterGap = received.get(1);
            assertTrue(firstAfterGap >= 13, "2..13 (indices 1..12) are gone for good: " + received);
            assertEquals(range(firstAfterGap, 30), received.subList(1, received.size()), "in order after the gap");
            assertTrue(bed.subscriberCount(SeqMsgCounter.UNRECOVERABLE_GAPS) >= 1, "unrecoverable gap counted");
            assertEquals(30, received.size() + bed.subscriberCount(SeqMsgCounter.MESSAGES_LOST),
                "every message delivered or counted lost");
            assertTrue(bed.publisherCount(SeqMsgCounter.UNAVAILABLE_SENT) >= 1);
        }
    }

    @Test
    void shouldAskAgainInsteadOfLosingWhenReceiveRingOverflows() throws Exception
    {
        // a 1 KiB receive ring holds about 25 messages: the consumer reads only after all 300 were sent
        try (SeqMsgTestBed bed = new SeqMsgTestBed(SeqMsgConfig.defaults(), 1024))
        {
            bed.send(0, 300, 0, TIMEOUT_NS);
            bed.awaitReceived(300, TIMEOUT_NS);

            assertEquals(range(0, 300), bed.received, "in order, each once, nothing lost to the full ring");
            assertTrue(bed.subscriberCount(SeqMsgCounter.RECEIVE_RING_FULL) > 0, "the ring did overflow");
            assertTrue(bed.publisherCount(SeqMsgCounter.RETRANSMITS_SENT) > 0, "what it refused was sent again");
            assertEquals(0, bed.subscriberCount(SeqMsgCounter.UNRECOVERABLE_GAPS));
        }
    }

    private static List<Long> range(final long from, final long to)
    {
        return LongStream.range(from, to).boxed().toList();
    }
}
