package org.oobnet.harness.bench.feed;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.paritytrading.nassau.moldudp64.MoldUDP64Client;
import org.oobnet.core.OobConfig;
import org.oobnet.core.RealtimeNanoClock;
import org.oobnet.harness.env.NamespaceThread;
import org.oobnet.netns.NetnsTopology;

/**
 * A feed bench baseline phase ({@code nassau_line_b}, {@code nassau_line_a}): Nassau's {@code MoldUDP64Client} on one
 * line's kernel socket in the subscriber's namespace, polled by one thread as the one stage polls its lines; it
 * recovers losses from the same request server (Nassau has no A/B arbitration).
 * <p>
 * <b>Note:</b> in-band; the publisher runs on a thread of its own, the client is polled on the calling thread.
 */
final class NassauFeedPhase
{
    private final FeedBenchSettings settings;

    NassauFeedPhase(final FeedBenchSettings settings)
    {
        this.settings = settings;
    }

    Map<String, Object> run(final BenchPublisher publisher, final NamespaceThread b, final NetnsTopology.Host sub,
        final NetnsTopology.Host pub, final String group, final int port) throws Exception
    {
        System.err.println(FeedBenchRun.NAME + ": Nassau phase (MoldUDP64Client, kernel sockets, " + group + ":" +
            port + ")");
        final long messages = settings.messages();
        final NassauBooks books = new NassauBooks(new RealtimeNanoClock());
        final int receiveBuffer = settings.rxFrames() * FeedBenchRun.FRAME_SIZE;
        final MoldUDP64Client client = b.call(() -> new MoldUDP64Client(
            member(sub.interfaceName(), group, port, receiveBuffer), unicast(sub.address(), 0, receiveBuffer),
            new InetSocketAddress(pub.address(), FeedBenchRun.REQUEST_PORT), books, books, 1));
        try (client)
        {
            final long deadline = System.nanoTime() + settings.timeoutNs();
            final BooleanSupplier done = () -> books.delivered >= messages || System.nanoTime() - deadline > 0;
            final CompletableFuture<Long> publishing = CompletableFuture.supplyAsync(() -> publisher.publish(done),
                command -> Thread.ofPlatform().name("feed-bench-publisher").daemon().start(command));
            // one thread polls the client, as the one stage polls its lines
            while (!done.getAsBoolean())
            {
                if (!(client.receive() | client.receiveResponse()) &&
                    OobConfig.IdleStrategyKind.YIELD == settings.idleKind())
                {
                    Thread.yield();
                }
            }
            final long publishNs = publishing.get(settings.timeoutNs() + TimeUnit.SECONDS.toNanos(10),
                TimeUnit.NANOSECONDS);
            final Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("published_per_s", FeedBenchRun.perSecond(messages, publishNs));
            summary.putAll(books.summary(messages));
            summary.put("so_rcvbuf", client.getChannel().getOption(StandardSocketOptions.SO_RCVBUF));
            return summary;
        }
    }

    private static DatagramChannel member(final String interfaceName, final String group, final int port,
        final int receiveBuffer) throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try
        {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            channel.bind(new InetSocketAddress(port));
            channel.join(InetAddress.getByName(group), NetworkInterface.getByName(interfaceName));
            channel.configureBlocking(false);
            return channel;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /**
     * A non-blocking unicast channel (a request socket).
     *
     * @param receiveBuffer {@code SO_RCVBUF} bytes, 0 for the kernel's default.
     */
    static DatagramChannel unicast(final String address, final int port, final int receiveBuffer) throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try
        {
            if (receiveBuffer > 0)
            {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            }
            channel.bind(new InetSocketAddress(address, port));
            channel.configureBlocking(false);
            return channel;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }
}
