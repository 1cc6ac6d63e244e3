package org.oobnet.harness.bench.t2t;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.core.RealtimeNanoClock;
import org.oobnet.core.counters.CountersFileReader;
import org.oobnet.core.counters.StageHops;
import org.oobnet.harness.bench.run.StageSamples;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.moldudp64.MoldUdp64ReceiverConfig;
import org.oobnet.moldudp64.stage.MoldUdp64Address;
import org.oobnet.moldudp64.stage.MoldUdp64Counter;
import org.oobnet.moldudp64.stage.MoldUdp64Protocol;
import org.oobnet.moldudp64.stage.MoldUdp64ProtocolConfig;
import org.oobnet.moldudp64.stage.MoldUdp64Record;
import org.oobnet.packet.stats.PacketCounter;
import org.oobnet.soupbintcp.SoupBinTcpClient;
import org.oobnet.soupbintcp.SoupBinTcpClientListener;
import org.oobnet.soupbintcp.SoupBinTcpEnd;
import org.oobnet.soupbintcp.SoupBinTcpSettings;
import org.oobnet.tcp.TcpOobProtocol;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;

/**
 * The {@code t2t-stage} trader: ONE OOB stage receives the tick (the MoldUDP64 feed socket over oob-udp), runs
 * the strategy and sends the order over SoupBinTCP on stage-driven TCP (oob-tcp), in the same handler call. The
 * in-process latency runs from the tick packet's kernel RX timestamp to the order handed to the kernel
 * ({@code CLOCK_REALTIME}).
 * <p>
 * <b>Note:</b> in-band; the trading itself runs on the stage it starts.
 */
public final class StageTrader
{
    private static final long LOGIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final InetSocketAddress exchange;
    private final String interfaceName;
    private final UdpTransport transport;
    private final int cpu;
    private final OobConfig.IdleStrategyKind idle;
    private final long orderReceiveIntervalNs;

    /**
     * @param exchange      the exchange's SoupBinTCP address.
     * @param interfaceName the interface the feed comes in on.
     * @param transport     oob-udp's transport for the feed socket.
     * @param cpu           the stage's CPU, -1 for none.
     * @param idle          the stage's idle strategy.
     * @param orderReceiveIntervalNs how often the stage receives from the quiet order connection (0: every
     *                      cycle); see {@link TcpOobProtocol#TcpOobProtocol(int, int, long)}.
     */
    public StageTrader(
        final InetSocketAddress exchange, final String interfaceName, final UdpTransport transport, final int cpu,
        final OobConfig.IdleStrategyKind idle, final long orderReceiveIntervalNs)
    {
        this.orderReceiveIntervalNs = orderReceiveIntervalNs;
        this.exchange = exchange;
        this.interfaceName = interfaceName;
        this.transport = transport;
        this.cpu = cpu;
        this.idle = idle;
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
        final RealtimeNanoClock realtime = new RealtimeNanoClock();
        final TickAnswer answer = new TickAnswer(realtime, samples,
            new TickStamps((int)ticks, TickStamps.TRADER_COLUMNS), realtime, true);
        final MoldUdp64ProtocolConfig defaults = MoldUdp64ProtocolConfig.defaults();
        final MoldUdp64Protocol feedProtocol = new MoldUdp64Protocol(new MoldUdp64ProtocolConfig(transport,
            defaults.packetCapacity(), defaults.heartbeatIntervalNs(), defaults.storeMessages(),
            MoldUdp64ReceiverConfig.defaults(1)));
        final Path counters = Files.createTempDirectory("oobnet-t2t-trader");
        try (UdpStack stack = UdpStack.open(UdpStackConfig.of(transport, interfaceName)))
        {
            final ProtocolRegistry registry = new ProtocolRegistry()
                .register(SocketConstants.AF_INET, stack.protocol())
                .register(SocketConstants.AF_INET, new TcpOobProtocol(TcpOobProtocol.DEFAULT_RECEIVE_BYTES,
                    TcpOobProtocol.DEFAULT_SEND_BYTES, orderReceiveIntervalNs))
                .register(OobRuntime.AF_OOB, feedProtocol);
            try (OobRuntime runtime = OobRuntime.start(OobConfig.builder().stageCpu(cpu).idleStrategy(idle)
                    .countersDir(counters).build(), registry);
                KSocket feed = KSocket.socket(OobRuntime.AF_OOB,
                    MoldUdp64Protocol.SOCK_DGRAM | SocketConstants.SOCK_OOB, MoldUdp64Protocol.IPPROTO_MOLDUDP64))
            {
                OobSocket.of(feed).stageReceiveHandler(new FeedRecords(answer, realtime.offsetNs()));
                try (Arena arena = Arena.ofConfined())
                {
                    // a missed tick is asked for again from the exchange's request server
                    feed.bind(MoldUdp64Address.subscribe(ipv4(localAddress()), ipv4(exchange.getAddress()),
                        ExchangeSimulator.REQUEST_PORT, new int[]{ ipv4(InetAddress.getByName(ExchangeSimulator.FEED_GROUP)) },
                        new int[]{ ExchangeSimulator.FEED_PORT }).encode(arena));
                }
                final KSocket tcp = KSocket.socket(SocketConstants.AF_INET,
                    SocketConstants.SOCK_STREAM | SocketConstants.SOCK_OOB, 0);
                SoupBinTcpClient client = null;
                try
                {
                    tcp.connect(exchange);
                    client = new SoupBinTcpClient(OobSocket.of(tcp), new SoupBinTcpSettings(1_000, 60_000, 4096),
                        ExchangeSimulator.USER, ExchangeSimulator.USER, "", 0, new Session());
                    answer.sender(client::sendUnsequenced);
                    client.start();
                    awaitLogin(client);
                    new TraderRun(answer, samples).awaitAndWrite(runtime.stageThread().threadId(),
                        () -> runtime.counters().stalls().get(), true, cpu, runtime::pinned, expectedNs, stop,
                        output, out, json -> putFeedFigures(json, runtime.countersPath(), OobSocket.of(feed).id()));
                }
                finally
                {
                    // the session's close takes its timers off the stage and closes the socket
                    if (client != null)
                    {
                        client.close();
                    }
                    else
                    {
                        tcp.close();
                    }
                }
            }
        }
        finally
        {
            try (var files = Files.walk(counters))
            {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private InetAddress localAddress() throws IOException
    {
        final java.net.NetworkInterface nif = java.net.NetworkInterface.getByName(interfaceName);
        if (nif == null)
        {
            throw new IllegalArgumentException("interface=" + interfaceName + " does not exist (ip link lists them)");
        }
        return nif.inetAddresses().filter(a -> a.getAddress().length == 4).findFirst()
            .orElseThrow(() -> new IOException("interface " + interfaceName + " has no IPv4 address"));
    }

    private static int ipv4(final InetAddress address)
    {
        return ByteBuffer.wrap(address.getAddress()).getInt();
    }

    private static void awaitLogin(final SoupBinTcpClient client) throws IOException
    {
        final long deadline = System.nanoTime() + LOGIN_TIMEOUT_NS;
        while (!client.isLoggedIn())
        {
            if (SoupBinTcpEnd.NONE != client.end() || System.nanoTime() - deadline > 0)
            {
                throw new IOException("SoupBinTCP login to the exchange failed (session end: " + client.end() + ")");
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }

    // The feed's figures from the counters file (the stage publishes them every millisecond): what the kernel dropped
    // at the stage's packet rings (frames it did not take in time) and the requests its MoldUDP64 receiver sent.
    private static void putFeedFigures(final ObjectNode json, final Path countersFile, final long feedSocketId)
    {
        final long[] drops = { 0 };
        try (CountersFileReader reader = CountersFileReader.open(countersFile))
        {
            reader.counters().forEach((value, id, label) ->
            {
                if (label.endsWith(PacketCounter.KERNEL_DROPS.label()))
                {
                    drops[0] += value;
                }
            });
        }
        json.put(TraderFeed.SOCKET_DROPS, drops[0]);
        final Map<String, Long> feed = MoldUdp64Counter.read(countersFile, feedSocketId);
        json.put(TraderFeed.REQUESTS, feed.getOrDefault("request server requests", -1L));
        final ObjectNode counters = json.putObject("feed_counters");
        feed.forEach(counters::put);
    }

    /**
     * Stage: the feed socket's records, as the MoldUDP64 handler calls. With the stage's steps on, each message's
     * way in is split at the port's pick-up, the line socket's delivery (nesting depth 0) and this socket's (depth 1:
     * the line socket's handler runs the MoldUDP64 receiver, which delivers the record here).
     */
    static final class FeedRecords implements OobReceiveHandler
    {
        private final TickAnswer answer;
        // CLOCK_REALTIME - CLOCK_MONOTONIC of the trader's realtime clock, so that the steps and TICK_SEEN agree
        private final long realtimeOffsetNs;

        FeedRecords(final TickAnswer answer, final long realtimeOffsetNs)
        {
            this.answer = answer;
            this.realtimeOffsetNs = realtimeOffsetNs;
        }

        @Override
        public void onMessage(final OobSocket socket, final DirectBuffer buffer, final int offset, final int length)
        {
            final long sequence = MoldUdp64Record.sequence(buffer, offset);
            switch (MoldUdp64Record.kind(buffer, offset))
            {
                case MoldUdp64Record.MESSAGE ->
                {
                    if (StageHops.STEPS)
                    {
                        steps(socket.stage().hops());
                    }
                    answer.onMessage(sequence, buffer,
                    offset + MoldUdp64Record.HEADER_LENGTH, length - MoldUdp64Record.HEADER_LENGTH,
                    MoldUdp64Record.line(buffer, offset), MoldUdp64Record.rxTimestampNs(buffer, offset));
                }
                case MoldUdp64Record.LOST -> answer.onLost(sequence, MoldUdp64Record.count(buffer, offset));
                case MoldUdp64Record.END_OF_SESSION -> answer.onEndOfSession(sequence);
                default ->
                {
                    // SESSION: nothing to trade
                }
            }
        }

        private void steps(final StageHops hops)
        {
            final long recordNs = hops.stepDeliveryNs(1);
            if (0 != recordNs)
            {
                answer.steps(hops.stepPickupNs() + realtimeOffsetNs, hops.stepDeliveryNs(0) + realtimeOffsetNs,
                    recordNs + realtimeOffsetNs);
            }
        }
    }

    /**
     * Stage: the SoupBinTCP session's reports. Its login accepted, the session can send orders: the trader tells the
     * exchange it is ready (the exchange's first tick waits for that), from the stage, so that no tick reaches the
     * feed's handler before the session is logged in.
     */
    private static final class Session implements SoupBinTcpClientListener
    {
        private final UnsafeBuffer ready = new UnsafeBuffer(new byte[T2tMessages.READY_LENGTH]);

        Session()
        {
            T2tMessages.putReady(ready);
        }

        @Override
        public void onLoginAccepted(final SoupBinTcpClient client, final long nextSequenceNumber)
        {
            // a failure leaves the exchange waiting: it gives up with "the trader did not ... say it is ready"
            client.sendUnsequenced(ready, 0, T2tMessages.READY_LENGTH);
        }

        @Override
        public void onLoginRejected(final SoupBinTcpClient client, final byte reason)
        {
        }

        @Override
        public void onSequencedData(
            final SoupBinTcpClient client, final long sequenceNumber, final DirectBuffer buffer, final int offset,
            final int length)
        {
        }

        @Override
        public void onEnded(final SoupBinTcpClient client, final SoupBinTcpEnd how)
        {
        }
    }
}
