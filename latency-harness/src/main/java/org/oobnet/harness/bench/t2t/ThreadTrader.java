package org.oobnet.harness.bench.t2t;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.RealtimeNanoClock;
import org.oobnet.harness.bench.run.StageSamples;
import org.oobnet.moldudp64.MoldUdp64Descriptor;
import org.oobnet.moldudp64.MoldUdp64Receiver;
import org.oobnet.moldudp64.MoldUdp64ReceiverConfig;
import org.oobnet.moldudp64.MoldUdp64RequestSender;

/**
 * The baseline traders, {@code t2t-spin} and {@code t2t-blocking}: the same trading logic ({@link TickAnswer},
 * {@code moldudp64}'s {@link MoldUdp64Receiver}) on an ordinary thread with kernel sockets: a
 * {@link DatagramChannel} joined to the feed's group, non-blocking and spun on, or blocking in {@code receive}, and
 * a {@link SocketChannel}-based SoupBinTCP client ({@link ChannelSoupClient}). {@code DatagramChannel} gives no
 * kernel RX timestamp: the in-process latency starts when {@code receive} returned. The trading thread alone runs on
 * the trading CPU, as a stage would ({@link TraderPinning}).
 * <p>
 * <b>Note:</b> in-band; the trading loop runs on a thread of its own, the main thread waits and writes the files.
 */
public final class ThreadTrader
{
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private final InetSocketAddress exchange;
    private final String interfaceName;
    private final boolean spin;
    private final boolean yield;
    private final int cpu;
    // written by the trading thread before its first receive, read in-band at the end
    private volatile boolean pinned;
    // the trading thread is pinned and about to receive (then the exchange may tick)
    private volatile boolean started;
    // the trading thread stays alive until its allocated bytes were read (a finished thread has none to read)
    private volatile boolean released;

    /**
     * @param exchange      the exchange's SoupBinTCP address.
     * @param interfaceName the interface the feed comes in on.
     * @param spin          true: spin on a non-blocking channel ({@code t2t-spin}); false: block ({@code t2t-blocking}).
     * @param yield         a spinning trader yields between polls (a shared machine, tests).
     * @param cpu           the trading thread's CPU ({@link TraderPinning}), -1 for none.
     */
    public ThreadTrader(
        final InetSocketAddress exchange, final String interfaceName, final boolean spin, final boolean yield,
        final int cpu)
    {
        this.cpu = cpu;
        this.exchange = exchange;
        this.interfaceName = interfaceName;
        this.spin = spin;
        this.yield = yield;
    }

    /**
     * Trades until the feed's session ends, then writes the trader's files.
     *
     * @param expectedNs how long the exchange's run should take.
     * @param ticks      the ticks the exchange sends (warm-up and measured).
     * @param stop       true once the trader must stop.
     * @param output     the path prefix of the files.
     * @param out        where the trader reports.
     * @throws IOException when a socket, the login or a file fails.
     */
    public void run(final long expectedNs, final long ticks, final BooleanSupplier stop, final Path output, final PrintStream out)
        throws IOException
    {
        final StageSamples samples = new StageSamples(StageSamples.DEFAULT_CAPACITY);
        // FIXME: DatagramChannel gives no kernel RX timestamp: the thread rows' tick_wire/trader_pickup hops are
        // missing (tick_in covers both); a recvmsg receive with SO_TIMESTAMPING would give it
        final TickAnswer answer = new TickAnswer(System::nanoTime, samples,
            new TickStamps((int)ticks, TickStamps.TRADER_COLUMNS), new RealtimeNanoClock(), false);
        final NetworkInterface nif = NetworkInterface.getByName(interfaceName);
        if (nif == null)
        {
            throw new IllegalArgumentException("interface=" + interfaceName + " does not exist (ip link lists them)");
        }
        try (DatagramChannel feed = DatagramChannel.open(StandardProtocolFamily.INET))
        {
            feed.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            feed.bind(new InetSocketAddress(ExchangeSimulator.FEED_PORT));
            feed.join(InetAddress.getByName(ExchangeSimulator.FEED_GROUP), nif);
            feed.configureBlocking(!spin);
            try (ChannelSoupClient client = new ChannelSoupClient(exchange, spin))
            {
                answer.sender(client::sendUnsequenced);
                // a missed tick is asked for again from the exchange's request server, on the feed's own socket
                final Requests requests = new Requests(feed,
                    new InetSocketAddress(exchange.getAddress(), ExchangeSimulator.REQUEST_PORT));
                final MoldUdp64Receiver receiver = new MoldUdp64Receiver(MoldUdp64ReceiverConfig.defaults(1), answer,
                    requests);
                final Thread trading = new Thread(() -> trade(feed, receiver, answer), "oobnet-t2t-" +
                    (spin ? "spin" : "blocking"));
                trading.setDaemon(true);
                trading.start();
                try
                {
                    // the exchange's first tick waits for this: the trading thread is pinned and receiving by then
                    awaitStarted(stop);
                    client.ready();
                    new TraderRun(answer, samples).awaitAndWrite(trading.threadId(), () -> -1, false, cpu,
                        () -> pinned, expectedNs, stop, output, out, json ->
                        {
                            // what the kernel dropped at the feed socket: the trading thread did not read in time
                            json.put(TraderFeed.SOCKET_DROPS, UdpSocketRow.drops(ExchangeSimulator.FEED_PORT));
                            // FIXME: read while the trading thread may still run (it missed the session's end): a
                            // counter for the report, one request stale at worst
                            json.put(TraderFeed.REQUESTS, receiver.feed().requests());
                        });
                }
                finally
                {
                    released = true;
                }
            }
        }
    }

    /** The trading thread's retransmission requests, sent on the feed's socket (the answers come back to it). */
    private static final class Requests implements MoldUdp64RequestSender
    {
        private final DatagramChannel channel;
        private final InetSocketAddress server;
        private final ByteBuffer tx = ByteBuffer.allocateDirect(MoldUdp64Descriptor.HEADER_LENGTH);

        Requests(final DatagramChannel channel, final InetSocketAddress server)
        {
            this.channel = channel;
            this.server = server;
        }

        @Override
        public boolean sendRequest(final DirectBuffer request, final int offset, final int length)
        {
            tx.clear();
            request.getBytes(offset, tx, 0, length);
            tx.limit(length);
            try
            {
                // a blocking channel may block here for a full socket buffer: the blocking baseline's nature
                return channel.send(tx, server) == length;
            }
            catch (final IOException ex)
            {
                return false;
            }
        }
    }

    private void awaitStarted(final BooleanSupplier stop) throws IOException
    {
        final long deadline = System.nanoTime() + START_TIMEOUT_NS;
        while (!started)
        {
            if (stop.getAsBoolean() || System.nanoTime() - deadline > 0)
            {
                throw new IOException("the trading thread did not start within " +
                    TimeUnit.NANOSECONDS.toMillis(START_TIMEOUT_NS) + " ms");
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }

    // the trading thread: pinned as the stage is (it alone on the trading CPU), then receive and the same handler
    // the stage runs
    private void trade(final DatagramChannel feed, final MoldUdp64Receiver receiver, final TickAnswer answer)
    {
        pinned = TraderPinning.pinCurrentThread(cpu);
        started = true;
        final ByteBuffer rx = ByteBuffer.allocateDirect(MoldUdp64Descriptor.MAX_PACKET_LENGTH);
        final UnsafeBuffer packet = new UnsafeBuffer(rx);
        try
        {
            while (!answer.hasEnded())
            {
                rx.clear();
                final SocketAddress from = feed.receive(rx);
                if (from == null)
                {
                    if (yield)
                    {
                        Thread.yield();
                    }
                    else
                    {
                        Thread.onSpinWait();
                    }
                    receiver.poll(System.nanoTime());
                    continue;
                }
                final long rxNs = System.nanoTime();
                // the request server's answers come from its port: the receiver's retransmission line
                final int line = ((InetSocketAddress)from).getPort() == ExchangeSimulator.REQUEST_PORT ? 1 : 0;
                receiver.onPacket(line, packet, 0, rx.position(), rxNs, rxNs);
                receiver.poll(rxNs);
            }
        }
        catch (final ClosedChannelException ex)
        {
            // the trader is stopping
        }
        catch (final IOException ex)
        {
            System.err.println("oobnet: the trading thread's feed failed: " + ex.getMessage());
        }
        while (!released)
        {
            LockSupport.parkNanos(1_000_000L);
        }
    }
}
