package org.oobnet.moldudp64;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.moldudp64.inband.KernelFeedReceiver;
import org.oobnet.moldudp64.publish.LineFaults;
import org.oobnet.moldudp64.publish.MoldUdp64MessageStore;
import org.oobnet.moldudp64.publish.MoldUdp64Publisher;
import org.oobnet.moldudp64.publish.MoldUdp64RequestServer;
import org.oobnet.moldudp64.publish.PublishedLine;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The receiver asks the request server once for each missing message: never for one a line brought (parked past a
 * gap), never again once an answer brought it, and again only when the answer showed it still missing (the server's
 * cap on an answer) or after the timeout of a request or answer that was lost. Real sockets on loopback: our
 * publisher's lines drop packets by seeded schedules, a {@link RequestRelay} in front of our request server records
 * every request and drops requests and answers as the test says, and the books are exact.
 */
class RequestOnceTest
{
    private static final long MS = 1_000_000L;
    private static final int MESSAGE_BYTES = 16;
    private static final int END_REPEATS = 5;

    /**
     * Two lines each dropping a fifth of the packets (4 messages each; the messages both lost are missing), a server
     * whose answers hold 3 messages (every missing packet takes two answers), and a relay dropping a sixth of the
     * requests and of the answers by seed.
     */
    @Test
    void shouldRequestEachMissingMessageOnceUnlessItsRequestOrAnswerWasLostWhenLinesLoseBySeededSchedule()
        throws Exception
    {
        final LineFaults a = new LineFaults(31, 0.2, 0, 0);
        final LineFaults b = new LineFaults(32, 0.2, 0, 0);
        final int packets = 500;
        final int perPacket = 4;
        final SplittableRandom relayRandom = new SplittableRandom(33);
        final boolean[] dropRequest = new boolean[100_000];
        final boolean[] dropAnswer = new boolean[dropRequest.length];
        for (int i = 0; i < dropRequest.length; i++)
        {
            dropRequest[i] = relayRandom.nextDouble() < 0.15;
            dropAnswer[i] = relayRandom.nextDouble() < 0.15;
        }
        // 2 ms for the other line, then requests 1 ms apart doubling to 2 ms, 4 in flight, never given up
        final MoldUdp64ReceiverConfig config = new MoldUdp64ReceiverConfig(2, 1, 2 * MS, MS, 2 * MS, 40, 1000, 4);
        final Run run = run(config, List.of(a, b), packets, perPacket, 20 + 3 * (2 + MESSAGE_BYTES),
            i -> dropRequest[(int)i], i -> dropAnswer[(int)i], 0, 0, 0);

        final boolean[] missing = missing(List.of(a, b), packets, perPacket);
        int missingCount = 0;
        for (final boolean m : missing)
        {
            missingCount += m ? 1 : 0;
        }
        final MoldUdp64Receiver r = run.receiver;
        final MoldUdp64LineCounters server = r.line(r.lineCount());
        final String context = run.context(missingCount);
        assertTrue(missingCount >= 40, "the seeds lose packets on both lines: " + context);
        run.book.assertExact((long)packets * perPacket + 1, context);
        assertEquals(0, run.book.lost, "every missing message recovered; " + context);
        assertEquals(missingCount, server.wins(), "the request server brought exactly the missing messages; " + context);
        assertEquals(0, server.duplicates() + server.ahead(), "no answer brought a message twice; " + context);
        assertEquals(missingCount + run.relay.answerMessagesDropped, run.requestServer.messagesSent(),
            "retransmitted: the missing messages, and again those of answers lost on the way; " + context);
        assertEquals(0, r.line(0).ahead() + r.line(1).ahead(), "nothing discarded past a gap; " + context);
        assertRequestedOnce(run.relay.requests, missing, config.requestTimeoutNs(), context);

        long lostOnTheWay = 0;
        long capped = 0;
        for (final RequestRelay.Request request : run.relay.requests)
        {
            lostOnTheWay += request.requestDropped || request.answerDropped ? 1 : 0;
            capped += !request.requestDropped && !request.answerDropped && request.answerCount < request.count ? 1 : 0;
        }
        assertTrue(lostOnTheWay > 0 && capped > 0, "the relay lost some, the server capped some; " + context);
        assertTrue(r.feed().requestRetries() <= lostOnTheWay,
            "re-requests only for requests or answers lost on the way; " + context);
        assertTrue(r.feed().requestRetries() > 0, context);
        assertEquals(r.feed().requestRetries(), r.line(0).rerequests() + r.line(1).rerequests(),
            "each re-request counted on the line that revealed its gap; " + context);
    }

    /**
     * One line dropping packets (one message each); the relay drops the first answer only: its range is asked
     * again after the request timeout, no sooner, and once; every other hole once.
     */
    @Test
    void shouldRequestALostAnswersRangeAgainAfterTheTimeoutWhenTheAnswerIsLost() throws Exception
    {
        final LineFaults faults = new LineFaults(41, 0.03, 0, 0);
        final int packets = 300;
        final long timeoutNs = 20 * MS;
        final MoldUdp64ReceiverConfig config = new MoldUdp64ReceiverConfig(1, 1, 0, timeoutNs, 4 * timeoutNs, 8, 1000, 4);
        final Run run = run(config, List.of(faults), packets, 1, 1400, i -> false, i -> 0 == i, 0, 0, 0);

        final boolean[] missing = missing(List.of(faults), packets, 1);
        final List<long[]> holes = new ArrayList<>();
        for (int i = 0; i < missing.length; i++)
        {
            if (missing[i] && !holes.isEmpty() && holes.getLast()[1] == i + 1)
            {
                holes.getLast()[1]++;
            }
            else if (missing[i])
            {
                holes.add(new long[]{ i + 1, i + 2 });
            }
        }
        final MoldUdp64Receiver r = run.receiver;
        final String context = run.context(holes.size());
        assertTrue(holes.size() >= 5, "the seed drops several runs: " + context);
        run.book.assertExact(packets + 1, context);
        assertEquals(0, run.book.lost, context);
        final List<RequestRelay.Request> requests = run.relay.requests;
        assertEquals(holes.size() + 1, requests.size(), "each hole once, the first twice; " + context);
        final RequestRelay.Request first = requests.get(0);
        final RequestRelay.Request again = requests.stream().filter(q -> q != first && q.from == first.from)
            .findFirst().orElseThrow(() -> new AssertionError("the first range asked again; " + context));
        assertTrue(first.answerDropped && first.from == holes.get(0)[0] && first.count == holes.get(0)[1] - holes.get(0)[0],
            "the first hole's request, its answer lost; " + context);
        assertEquals(first.count, again.count, context);
        assertTrue(again.pollEndNs - first.pollStartNs >= timeoutNs,
            "asked again after the timeout, not sooner: " + (again.pollEndNs - first.pollStartNs) + " ns; " + context);
        assertEquals(1, r.feed().requestRetries(), context);
        assertEquals(1, r.line(0).rerequests(), context);
        assertEquals(first.count, r.feed().rerequestedMessages(), context);
        assertRequestedOnce(requests, missing, timeoutNs, context);
    }

    /**
     * The starved trader of the tick-to-trade runs, on loopback: one line, one message per packet, the trader's
     * settings ({@code defaults(1)}); the receiver is not polled for 400 packets while its socket holds about 64 KiB,
     * so the kernel drops most of them; then it reads what the socket held, the live packets reveal the gap and are
     * parked while the backlog comes back in answers capped at one packet (pipelined). Each dropped message is asked
     * for once and retransmitted once: no answer brings a message twice. Main asked from the gap to the highest
     * sequence seen, so its requests took in the parked live packets, and a later range's parked answer freed its
     * slot for the same range again.
     */
    @Test
    void shouldRequestEachDroppedMessageOnceWhenTheReceiverWasStarvedPastItsSocketBuffer() throws Exception
    {
        final int packets = 1200;
        final MoldUdp64ReceiverConfig config = MoldUdp64ReceiverConfig.defaults(1);
        final Run run = run(config, List.of(LineFaults.NONE), packets, 1, 1400, i -> false, i -> false,
            64 * 1024, 300, 700);
        final MoldUdp64Receiver r = run.receiver;
        final MoldUdp64LineCounters server = r.line(r.lineCount());
        final long dropped = packets - r.line(0).messages(); // by the kernel: the line itself loses nothing
        final String context = run.context(dropped) + " line duplicates=" + r.line(0).duplicates();
        System.out.println("starved receiver: " + context);
        run.book.assertExact(packets + 1, context);
        assertEquals(0, run.book.lost, context);
        assertTrue(dropped >= 100, "the kernel dropped what the socket could not hold: " + context);
        assertEquals(dropped, server.wins(), "the request server brought exactly the dropped messages; " + context);
        assertEquals(0, r.line(0).duplicates(), "no answer took a message the line brought (parked); " + context);
        assertEquals(dropped, run.requestServer.messagesSent(), "each retransmitted once; " + context);
        assertEquals(dropped, r.feed().requestedMessages() - capRests(run.relay.requests),
            "asked for once, and the rest of a capped answer again; " + context);
        assertEquals(0, server.duplicates() + server.ahead(), context);
        assertEquals(0, r.feed().requestRetries(), context);
    }

    // messages asked again because an answer was capped: what each answered request asked beyond its answer
    private static long capRests(final List<RequestRelay.Request> requests)
    {
        long rests = 0;
        for (final RequestRelay.Request request : requests)
        {
            rests += request.answerFrom == request.from ? request.count - request.answerCount : 0;
        }
        return rests;
    }

    private record Run(FeedBook book, KernelFeedReceiver kernelReceiver, MoldUdp64Receiver receiver, RequestRelay relay,
        MoldUdp64RequestServer requestServer)
    {
        String context(final long missing)
        {
            return "missing=" + missing + " delivered=" + book.delivered + " lost=" + book.lost + " requests=" +
                receiver.feed().requests() + " requestedMessages=" + receiver.feed().requestedMessages() +
                " retries=" + receiver.feed().requestRetries() + " retransmitted=" + requestServer.messagesSent() +
                " server duplicates=" + receiver.line(receiver.lineCount()).duplicates() + " first requests=" +
                relay.requests.subList(0, Math.min(12, relay.requests.size()));
        }
    }

    // The session on the lines, the receiver, relay and request server on this thread in turn, until the end of
    // session is delivered (or 10 s). Packets carry `perPacket` messages, each its sequence number. While the
    // packets [starvedFrom, starvedTo) are sent the receiver is not polled; lineBufferBytes: its line sockets'
    // SO_RCVBUF (0: MulticastSockets'), so that the kernel drops what they cannot hold meanwhile.
    private static Run run(
        final MoldUdp64ReceiverConfig config,
        final List<LineFaults> faults,
        final int packets,
        final int perPacket,
        final int answerCapacity,
        final LongPredicate dropRequest,
        final LongPredicate dropAnswer,
        final int lineBufferBytes,
        final int starvedFrom,
        final int starvedTo) throws IOException
    {
        final FeedBook book = new FeedBook();
        final MoldUdp64MessageStore store = new MoldUdp64MessageStore();
        final List<DatagramChannel> lineSockets = new ArrayList<>();
        final List<PublishedLine> published = new ArrayList<>();
        for (final LineFaults lineFaults : faults)
        {
            final DatagramChannel socket = MulticastSockets.unicast("127.0.0.1", 0);
            if (lineBufferBytes > 0)
            {
                socket.setOption(StandardSocketOptions.SO_RCVBUF, lineBufferBytes);
            }
            lineSockets.add(socket);
            published.add(new PublishedLine(DatagramChannel.open(), socket.getLocalAddress(), lineFaults));
        }
        try (DatagramChannel serverSocket = MulticastSockets.unicast("127.0.0.1", 0);
            MoldUdp64Publisher publisher = new MoldUdp64Publisher("ONCE", store, 1400, published);
            MoldUdp64RequestServer requestServer = new MoldUdp64RequestServer(serverSocket, publisher.session(), store,
                answerCapacity);
            RequestRelay relay = new RequestRelay(serverSocket.getLocalAddress(), dropRequest, dropAnswer);
            KernelFeedReceiver receiver = new KernelFeedReceiver(config, book, lineSockets,
                MulticastSockets.unicast("127.0.0.1", 0), relay.address()))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_BYTES]);
            long sequence = 1;
            for (int packet = 0; packet < packets; packet++)
            {
                for (int i = 0; i < perPacket; i++)
                {
                    message.putLong(0, sequence++, ByteOrder.BIG_ENDIAN);
                    publisher.publish(message, 0, message.capacity());
                }
                publisher.flush();
                if (packet < starvedFrom || packet >= starvedTo)
                {
                    step(receiver, relay, requestServer);
                }
                // paced, so that a gap waiting for a timeout never fills a line's 256 parking slots
                LockSupport.parkNanos(100_000);
            }
            for (int i = 0; i < END_REPEATS; i++)
            {
                publisher.endOfSession(); // repeated, as servers do: the lines may drop some
            }
            final long deadline = System.nanoTime() + 10_000 * MS;
            while (book.endOfSession < 0 && System.nanoTime() - deadline < 0)
            {
                step(receiver, relay, requestServer);
                LockSupport.parkNanos(100_000);
            }
            return new Run(book, receiver, receiver.receiver(), relay, requestServer);
        }
    }

    // the receiver polls (reading what came, then its timers: requests leave), then the relay serves its requests
    private static void step(final KernelFeedReceiver receiver, final RequestRelay relay,
        final MoldUdp64RequestServer requestServer) throws IOException
    {
        final long startNs = System.nanoTime();
        receiver.poll(16);
        relay.pump(startNs, System.nanoTime(), requestServer);
    }

    // Every requested message was missing from every line; a message is asked again only when the last request for
    // it was answered without it (the server's cap), or after the request timeout when that request or its answer
    // was lost; never once an answer brought it.
    private static void assertRequestedOnce(
        final List<RequestRelay.Request> requests, final boolean[] missing, final long timeoutNs, final String context)
    {
        final Map<Long, RequestRelay.Request> last = new HashMap<>();
        for (final RequestRelay.Request request : requests)
        {
            for (long sequence = request.from; sequence < request.from + request.count; sequence++)
            {
                if (sequence < 1 || sequence > missing.length || !missing[(int)(sequence - 1)])
                {
                    fail("requested " + sequence + ", which a line brought, in " + request + "; " + context);
                }
                final RequestRelay.Request before = last.put(sequence, request);
                if (null == before)
                {
                    continue;
                }
                if (before.delivered(sequence))
                {
                    fail("requested " + sequence + " again in " + request + " after " + before + " brought it; " +
                        context);
                }
                final boolean lost = before.requestDropped || before.answerDropped;
                if (lost && request.pollEndNs - before.pollStartNs < timeoutNs)
                {
                    fail("requested " + sequence + " again in " + request + " " +
                        (request.pollEndNs - before.pollStartNs) + " ns after " + before + ", before its timeout; " +
                        context);
                }
            }
        }
    }

    // the messages (index sequence - 1) that every line dropped: PublishedLine's decisions replayed
    private static boolean[] missing(final List<LineFaults> faults, final int packets, final int perPacket)
    {
        final boolean[] missing = new boolean[packets * perPacket];
        Arrays.fill(missing, true);
        for (final LineFaults lineFaults : faults)
        {
            final LineFaults.Schedule schedule = lineFaults.schedule();
            for (int packet = 0; packet < packets; packet++)
            {
                if (LineFaults.Action.DROP != schedule.next())
                {
                    schedule.repeat();
                    for (int i = 0; i < perPacket; i++)
                    {
                        missing[packet * perPacket + i] = false;
                    }
                }
            }
        }
        return missing;
    }
}
