package org.oobnet.harness.bench.feed;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.moldudp64.publish.LineFaults;
import org.oobnet.moldudp64.publish.MoldUdp64MessageStore;
import org.oobnet.moldudp64.publish.MoldUdp64Publisher;
import org.oobnet.moldudp64.publish.MoldUdp64RequestServer;
import org.oobnet.moldudp64.publish.PublishedLine;

/**
 * {@code oobnet feed publish --path kernel}: a MoldUDP64 session published in-band on kernel UDP sockets, line A
 * (and B) each with its seeded faults ({@link LineFaults}: loss, swaps, repeats; this kernel has no netem), a
 * request server polled between batches, and after the last message the end of session, repeated while it lingers
 * to answer requests. Each message starts with its sequence number (8 bytes, big-endian).
 * <p>
 * <b>Note:</b> in-band, one thread.
 */
public final class KernelFeedPublisher
{
    /** The packets' capacity in bytes. */
    public static final int PACKET_CAPACITY = 1400;

    /**
     * What to publish, checked by the command.
     *
     * @param interfaceName the interface multicast lines leave by, or null for the kernel's route.
     * @param lineA         line A.
     * @param lineB         line B, or null.
     * @param request       where the request server listens.
     * @param session       the session's name.
     * @param count         messages.
     * @param rate          messages per second, 0 as fast as the sockets take them.
     * @param size          each message's length.
     * @param batch         messages per packet at most.
     * @param faultsA       line A's faults.
     * @param faultsB       line B's faults.
     * @param lingerNs      how long to answer requests after the last message.
     */
    public record Settings(String interfaceName, InetSocketAddress lineA, InetSocketAddress lineB,
        InetSocketAddress request, String session, long count, long rate, int size, int batch, LineFaults faultsA,
        LineFaults faultsB, long lingerNs)
    {
    }

    private KernelFeedPublisher()
    {
    }

    /**
     * Publishes the session and lingers.
     *
     * @param settings what to publish.
     * @return the summary: messages and packets, each line's faults, the requests answered.
     * @throws IOException when a socket cannot be opened or bound.
     */
    public static Map<String, Object> publish(final Settings settings) throws IOException
    {
        final List<PublishedLine> lines = new ArrayList<>();
        lines.add(new PublishedLine(sender(settings.interfaceName()), settings.lineA(), settings.faultsA()));
        if (null != settings.lineB())
        {
            lines.add(new PublishedLine(sender(settings.interfaceName()), settings.lineB(), settings.faultsB()));
        }
        final MoldUdp64MessageStore store = new MoldUdp64MessageStore();
        final DatagramChannel requests = DatagramChannel.open(StandardProtocolFamily.INET);
        requests.bind(settings.request());
        requests.configureBlocking(false);
        try (MoldUdp64Publisher publisher = new MoldUdp64Publisher(settings.session(), store, PACKET_CAPACITY, lines);
            MoldUdp64RequestServer server = new MoldUdp64RequestServer(requests, publisher.session(), store,
                PACKET_CAPACITY))
        {
            final long publishedNs = publishAll(settings, publisher, server);
            linger(settings.lingerNs(), publisher, server);
            final long count = settings.count();
            final Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("published", count);
            summary.put("packets", publisher.packetsSent());
            summary.put("messages_per_s", publishedNs > 0 ? count * 1_000_000_000L / publishedNs : 0);
            for (int i = 0; i < lines.size(); i++)
            {
                final PublishedLine line = lines.get(i);
                final String name = "line_" + (char)('a' + i);
                summary.put(name + "_sent", line.sent());
                summary.put(name + "_dropped", line.dropped());
                summary.put(name + "_swapped", line.swapped());
                summary.put(name + "_repeated", line.repeated());
            }
            summary.put("requests_answered", server.answered());
            summary.put("retransmitted", server.messagesSent());
            summary.put("requests_beyond_store", server.beyondStore());
            summary.put("requests_wrong_session", server.wrongSession());
            summary.put("requests_malformed", server.drops().dropped());
            return summary;
        }
    }

    // every message at the rate, a batch per packet, requests answered between; returns the publishing time
    private static long publishAll(final Settings settings, final MoldUdp64Publisher publisher,
        final MoldUdp64RequestServer server) throws IOException
    {
        final long count = settings.count();
        final long rate = settings.rate();
        final int size = settings.size();
        final UnsafeBuffer message = new UnsafeBuffer(new byte[size]);
        final long start = System.nanoTime();
        long sequence = 1;
        while (sequence <= count)
        {
            final long due = 0 == rate ? count : Math.min(count, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
            if (sequence > due)
            {
                server.poll(16);
                LockSupport.parkNanos(20_000L);
                continue;
            }
            for (int i = 0; i < settings.batch() && sequence <= due; i++)
            {
                message.putLong(0, sequence, ByteOrder.BIG_ENDIAN);
                publisher.publish(message, 0, size);
                sequence++;
            }
            publisher.flush();
            server.poll(16);
        }
        return System.nanoTime() - start;
    }

    private static void linger(final long lingerNs, final MoldUdp64Publisher publisher,
        final MoldUdp64RequestServer server) throws IOException
    {
        final long lingerEnd = System.nanoTime() + lingerNs;
        long nextEnd = 0;
        while (System.nanoTime() - lingerEnd < 0)
        {
            if (System.nanoTime() - nextEnd >= 0)
            {
                // repeated, so that a receiver that lost it still learns where the session ends
                publisher.endOfSession();
                nextEnd = System.nanoTime() + 100_000_000L;
            }
            if (0 == server.poll(16))
            {
                LockSupport.parkNanos(100_000L);
            }
        }
    }

    private static DatagramChannel sender(final String interfaceName) throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try
        {
            if (null != interfaceName)
            {
                final NetworkInterface nif = NetworkInterface.getByName(interfaceName);
                if (null == nif)
                {
                    throw new IllegalArgumentException("--interface=" + interfaceName + " does not exist (ip link lists them)");
                }
                channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
            }
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1);
            channel.bind(new InetSocketAddress(0));
            return channel;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }
}
