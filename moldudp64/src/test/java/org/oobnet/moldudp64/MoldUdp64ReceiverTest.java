package org.oobnet.moldudp64;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.inband.testing.SteadyStateAllocation;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MoldUdp64ReceiverTest
{
    private static final long MS = 1_000_000L;

    private final FeedBook book = new FeedBook();
    private final List<long[]> requests = new ArrayList<>();
    private final RequestPacketParser requestParser = new RequestPacketParser(new MoldUdp64DropCounters());
    private boolean requestSenderWorks = true;

    private final MoldUdp64RequestSender recordingSender = this::recordRequest;

    private boolean recordRequest(final DirectBuffer buffer, final int offset, final int length)
    {
        assertEquals(MoldUdp64DropReason.NONE, requestParser.parse(buffer, offset, length));
        requests.add(new long[]{ requestParser.sequence(), requestParser.count() });
        return requestSenderWorks;
    }

    private static int deliver(final MoldUdp64Receiver receiver, final int line, final byte[] packet, final long nowNs)
    {
        return receiver.onPacket(line, new UnsafeBuffer(packet), 0, packet.length, nowNs, nowNs);
    }

    private static void assertLineBooks(final MoldUdp64Receiver receiver)
    {
        for (int line = 0; line <= receiver.lineCount(); line++)
        {
            final MoldUdp64LineCounters counters = receiver.line(line);
            assertEquals(counters.messages(), counters.wins() + counters.duplicates() + counters.ahead(),
                "line " + line + ": messages = wins + duplicates + ahead");
        }
    }

    @Test
    void shouldFillFromTheOtherLineWithoutRequestWhenOneLineLosesAPacket()
    {
        final SimulatedFeed feed = new SimulatedFeed("AB", 6, 2, new Random(1));
        final MoldUdp64Receiver receiver = new MoldUdp64Receiver(MoldUdp64ReceiverConfig.defaults(2), book, recordingSender);
        final List<byte[]> packets = feed.packets;
        long now = 0;
        deliver(receiver, 0, packets.get(0), now);
        deliver(receiver, 1, packets.get(0), now);
        // line A lost packet 1; its packet 2 comes before B's packet 1
        deliver(receiver, 0, packets.get(2), now += 10_000);
        assertTrue(receiver.hasGap());
        deliver(receiver, 1, packets.get(1), now += 10_000);
        deliver(receiver, 1, packets.get(2), now += 10_000);
        for (int i = 3; i < packets.size(); i++)
        {
            deliver(receiver, 0, packets.get(i), now += 10_000);
            deliver(receiver, 1, packets.get(i), now += 10_000);
        }
        deliver(receiver, 0, feed.endOfSession(), now);
        receiver.poll(now + 100 * MS);

        book.assertExact(7, "A/B fill");
        assertEquals(0, requests.size(), "no request: the other line filled the gap");
        assertEquals(1, receiver.line(0).gaps());
        assertEquals(0, receiver.line(1).gaps());
        final int packet1 = new UnsafeBuffer(packets.get(1)).getShort(18, ByteOrder.BIG_ENDIAN);
        final int packet2 = new UnsafeBuffer(packets.get(2)).getShort(18, ByteOrder.BIG_ENDIAN);
        assertEquals(packet1, receiver.line(1).filled(), "B filled A's gap");
        assertEquals(1, receiver.line(0).parked(), "A's packet past its gap waited for the fill");
        assertEquals(0, receiver.line(0).ahead());
        assertEquals(6 - packet1, receiver.line(0).wins(), "A's parked packet won over B's copy, and A won the rest");
        assertEquals(6 - packet1, receiver.line(1).duplicates());
        assertEquals(0, receiver.line(0).duplicates());
        assertEquals(6, receiver.line(0).wins() + receiver.line(1).wins());
        assertEquals(1, receiver.feed().endsOfSession());
        assertLineBooks(receiver);
    }

    @Test
    void shouldDeliverOnceAndCountDuplicatesWhenFloodedWithCopies()
    {
        final SimulatedFeed feed = new SimulatedFeed("DUP", 3, 1, new Random(2));
        final MoldUdp64Receiver receiver = new MoldUdp64Receiver(MoldUdp64ReceiverConfig.defaults(2), book, recordingSender);
        for (int copy = 0; copy < 1000; copy++)
        {
            for (final byte[] packet : feed.packets)
            {
                deliver(receiver, copy & 1, packet, copy);
            }
        }
        deliver(receiver, 0, feed.endOfSession(), 2000);
        book.assertExact(4, "duplicates");
        assertEquals(3 * 1000 - 3, receiver.line(0).duplicates() + receiver.line(1).duplicates());
        assertEquals(0, requests.size());
        assertLineBooks(receiver);
    }

    @Test
    void shouldRequestWithBackOffAndReportTheRangeLostWhenTheServerNeverAnswers()
    {
        final MoldUdp64ReceiverConfig config = new MoldUdp64ReceiverConfig(1, 1, 2 * MS, 10 * MS, 40 * MS, 4, 1000);
        final SimulatedFeed feed = new SimulatedFeed("SILENT", 10, 1, new Random(3));
        final MoldUdp64Receiver receiver = new MoldUdp64Receiver(config, book, recordingSender);
        deliver(receiver, 0, feed.packets.get(0), 0);
        deliver(receiver, 0, feed.packets.get(4), 0); // 2..4 missing on the only line
        final List<Long> sentAt = new ArrayList<>();
        for (long now = 0; now <= 500 * MS && receiver.hasGap(); now += 100_000)
        {
            final int before = requests.size();
            receiver.poll(now);
            if (requests.size() != before)
            {
                sentAt.add(now);
            }
        }
        // the fill window, then 10, 20, 40, 40 ms (capped), then the give-up
        assertEquals(List.of(2 * MS, 12 * MS, 32 * MS, 72 * MS), sentAt);
        for (final long[] request : requests)
        {
            assertEquals(2, request[0]);
            assertEquals(3, request[1], "the hole 2..4, not the parked 5");
        }
        // the hole is 2..4; message 5 came past it and was parked: given up with the hole, it is delivered
        assertEquals(1, book.lostRanges.size());
        assertEquals(2, book.lostRanges.get(0)[0]);
        assertEquals(3, book.lostRanges.get(0)[1], "only the hole 2..4 is lost, not the parked 5");
        assertEquals(3, receiver.feed().lost());
        assertEquals(2, book.delivered, "1, and 5 parked past the hole");
        assertEquals(4, receiver.feed().requests());
        assertEquals(3, receiver.feed().requestRetries());
        for (int i = 5; i < feed.packets.size(); i++)
        {
            deliver(receiver, 0, feed.packets.get(i), 600 * MS);
        }
        deliver(receiver, 0, feed.endOfSession(), 600 * MS);
        book.assertExact(11, "lost range then on");
        assertEquals(7, book.delivered);
        assertLineBooks(receiver);
    }

    @Test
    void shouldKeepSeveralRequestsOutstandingEachWithItsOwnBackOffWhenAGapIsLong()
    {
        // one line, no fill window, ranges of 10 messages, 3 requests in flight at most
        final MoldUdp64ReceiverConfig config = new MoldUdp64ReceiverConfig(1, 1, 0, 10 * MS, 40 * MS, 4, 10, 3);
        final SimulatedFeed feed = new SimulatedFeed("PIPE", 60, 1, new Random(6));
        final MoldUdp64Receiver receiver = new MoldUdp64Receiver(config, book, recordingSender);
        final int server = receiver.lineCount();
        deliver(receiver, 0, feed.packet(1, 1, 1400), 0);
        deliver(receiver, 0, feed.packet(60, 1, 1400), 0); // 2..59 missing: a gap of 58
        receiver.poll(0);
        assertEquals(List.of("2+10", "12+10", "22+10"), describe(requests), "three ranges at once, bounded");

        // the second range is answered first: parked (it cannot be delivered before 2..11), its slot takes 32..41
        deliver(receiver, server, feed.packet(12, 10, 1400), MS);
        receiver.poll(MS);
        assertEquals(List.of("2+10", "12+10", "22+10", "32+10"), describe(requests));
        assertEquals(1, book.delivered, "nothing past the gap yet");

        // at 10 ms the first and third time out and are asked again; the fourth's timeout runs from 1 ms
        receiver.poll(10 * MS);
        assertEquals(List.of("2+10", "12+10", "22+10", "32+10", "2+10", "22+10"), describe(requests));
        receiver.poll(11 * MS);
        assertEquals(List.of("2+10", "12+10", "22+10", "32+10", "2+10", "22+10", "32+10"), describe(requests));

        // the first range's answer delivers it and the parked second; the third's partial answer asks the rest at once
        deliver(receiver, server, feed.packet(2, 10, 1400), 12 * MS);
        assertEquals(21, book.delivered);
        deliver(receiver, server, feed.packet(22, 4, 1400), 12 * MS);
        receiver.poll(12 * MS);
        assertEquals(List.of("26+6", "42+10"), describe(requests.subList(7, requests.size())),
            "the rest of the third range, and the next range in the freed slot");
        assertEquals(25, book.delivered);
        for (long sequence = 26; sequence < 60; sequence += 10)
        {
            deliver(receiver, server, feed.packet(sequence, (int)Math.min(10, 60 - sequence), 1400), 13 * MS);
        }
        deliver(receiver, 0, feed.endOfSession(), 13 * MS);
        receiver.poll(13 * MS);
        book.assertExact(61, "pipelined recovery");
        assertEquals(0, book.lostRanges.size());
        assertFalse(receiver.hasGap());
        assertEquals(58, receiver.line(server).wins());
        assertEquals(58, receiver.line(server).filled(), "every answer filled the gap");
        assertLineBooks(receiver);
    }

    /**
     * While the gap's first range is outstanding, a later range's answer (parked) is not asked for again, nor is
     * the rest of a capped answer asked twice when delivery reaches it; a free slot takes the next range nobody
     * asked for. Main asked "22+10" again once its answer was parked, and "16+6" again when the first range's
     * answer delivered up to it.
     */
    @Test
    void shouldNotAskAgainForARangeAnsweredOrInFlightWhileTheGapsFirstRangeIsOutstanding()
    {
        final MoldUdp64ReceiverConfig config = new MoldUdp64ReceiverConfig(1, 1, 0, 10 * MS, 40 * MS, 4, 10, 3);
        final SimulatedFeed feed = new SimulatedFeed("ONCE", 60, 1, new Random(12));
        final MoldUdp64Receiver receiver = new MoldUdp64Receiver(config, book, recordingSender);
        final int server = receiver.lineCount();
        deliver(receiver, 0, feed.packet(1, 1, 1400), 0);
        deliver(receiver, 0, feed.packet(60, 1, 1400), 0); // 2..59 missing
        receiver.poll(0);
        assertEquals(List.of("2+10", "12+10", "22+10"), describe(requests));

        // the second range's answer is capped at 4 (parked): its rest is asked at once, and once
        deliver(receiver, server, feed.packet(12, 4, 1400), MS);
        receiver.poll(MS);
        receiver.poll(2 * MS);
        assertEquals(List.of("2+10", "12+10", "22+10", "16+6"), describe(requests));

        // the third range's answer is whole (parked): its slot takes the next range, not the answered one again
        deliver(receiver, server, feed.packet(22, 10, 1400), 2 * MS);
        receiver.poll(2 * MS);
        receiver.poll(3 * MS);
        assertEquals(List.of("2+10", "12+10", "22+10", "16+6", "32+10"), describe(requests));

        // the first range's answer delivers it and the capped answer's 12..15: "16+6" is still in flight
        deliver(receiver, server, feed.packet(2, 10, 1400), 3 * MS);
        assertEquals(15, book.delivered);
        receiver.poll(3 * MS);
        receiver.poll(4 * MS);
        assertEquals(List.of("2+10", "12+10", "22+10", "16+6", "32+10", "42+10"), describe(requests),
            "the freed slot takes 42; 16..21 is not asked again before its timeout");

        deliver(receiver, server, feed.packet(16, 6, 1400), 5 * MS);
        deliver(receiver, server, feed.packet(32, 10, 1400), 5 * MS);
        deliver(receiver, server, feed.packet(42, 10, 1400), 5 * MS);
        receiver.poll(5 * MS);
        deliver(receiver, server, feed.packet(52, 8, 1400), 6 * MS);
        deliver(receiver, 0, feed.endOfSession(), 6 * MS);
        receiver.poll(6 * MS);
        book.assertExact(61, "each range once");
        assertEquals(List.of("2+10", "12+10", "22+10", "16+6", "32+10", "42+10", "52+8"), describe(requests));
        assertEquals(0, receiver.feed().requestRetries());
        assertEquals(58 + 6, receiver.feed().requestedMessages(), "the missing 58, and 16..21 again after the cap");
        assertEquals(0, receiver.line(server).duplicates(), "no answer brought a message twice");
        assertLineBooks(receiver);
    }

    /**
     * Three holes on line A, its packets between them parked: the requests ask for the holes, not for what is
     * parked (main asked from the gap to the highest sequence seen, so every answer brought parked messages again).
     * A request whose range line B filled meanwhile is not sent again when its timeout comes.
     */
    @Test
    void shouldAskOnlyForTheHolesWhenPacketsPastThemAreParked()
    {
        final MoldUdp64ReceiverConfig config = new MoldUdp64ReceiverConfig(2, 1, 0, 10 * MS, 40 * MS, 4, 1000, 4);
        final SimulatedFeed feed = new SimulatedFeed("HOLES", 40, 1, new Random(13));
        final MoldUdp64Receiver receiver = new MoldUdp64Receiver(config, book, recordingSender);
        final int server = receiver.lineCount();
        deliver(receiver, 0, feed.packet(1, 5, 1400), 0);
        deliver(receiver, 0, feed.packet(8, 5, 1400), 0);   // 6..7 missing
        deliver(receiver, 0, feed.packet(15, 5, 1400), 0);  // 13..14 missing
        deliver(receiver, 0, feed.packet(25, 5, 1400), 0);  // 20..24 missing
        receiver.poll(0);
        assertEquals(List.of("6+2", "13+2", "20+5"), describe(requests), "the holes, not the parked 8..12, 15..19");

        // line B brings 13..14 before the answer: that request is done when its timeout comes; the rest time out
        deliver(receiver, 1, feed.packet(13, 2, 1400), MS);
        receiver.poll(10 * MS);
        assertEquals(List.of("6+2", "13+2", "20+5", "6+2", "20+5"), describe(requests));
        assertEquals(2, receiver.feed().requestRetries());
        assertEquals(2 + 5, receiver.feed().rerequestedMessages());
        assertEquals(2, receiver.line(0).rerequests(), "counted on the line that revealed the gaps");

        deliver(receiver, server, feed.packet(20, 5, 1400), 11 * MS);
        deliver(receiver, server, feed.packet(6, 2, 1400), 11 * MS);
        assertEquals(29, book.delivered);
        deliver(receiver, 0, feed.packet(30, 11, 1400), 12 * MS);
        deliver(receiver, 0, feed.endOfSession(), 12 * MS);
        receiver.poll(12 * MS);
        book.assertExact(41, "holes only");
        assertEquals(0, receiver.line(server).duplicates());
        assertLineBooks(receiver);
    }

    private static List<String> describe(final List<long[]> requests)
    {
        final List<String> described = new ArrayList<>();
        for (final long[] request : requests)
        {
            described.add(request[0] + "+" + request[1]);
        }
        return described;
    }

    @Test
    void shouldCountUnsentRequestsAndStillGiveUpWhenTheSenderFails()
    {
        requestSenderWorks = false;
        final MoldUdp64ReceiverConfig config = new MoldUdp64ReceiverConfig(1, 1, 0, MS, MS, 2, 1000);
        final SimulatedFeed feed = new SimulatedFeed("UNSENT", 3, 1, new Random(4));
        final MoldUdp64Receiver receiver = new MoldUdp64Receiver(config, book, recordingSender);
        deliver(receiver, 0, feed.packets.get(2), 0);
        for (long now = 0; now < 10 * MS; now += 100_000)
        {
            receiver.poll(now);
        }
        assertEquals(2, receiver.feed().requestsUnsent());
        assertEquals(0, receiver.feed().requests());
        assertEquals(2, receiver.feed().lost(), "the hole 1..2 lost; 3 came past it, parked, and is delivered");
        assertEquals(List.of(1L, 2L), List.of(book.lostRanges.get(0)[0], book.lostRanges.get(0)[1]));
        assertEquals(1, book.delivered);
    }

    @Test
    void shouldAskForTheRangeAndReportItLostWhenASequenceComesFarInTheFuture()
    {
        final MoldUdp64ReceiverConfig config = new MoldUdp64ReceiverConfig(2, 1, MS, MS, 4 * MS, 3, 500);
        final SimulatedFeed feed = new SimulatedFeed("FAR", 2, 1, new Random(5));
        final MoldUdp64Receiver receiver = new MoldUdp64Receiver(config, book, recordingSender);
        deliver(receiver, 0, feed.packets.get(0), 0);
        final long far = 1_000_000_000_000L;
        final UnsafeBuffer farPacket = new UnsafeBuffer(feed.heartbeat());
        farPacket.putLong(10, far, ByteOrder.BIG_ENDIAN);
        deliver(receiver, 1, farPacket.byteArray(), 0);
        for (long now = 0; now < 100 * MS; now += 100_000)
        {
            receiver.poll(now);
        }
        assertEquals(3, requests.size());
        assertEquals(500, requests.get(0)[1], "bounded by maxRequestCount");
        assertEquals(List.of(2L, far - 2), List.of(book.lostRanges.get(0)[0], book.lostRanges.get(0)[1]));
        assertEquals(far, receiver.nextSequence());
        assertFalse(receiver.hasGap());
    }

    @Test
    void shouldReportTheOldSessionsMissingRangeAndStartAfreshWhenTheSessionChanges()
    {
        final SimulatedFeed first = new SimulatedFeed("DAY1", 5, 1, new Random(6));
        final SimulatedFeed second = new SimulatedFeed("DAY2", 4, 2, new Random(7));
        final MoldUdp64Receiver receiver = new MoldUdp64Receiver(MoldUdp64ReceiverConfig.defaults(2), book, recordingSender);
        deliver(receiver, 0, first.packets.get(0), 0);
        deliver(receiver, 0, first.packets.get(1), 0);
        deliver(receiver, 0, first.packets.get(3), 0); // 3..4 missing, 4 seen past the gap
        for (final byte[] packet : second.packets)
        {
            deliver(receiver, 1, packet, 0);
        }
        // a late copy of the old session is dropped, not a change back
        deliver(receiver, 0, first.packets.get(4), 0);
        deliver(receiver, 1, second.endOfSession(), 0);

        assertEquals(List.of("DAY1", "DAY2"), book.sessions);
        // the old session's hole (3) is lost; 4, parked past it, is delivered before the new session starts
        assertEquals(1, book.lostRanges.size());
        assertEquals(3, book.lostRanges.get(0)[0]);
        assertEquals(1, book.lostRanges.get(0)[1]);
        assertEquals(3 + 4, book.deliveredInAllSessions, "1, 2 and the parked 4 of DAY1, then DAY2's 4");
        book.assertExact(5, "second session");
        assertEquals(1, receiver.feed().sessionChanges());
        assertEquals(1, receiver.line(0).staleSession());
        assertEquals(0, requests.size());
    }

    @Test
    void shouldCountRequestsAndLostOnTheLineThatRevealedEachGap()
    {
        // two lines, 1 ms for the other line, one request of 1 ms, then the gap is given up (the server is silent)
        final MoldUdp64ReceiverConfig config = new MoldUdp64ReceiverConfig(2, 1, MS, MS, MS, 1, 1000);
        final SimulatedFeed feed = new SimulatedFeed("REVEAL", 10, 1, new Random(11));
        final MoldUdp64Receiver receiver = new MoldUdp64Receiver(config, book, recordingSender);
        deliver(receiver, 0, feed.packets.get(0), 0);
        deliver(receiver, 1, feed.packets.get(0), 0);
        // both lines lost 2; line A's 3 shows it first
        deliver(receiver, 0, feed.packets.get(2), 0);
        deliver(receiver, 1, feed.packets.get(2), 0);
        pollUntilNoGap(receiver, 0);
        // both lost 5; line B runs ahead and shows it with 6; line A then fills 4
        deliver(receiver, 1, feed.packets.get(3), 10 * MS);
        deliver(receiver, 1, feed.packets.get(5), 10 * MS);
        deliver(receiver, 0, feed.packets.get(3), 10 * MS);
        pollUntilNoGap(receiver, 10 * MS);
        // line B runs ahead again past 7 and 8, both lost by both lines; line A shows 9 (no new gap of its own)
        deliver(receiver, 1, feed.packets.get(8), 20 * MS);
        deliver(receiver, 0, feed.packets.get(8), 20 * MS);
        pollUntilNoGap(receiver, 20 * MS);
        deliver(receiver, 0, feed.packets.get(9), 30 * MS);
        deliver(receiver, 0, feed.endOfSession(), 30 * MS);
        book.assertExact(11, "revealed by line");

        assertEquals(List.of("2+1", "5+1", "7+2"), describe(book.lostRanges));
        assertEquals(1, receiver.line(0).lost(), "2 showed on line A first");
        assertEquals(1 + 2, receiver.line(1).lost(), "5, 7 and 8 showed on line B first");
        assertEquals(1, receiver.line(0).requests());
        assertEquals(2, receiver.line(1).requests());
        assertEquals(receiver.feed().lost(), receiver.line(0).lost() + receiver.line(1).lost());
        assertEquals(receiver.feed().requests(), receiver.line(0).requests() + receiver.line(1).requests());
        assertEquals(0, receiver.line(receiver.lineCount()).lost() + receiver.line(receiver.lineCount()).requests());
        assertLineBooks(receiver);
    }

    private static void pollUntilNoGap(final MoldUdp64Receiver receiver, final long fromNs)
    {
        for (long now = fromNs; receiver.hasGap() && now < fromNs + 9 * MS; now += 100_000)
        {
            receiver.poll(now);
        }
        assertFalse(receiver.hasGap());
    }

    @Test
    void shouldDropAndCountMalformedPacketsPerLine()
    {
        final SimulatedFeed feed = new SimulatedFeed("BAD", 2, 1, new Random(8));
        final MoldUdp64Receiver receiver = new MoldUdp64Receiver(MoldUdp64ReceiverConfig.defaults(2), book, recordingSender);
        final byte[] packet = feed.packets.get(0);
        receiver.onPacket(1, new UnsafeBuffer(packet), 0, packet.length - 1, 0, 0);
        receiver.onPacket(1, new UnsafeBuffer(packet), 0, 5, 0, 0);
        assertEquals(1, receiver.line(1).drops().get(MoldUdp64DropReason.MESSAGE_OVERRUNS_PACKET));
        assertEquals(1, receiver.line(1).drops().get(MoldUdp64DropReason.TRUNCATED_HEADER));
        assertEquals(0, receiver.line(1).packets());
        assertEquals(0, book.delivered);
        assertTrue(book.sessions.isEmpty(), "a malformed packet takes up no session");
    }

    @Test
    void shouldNameEveryBadSettingWhenConfigIsOutOfRange()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new MoldUdp64ReceiverConfig(0, -1, -1, 0, -1, 0, 70000, 65));
        assertEquals("lineCount=0 must be 1 to 8; firstSequence=-1 must be 0 (join) or at least 1; " +
            "gapFillWindowNs=-1 must not be negative; requestTimeoutNs=0 must be positive; " +
            "maxRequestTimeoutNs=-1 must be at least requestTimeoutNs=0; maxRequestAttempts=0 must be at least 1; " +
            "maxRequestCount=70000 must be 1 to 65534; maxOutstandingRequests=65 must be 1 to 64", ex.getMessage());
    }

    @Test
    void shouldJoinAtTheFirstPacketSeenWhenFirstSequenceIsZero()
    {
        final SimulatedFeed feed = new SimulatedFeed("JOIN", 10, 1, new Random(9));
        final MoldUdp64ReceiverConfig config = new MoldUdp64ReceiverConfig(1, 0, MS, MS, MS, 1, 10);
        final MoldUdp64Receiver receiver = new MoldUdp64Receiver(config, book, recordingSender);
        for (int i = 6; i < feed.packets.size(); i++)
        {
            deliver(receiver, 0, feed.packets.get(i), 0);
        }
        assertEquals(4, book.delivered);
        assertEquals(11, receiver.nextSequence());
        assertEquals(0, requests.size());
    }

    /**
     * Seeded schedules over 1 to 3 lines: each line drops, repeats and swaps packets, with its own delay and
     * jitter; the request server answers after a delay, capped in size, and loses some answers. Exact books
     * every time: every message delivered once in order or reported lost in a range, and nothing lost when the
     * server loses no answers.
     */
    @Test
    void shouldKeepExactBooksWhenLinesLoseReorderAndRepeatBySeededSchedule()
    {
        for (long seed = 0; seed < 300; seed++)
        {
            runSchedule(seed);
        }
    }

    private void runSchedule(final long seed)
    {
        final Random random = new Random(seed);
        final int lineCount = 1 + random.nextInt(3);
        final int messageCount = 50 + random.nextInt(400);
        final double drop = random.nextDouble() * 0.3;
        final double repeat = random.nextDouble() * 0.1;
        final double swap = random.nextDouble() * 0.1;
        final double answerLoss = random.nextBoolean() ? 0.0 : random.nextDouble() * 0.5;
        final int answerCap = 1 + random.nextInt(20);
        // a third of the schedules with one request outstanding, the rest pipelined
        final int outstanding = seed % 3 == 0 ? 1 : 2 + (int)(seed % 7);
        final String context = "seed=" + seed + " lines=" + lineCount + " messages=" + messageCount +
            " drop=" + drop + " answerLoss=" + answerLoss + " answerCap=" + answerCap + " outstanding=" + outstanding;

        final SimulatedFeed feed = new SimulatedFeed("S" + seed, messageCount, 5, random);
        final FeedBook book = new FeedBook();
        final PriorityQueue<long[]> arrivals = new PriorityQueue<>(
            Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
        final List<byte[]> payloads = new ArrayList<>();
        final long[] order = { 0 };
        final long[] now = { 0 };
        final MoldUdp64ReceiverConfig config = new MoldUdp64ReceiverConfig(
            lineCount, 1, 200_000, 2 * MS, 50 * MS, 10, 1000, outstanding);
        final MoldUdp64RequestSender server = (buffer, offset, length) ->
        {
            assertEquals(MoldUdp64DropReason.NONE, requestParser.parse(buffer, offset, length), context);
            if (random.nextDouble() >= answerLoss)
            {
                payloads.add(feed.packet(requestParser.sequence(), Math.min(answerCap, requestParser.count()), 1400));
                arrivals.add(new long[]{ now[0] + 300_000 + random.nextInt(300_000), order[0]++, lineCount, payloads.size() - 1 });
            }
            return true;
        };
        final MoldUdp64Receiver receiver = new MoldUdp64Receiver(config, book, server);

        final List<byte[]> sent = new ArrayList<>(feed.packets);
        for (int i = 0; i < 3; i++)
        {
            sent.add(feed.endOfSession());
        }
        for (int line = 0; line < lineCount; line++)
        {
            final long delay = random.nextInt(100_000);
            for (int i = 0; i < sent.size(); i++)
            {
                final long sendAt = i * 20_000L;
                if (random.nextDouble() < drop)
                {
                    continue;
                }
                final long at = sendAt + delay + random.nextInt(5_000) + (random.nextDouble() < swap ? 40_000 : 0);
                payloads.add(sent.get(i));
                arrivals.add(new long[]{ at, order[0]++, line, payloads.size() - 1 });
                if (random.nextDouble() < repeat)
                {
                    arrivals.add(new long[]{ at + random.nextInt(60_000), order[0]++, line, payloads.size() - 1 });
                }
            }
        }
        // the publisher keeps sending end-of-session markers, as MoldUDP64 servers repeat their last packet
        for (long at = sent.size() * 20_000L; at < 5_000 * MS; at += 100 * MS)
        {
            final int line = random.nextInt(lineCount);
            payloads.add(feed.endOfSession());
            arrivals.add(new long[]{ at, order[0]++, line, payloads.size() - 1 });
        }

        while (!arrivals.isEmpty() && book.endOfSession < 0)
        {
            final long[] arrival = arrivals.poll();
            for (long t = now[0]; t < arrival[0]; t += 100_000)
            {
                now[0] = t;
                receiver.poll(t);
            }
            now[0] = arrival[0];
            final byte[] packet = payloads.get((int)arrival[3]);
            receiver.onPacket((int)arrival[2], new UnsafeBuffer(packet), 0, packet.length, now[0], now[0]);
            receiver.poll(now[0]);
        }
        book.assertExact(messageCount + 1, context);
        assertEquals(book.delivered, receiver.feed().delivered(), context);
        assertEquals(book.lost, receiver.feed().lost(), context);
        if (0.0 == answerLoss)
        {
            assertEquals(0, book.lost, "nothing lost when every request is answered; " + context);
        }
        assertLineBooks(receiver);
    }

    @Test
    void shouldNotAllocateWhenReceivingArbitratingAndRequestingInSteadyState()
    {
        final SimulatedFeed feed = new SimulatedFeed("ALLOC", 2000, 4, new Random(10));
        final MoldUdp64Handler quiet = new MoldUdp64Handler()
        {
            @Override
            public void onMessage(final long sequence, final DirectBuffer buffer, final int offset, final int length,
                final int line, final long rxTimestampNs)
            {
            }

            @Override
            public void onLost(final long fromSequence, final long count)
            {
            }

            @Override
            public void onSession(final DirectBuffer session, final int offset, final long nextSequence)
            {
            }

            @Override
            public void onEndOfSession(final long nextSequence)
            {
            }
        };
        final MoldUdp64RequestSender nowhere = (buffer, offset, length) -> true;
        // ranges of 2 messages, 4 requests in flight: the pipelined path
        final MoldUdp64ReceiverConfig config = new MoldUdp64ReceiverConfig(2, 0, 0, 1000, 1000, 2, 2, 4);
        final MoldUdp64Receiver receiver = new MoldUdp64Receiver(config, quiet, nowhere);
        final UnsafeBuffer[] packets = new UnsafeBuffer[feed.packets.size()];
        for (int i = 0; i < packets.length; i++)
        {
            packets[i] = new UnsafeBuffer(feed.packets.get(i));
        }
        final long[] clock = { 0 };
        final long bytes = SteadyStateAllocation.ofCallingThread(() ->
        {
            // both lines, line B one packet behind and missing every 7th; every 50th packet lost on both
            for (int i = 0; i < packets.length; i++)
            {
                final long now = clock[0] += 10_000;
                if (i % 50 != 0)
                {
                    receiver.onPacket(0, packets[i], 0, packets[i].capacity(), now, now);
                }
                if (i > 0 && i % 7 != 0 && (i - 1) % 50 != 0)
                {
                    receiver.onPacket(1, packets[i - 1], 0, packets[i - 1].capacity(), now, now);
                }
                receiver.poll(now);
            }
        });
        assertEquals(0, bytes, "bytes allocated by one round of receiving, arbitrating and requesting");
        assertTrue(receiver.feed().requests() > 0 && receiver.feed().lost() > 0, "the round requested and gave up");
    }
}
