package org.oobnet.moldudp64;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.moldudp64.inband.KernelFeedReceiver;
import org.oobnet.moldudp64.publish.LineFaults;
import org.oobnet.moldudp64.publish.MoldUdp64MessageStore;
import org.oobnet.moldudp64.publish.MoldUdp64Publisher;
import org.oobnet.moldudp64.publish.PublishedLine;

import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Giving a gap up loses only its holes: our publisher sends a session on one loopback line that drops packets by a
 * seeded schedule (one message per packet), and the request server never answers. Every message of a dropped
 * packet is reported lost, in a range of its own per run of drops; every message that came, parked past a hole
 * while the requests went unanswered, is delivered.
 */
class GiveUpHolesTest
{
    private static final long MS = 1_000_000L;
    private static final int MESSAGES = 600;
    private static final int END_REPEATS = 5;

    @Test
    void shouldLoseExactlyTheDroppedPacketsAndDeliverWhatWasParkedWhenTheServerNeverAnswers() throws Exception
    {
        final LineFaults faults = new LineFaults(20, 0.04, 0, 0);
        final boolean[] dropped = replaySchedule(faults, MESSAGES + END_REPEATS);
        final List<long[]> expectedHoles = holes(dropped);
        boolean endSent = false;
        for (int i = MESSAGES; i < MESSAGES + END_REPEATS; i++)
        {
            endSent |= !dropped[i];
        }
        assertTrue(endSent && expectedHoles.size() >= 5, "the seed drops several runs and lets an end through");

        final FeedBook book = new FeedBook();
        // one line, no fill window, 2 attempts 1 then 2 ms apart: a hole is given up a few ms after it shows
        final MoldUdp64ReceiverConfig config = new MoldUdp64ReceiverConfig(1, 1, 0, MS, 2 * MS, 2, 1000, 4);
        // the request server's socket is bound and never read
        try (DatagramChannel silent = MulticastSockets.unicast("127.0.0.1", 0);
            DatagramChannel line = MulticastSockets.unicast("127.0.0.1", 0);
            KernelFeedReceiver receiver = new KernelFeedReceiver(config, book, List.of(line),
                MulticastSockets.unicast("127.0.0.1", 0), silent.getLocalAddress());
            MoldUdp64Publisher publisher = new MoldUdp64Publisher("HOLES", new MoldUdp64MessageStore(), 1400,
                List.of(new PublishedLine(DatagramChannel.open(), line.getLocalAddress(), faults))))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[16]);
            for (long sequence = 1; sequence <= MESSAGES; sequence++)
            {
                message.putLong(0, sequence, ByteOrder.BIG_ENDIAN);
                publisher.publish(message, 0, message.capacity());
                publisher.flush(); // one message per packet: a dropped packet is one lost message
                receiver.poll(16);
                // paced, so that a hole is given up long before a line's 256 parking slots are full
                LockSupport.parkNanos(50_000);
            }
            for (int i = 0; i < END_REPEATS; i++)
            {
                publisher.endOfSession(); // repeated, as servers do: the line may drop some
            }
            final long deadline = System.nanoTime() + 10_000 * MS;
            while (book.endOfSession < 0 && System.nanoTime() - deadline < 0)
            {
                receiver.poll(16);
                LockSupport.parkNanos(100_000);
            }
            final MoldUdp64Receiver r = receiver.receiver();
            final String context = "holes=" + describe(expectedHoles) + " lost=" + describe(book.lostRanges) +
                " delivered=" + book.delivered + " parked=" + r.line(0).parked() + " ahead=" + r.line(0).ahead();
            book.assertExact(MESSAGES + 1, context);
            assertEquals(describe(expectedHoles), describe(book.lostRanges), "each hole lost, nothing more; " + context);
            assertTrue(r.line(0).parked() > 0, "packets past a hole were parked and then delivered; " + context);
            assertEquals(0, r.line(0).ahead(), context);
            assertTrue(r.feed().requests() > 0, context);
        }
    }

    // PublishedLine's decisions for each packet: next(), then repeat() for a packet it sends
    private static boolean[] replaySchedule(final LineFaults faults, final int packets)
    {
        final LineFaults.Schedule schedule = faults.schedule();
        final boolean[] dropped = new boolean[packets];
        for (int i = 0; i < packets; i++)
        {
            dropped[i] = LineFaults.Action.DROP == schedule.next();
            if (!dropped[i])
            {
                schedule.repeat();
            }
        }
        return dropped;
    }

    // runs of dropped message packets (packet i carries sequence i + 1) as [from, count]
    private static List<long[]> holes(final boolean[] dropped)
    {
        final List<long[]> holes = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++)
        {
            if (dropped[i])
            {
                if (!holes.isEmpty() && holes.getLast()[0] + holes.getLast()[1] == i + 1)
                {
                    holes.getLast()[1]++;
                }
                else
                {
                    holes.add(new long[]{ i + 1, 1 });
                }
            }
        }
        return holes;
    }

    private static List<String> describe(final List<long[]> ranges)
    {
        final List<String> described = new ArrayList<>();
        for (final long[] range : ranges)
        {
            described.add(range[0] + "+" + range[1]);
        }
        return described;
    }
}
