package org.oobnet.harness.bench.t2t;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.core.RealtimeNanoClock;
import org.oobnet.harness.bench.run.IntervalReporter;
import org.oobnet.harness.bench.run.StageSamples;
import org.oobnet.harness.report.GcDelta;
import org.oobnet.harness.report.IntervalLogHeader;
import org.oobnet.harness.report.LatencyRecorder;
import org.oobnet.harness.report.LatmusLines;
import org.oobnet.harness.report.RunDescription;
import org.oobnet.harness.report.RunJson;
import org.oobnet.harness.report.RunResult;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.TxTimestamps;
import org.oobnet.inband.SocketConstants;
import org.oobnet.moldudp64.publish.LineFaults;
import org.oobnet.moldudp64.publish.MoldUdp64MessageStore;
import org.oobnet.moldudp64.publish.MoldUdp64Publisher;
import org.oobnet.moldudp64.publish.MoldUdp64RequestServer;
import org.oobnet.moldudp64.publish.PublishedLine;
import org.oobnet.soupbintcp.SequencedStore;
import org.oobnet.soupbintcp.SoupBinTcpEnd;
import org.oobnet.soupbintcp.SoupBinTcpServer;
import org.oobnet.soupbintcp.SoupBinTcpSettings;
import org.oobnet.tcp.TcpOobProtocol;

/**
 * The exchange of {@code oobnet latency tick-to-trade}, one per row and round, in its own namespace and JVM: it
 * accepts one SoupBinTCP login (module {@code soupbintcp}'s server, on a stage of its own over {@code oob-tcp}),
 * waits for the trader's ready message ({@link T2tMessages#isReady}), publishes MoldUDP64 ticks on a multicast group at a fixed rate (module {@code moldudp64}'s publisher, kernel UDP)
 * and times each tick from its send to the first order that answers it (the same process's clock), then ends the
 * MoldUDP64 session and writes its books. Its stage idles as asked: yield (the default: spinning measured no better on
 * 2 CPUs, BENCHMARKS.md "t2t3"), or spin: it shares its CPU with the publishing thread, which sleeps between ticks, so the run never has two
 * spinners on one CPU. For the hop decomposition it also keeps, per tick, the tick's app send time, its kernel TX
 * timestamp (the feed socket's error queue), the order's kernel RX time (the order socket's
 * {@code SCM_TIMESTAMPING} where it is the order's own, else the time of its segment at a packet tap,
 * {@link OrderTap}, which the tick thread reads after each tick) and app read time, all {@code CLOCK_REALTIME}
 * ({@code <output>.exchange.stamps}).
 * <p>
 * <b>Note:</b> in-band; one run per instance.
 */
public final class ExchangeSimulator
{
    /** The line the exchange prints once it listens: then the trader may connect. */
    static final String READY = "T2T-EXCHANGE-READY ";
    /** The SoupBinTCP port. */
    static final int ORDER_PORT = 7610;
    /** The MoldUDP64 feed's port. */
    static final int FEED_PORT = 7611;
    /** The MoldUDP64 request server's port: a tick the trader missed is sent again from there. */
    static final int REQUEST_PORT = 7612;
    /** The MoldUDP64 feed's group. */
    static final String FEED_GROUP = "239.251.16.1";
    /** The trader's SoupBinTCP username and password. */
    static final String USER = "t2t";
    /** The SoupBinTCP and MoldUDP64 session. */
    static final String SESSION = "T2T";
    /** The exchange waits for the trader's login and ready message at most this long. */
    private static final long LOGIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    /** The largest MoldUDP64 packet (Nassau's). */
    private static final int PACKET_CAPACITY = 1400;
    /** Heartbeat interval while the last orders are awaited. */
    private static final long HEARTBEAT_NS = TimeUnit.MILLISECONDS.toNanos(10);
    /** The exchange waits for a trader still answering at most this long after its last tick. */
    private static final long ORDER_WAIT_CAP_NS = TimeUnit.SECONDS.toNanos(30);
    /** Requests answered per poll between ticks. */
    private static final int REQUESTS_PER_POLL = 16;

    private final String bindAddress;
    private final String interfaceName;
    private final int cpu;
    private final RunDescription description;
    private final long warmupTicks;
    private final long measuredTicks;
    private final long receiveTimeoutNs;
    private final OobConfig.IdleStrategyKind idle;

    /**
     * @param bindAddress      the address the SoupBinTCP server listens on.
     * @param interfaceName    the interface the ticks leave by.
     * @param cpu              the stage's CPU, -1 for none.
     * @param description      the row (its rate is the tick rate).
     * @param warmupTicks      ticks answered before measuring.
     * @param measuredTicks    ticks measured.
     * @param receiveTimeoutNs how long after the last tick, and after the trader's last order or request since,
     *                         an order may still come.
     * @param idle             the exchange stage's idle strategy.
     */
    public ExchangeSimulator(
        final String bindAddress, final String interfaceName, final int cpu, final RunDescription description,
        final long warmupTicks, final long measuredTicks, final long receiveTimeoutNs,
        final OobConfig.IdleStrategyKind idle)
    {
        if (warmupTicks + measuredTicks > Integer.MAX_VALUE - 1)
        {
            throw new IllegalArgumentException("ticks=" + (warmupTicks + measuredTicks) + " is more than a run holds");
        }
        this.bindAddress = bindAddress;
        this.interfaceName = interfaceName;
        this.cpu = cpu;
        this.description = description;
        this.warmupTicks = warmupTicks;
        this.measuredTicks = measuredTicks;
        this.receiveTimeoutNs = receiveTimeoutNs;
        this.idle = idle;
    }

    /**
     * Runs to the end and writes {@code <output>.hlog} (the measured ticks' intervals) and {@code <output>.run.json}
     * (the row, with its {@code books}).
     *
     * @param out    where the {@code READY} line and the latmus lines go.
     * @param output the path prefix of the files.
     * @return the books.
     * @throws IOException when a socket or file fails, or the trader never logs in.
     */
    public OrderBooks.Books run(final PrintStream out, final Path output) throws IOException
    {
        final long total = warmupTicks + measuredTicks;
        final StageSamples samples = new StageSamples(StageSamples.DEFAULT_CAPACITY);
        final RealtimeNanoClock realtime = new RealtimeNanoClock();
        final TickStamps stamps = new TickStamps((int)total, TickStamps.EXCHANGE_COLUMNS);
        stamps.measuredFrom(warmupTicks + 1);
        final OrderBooks books = new OrderBooks((int)total, samples, stamps, realtime);
        final LatencyRecorder recorder = new LatencyRecorder();
        final Path counters = Files.createTempDirectory("oobnet-t2t-exchange");
        final MoldUdp64MessageStore store = new MoldUdp64MessageStore();
        final ProtocolRegistry registry = new ProtocolRegistry().register(SocketConstants.AF_INET, new TcpOobProtocol());
        try (OobRuntime runtime = OobRuntime.start(OobConfig.builder().stageCpu(cpu)
                .idleStrategy(idle).countersDir(counters).build(), registry);
            KSocket listener = KSocket.socket(SocketConstants.AF_INET,
                SocketConstants.SOCK_STREAM | SocketConstants.SOCK_OOB, 0);
            PrintStream logStream = new PrintStream(Path.of(output + ".hlog").toFile());
            DatagramChannel feed = feedChannel();
            TxTimestamps tickTx = new TxTimestamps(ChannelFd.of(feed));
            MoldUdp64Publisher publisher = new MoldUdp64Publisher(SESSION, store, PACKET_CAPACITY,
                List.of(new PublishedLine(feed, new InetSocketAddress(FEED_GROUP, FEED_PORT),
                    LineFaults.NONE)));
            MoldUdp64RequestServer requests = new MoldUdp64RequestServer(requestChannel(), publisher.session(), store,
                PACKET_CAPACITY);
            OrderTap tap = OrderTap.open(interfaceName, bindAddress, ORDER_PORT))
        {
            listener.setOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_REUSEADDR, 1);
            listener.bind(new InetSocketAddress(bindAddress, ORDER_PORT));
            listener.listen(1);
            out.println(READY + bindAddress + ":" + ORDER_PORT);
            out.flush();
            final KSocket.Accepted accepted = listener.accept(0);
            final OobSocket orders = OobSocket.of(accepted.socket());
            final int timestamps = TcpOobProtocol.rxTimestamps(orders);
            if (timestamps < 0)
            {
                accepted.socket().close();
                throw new IOException("the order socket refused RX timestamps: errno=" + -timestamps);
            }
            books.orderSocket(orders);
            final SoupBinTcpServer server = new SoupBinTcpServer(orders,
                new SoupBinTcpSettings(1_000, 60_000, 4096), new SequencedStore(64 * 1024, 1024), USER, USER, SESSION,
                books);
            server.start();
            boolean closed = false;
            try
            {
                awaitTraderReady(books);
                final HistogramLogWriter log = new HistogramLogWriter(logStream);
                final IntervalReporter reporter = new IntervalReporter(recorder, samples, log, out, () -> 0, () -> -1);
                out.println(LatmusLines.header(description));
                out.println(LatmusLines.COLUMNS);
                out.flush();
                final TickLoop loop = new TickLoop(publisher, requests, books, description.rateHz(), tickTx, stamps,
                    realtime, tap);
                loop.send(1, warmupTicks);
                recorder.restart();
                IntervalLogHeader.startMeasuredPhase(log);
                reporter.start();
                final GcDelta gcStart = GcDelta.snapshot();
                final long start = System.nanoTime();
                books.measureFrom(warmupTicks + 1);
                loop.send(warmupTicks + 1, measuredTicks);
                final long measuredNs = System.nanoTime() - start;
                final String orderWaitEnd = awaitOrders(publisher, books, requests, total);
                loop.reapTxTimestamps();
                tap.drain(stamps); // the tick thread is done: the last orders' segments
                publisher.endOfSession();
                final GcDelta gc = GcDelta.snapshot().minus(gcStart);
                reporter.stopAndFlush();
                final Histogram histogram = LatencyRecorder.newHistogram();
                histogram.add(recorder.total());
                server.close();
                closed = true;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // a stage cycle: the session is off it
                final OrderBooks.Books result = books.books(total);
                final RunResult run = new RunResult(description, histogram, warmupTicks,
                    loop.warmupNs(), result.lostMeasured(), loop.overruns(), -1, -1, 0, gc, measuredNs,
                    recorder.clampedCount());
                out.println(LatmusLines.rts(histogram, run.overruns(), -1, measuredNs, description));
                out.flush();
                final ObjectNode json = RunJson.toJson(run);
                T2tJson.putBooks(json, result);
                putRequestServer(json, requests);
                json.put("order_wait_end", orderWaitEnd);
                T2tJson.putOrderTap(json, tap);
                RunJson.write(Path.of(output + ".run.json"), json);
                OrderTap.chooseKernelRx(stamps);
                stamps.write(Path.of(output + ".exchange.stamps"));
                return result;
            }
            finally
            {
                if (!closed)
                {
                    server.close();
                }
            }
        }
        finally
        {
            deleteQuietly(counters);
        }
    }

    private DatagramChannel feedChannel() throws IOException
    {
        final NetworkInterface nif = NetworkInterface.getByName(interfaceName);
        if (nif == null)
        {
            throw new IllegalArgumentException("interface=" + interfaceName + " does not exist (ip link lists them)");
        }
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try
        {
            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
            channel.bind(new InetSocketAddress(bindAddress, 0));
            return channel;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    // the first tick waits for the trader's ready message, not only its login: a tick it cannot answer yet would be
    // a warm-up tick unanswered
    private static void awaitTraderReady(final OrderBooks books) throws IOException
    {
        final long deadline = System.nanoTime() + LOGIN_TIMEOUT_NS;
        while (!books.isTraderReady())
        {
            if (System.nanoTime() - deadline > 0 || SoupBinTcpEnd.NONE != books.ended())
            {
                throw new IOException("the trader did not log in and say it is ready (session end: " +
                    books.ended() + ")");
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }

    // After the last tick: heartbeats (a receiver that missed the last ticks sees the gap and asks), requests
    // answered, until every order came, or the trader was silent (no new order, no request) for the receive timeout,
    // or ORDER_WAIT_CAP_NS. Silence, not time since the last tick: a trader starved past the last tick first answers
    // the ticks its socket held, in order, and learns of the gap behind them (and asks) only when it reaches the
    // first packet past it; a fixed window cut it off while its orders were still coming (issue 16: 266 of 600).
    // Returns why the wait ended, for the books.
    private String awaitOrders(
        final MoldUdp64Publisher publisher, final OrderBooks books, final MoldUdp64RequestServer requests,
        final long total) throws IOException
    {
        final long capDeadline = System.nanoTime() + ORDER_WAIT_CAP_NS;
        long deadline = System.nanoTime() + receiveTimeoutNs;
        long activity = books.received();
        long nextHeartbeat = 0;
        while (books.received() < total && System.nanoTime() - deadline < 0 && SoupBinTcpEnd.NONE == books.ended())
        {
            if (System.nanoTime() - nextHeartbeat >= 0)
            {
                publisher.heartbeat();
                nextHeartbeat = System.nanoTime() + HEARTBEAT_NS;
            }
            final int asked = requests.poll(REQUESTS_PER_POLL);
            final long received = books.received();
            if (asked > 0 || received != activity)
            {
                activity = received;
                deadline = Math.min(System.nanoTime() + receiveTimeoutNs, capDeadline);
            }
            LockSupport.parkNanos(1_000_000L);
        }
        return books.received() >= total ? "all orders" : SoupBinTcpEnd.NONE != books.ended() ?
            "session ended: " + books.ended() : System.nanoTime() - capDeadline >= 0 ? "wait cap" :
            "trader silent for the receive timeout";
    }

    // what the request server did for the trader's feed: a trader that asked and got no answer shows here
    private static void putRequestServer(final ObjectNode json, final MoldUdp64RequestServer requests)
    {
        final ObjectNode o = json.putObject("request_server");
        o.put("answered", requests.answered());
        o.put("messages_sent", requests.messagesSent());
        o.put("wrong_session", requests.wrongSession());
        o.put("beyond_store", requests.beyondStore());
        o.put("malformed", requests.drops().dropped());
    }

    private DatagramChannel requestChannel() throws IOException
    {
        final DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try
        {
            channel.bind(new InetSocketAddress(bindAddress, REQUEST_PORT));
            channel.configureBlocking(false);
            return channel;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    private static void deleteQuietly(final Path dir)
    {
        try (var files = Files.walk(dir))
        {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ignored)
        {
            // a temporary directory left behind is harmless
        }
    }

    /**
     * Publishing thread: ticks at the row's rate, each timed just before its packet goes to the kernel, and the
     * trader's retransmission requests answered between ticks.
     */
    private static final class TickLoop
    {
        private final MoldUdp64Publisher publisher;
        private final MoldUdp64RequestServer requests;
        private final OrderBooks books;
        private final long periodNs;
        private final UnsafeBuffer tick = new UnsafeBuffer(new byte[T2tMessages.TICK_LENGTH]);
        private final TxTimestamps tickTx;
        private final TickStamps stamps;
        private final RealtimeNanoClock realtime;
        private final OrderTap tap;
        // the tick of each datagram, by its send id (SO_TIMESTAMPING's OPT_ID: datagrams since timestamps were on)
        private final long[] tickOfSend;
        private final long firstSendId;
        private long overruns;
        private long warmupNs;

        TickLoop(
            final MoldUdp64Publisher publisher, final MoldUdp64RequestServer requests, final OrderBooks books,
            final long rateHz, final TxTimestamps tickTx, final TickStamps stamps, final RealtimeNanoClock realtime,
            final OrderTap tap)
        {
            this.tap = tap;
            this.tickTx = tickTx;
            this.stamps = stamps;
            this.realtime = realtime;
            this.tickOfSend = new long[stamps.ticks() + 1];
            this.firstSendId = publisher.packetsSent();
            this.publisher = publisher;
            this.requests = requests;
            this.books = books;
            this.periodNs = TimeUnit.SECONDS.toNanos(1) / rateHz;
        }

        void send(final long first, final long count) throws IOException
        {
            final byte phase = first == 1 ? T2tMessages.WARMUP : T2tMessages.MEASURED;
            final long start = System.nanoTime();
            for (long i = 0; i < count; i++)
            {
                final long scheduled = start + i * periodNs;
                long remaining;
                while ((remaining = scheduled - System.nanoTime()) > 0)
                {
                    // sleep: this thread shares its CPU with the exchange's stage
                    LockSupport.parkNanos(remaining);
                }
                if (phase == T2tMessages.MEASURED && -remaining > periodNs)
                {
                    overruns++;
                }
                final long sequence = first + i;
                T2tMessages.putTick(tick, phase, T2tMessages.priceOf(sequence));
                publisher.publish(tick, 0, T2tMessages.TICK_LENGTH);
                // one clock read for both: the realtime stamp (hop total) and nanoTime (latency_ns) are the same instant
                final long sentNs = System.nanoTime();
                books.tickSent(sequence, sentNs);
                final long sendId = publisher.packetsSent() - firstSendId;
                if (sendId < tickOfSend.length)
                {
                    tickOfSend[(int)sendId] = sequence;
                }
                stamps.put(sequence, TickStamps.TICK_SEND, sentNs + realtime.offsetNs());
                publisher.flush();
                reapTxTimestamps();
                // after the tick is out: the ring read (no system call) costs this CPU's stage less than a read later
                tap.drain(stamps);
                requests.poll(REQUESTS_PER_POLL);
            }
            if (phase == T2tMessages.WARMUP)
            {
                warmupNs = System.nanoTime() - start;
            }
        }

        // the feed socket's TX timestamps so far, each to its tick
        void reapTxTimestamps()
        {
            while (tickTx.poll())
            {
                final int id = tickTx.id();
                if (id >= 0 && id < tickOfSend.length && tickOfSend[id] > 0)
                {
                    stamps.put(tickOfSend[id], TickStamps.TICK_KERNEL_TX, tickTx.timestampNs());
                }
            }
        }

        long overruns()
        {
            return overruns;
        }

        long warmupNs()
        {
            return warmupNs;
        }
    }
}
