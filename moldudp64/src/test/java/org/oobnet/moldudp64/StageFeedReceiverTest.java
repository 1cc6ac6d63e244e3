package org.oobnet.moldudp64;

import org.junit.jupiter.api.Test;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.OobTask;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.moldudp64.stage.StageFeedReceiver;
import org.oobnet.udp.UdpSockets;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;
import org.oobnet.udp.frame.Ipv4Flyweight;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The receiver on the OOB stage: two OOB UDP sockets (packet transport, PACKET_MMAP rings) receive lines A and B
 * of Nassau's feed from the other namespace, their stage receive handlers feed the receiver zero-copy, and the
 * request socket asks Nassau's request server with {@code oobSendTo} from the stage. Exact books.
 */
class StageFeedReceiverTest
{
    private static final int IP_ADD_MEMBERSHIP = 35;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(90);

    @Test
    void shouldDeliverNassausFeedOnceInOrderOnTheStageWhenBothLinesLoseReorderAndRepeat() throws Exception
    {
        final int messageCount = 6000;
        final long seed = 22L;
        System.out.println("seed=" + seed);
        try (NetnsFixture net = NetnsFixture.create(2))
        {
            final NetnsFixture.Host pub = net.host(0);
            final NetnsFixture.Host sub = net.host(1);
            final UdpStack stack = net.call(sub, () ->
                UdpStack.open(UdpStackConfig.of(UdpTransport.PACKET, sub.interfaceName())));
            final ProtocolRegistry registry = new ProtocolRegistry();
            registry.register(SocketConstants.AF_INET, stack.protocol());
            final Path countersDir = Files.createTempDirectory("moldudp64-stage-test");
            final OobRuntime runtime = OobRuntime.start(OobConfig.builder()
                .idleStrategy(OobConfig.IdleStrategyKind.BACKOFF)
                .countersDir(countersDir)
                .countersValuesBytes(64 * 1024 * 128)
                .errorLogBytes(64 * 1024)
                .build(), registry);
            KSocket lineA = null;
            KSocket lineB = null;
            KSocket request = null;
            try
            {
                lineA = net.call(sub, () -> member(NassauFeed.GROUP_A, NassauFeed.PORT_A, sub.address()));
                lineB = net.call(sub, () -> member(NassauFeed.GROUP_B, NassauFeed.PORT_B, sub.address()));
                request = net.call(sub, () ->
                {
                    final KSocket socket = UdpSockets.open(UdpTransport.PACKET);
                    socket.bind(new InetSocketAddress(sub.address(), 0));
                    return socket;
                });
                final OobSocket requestSocket = OobSocket.of(request);
                final int server = Ipv4Flyweight.parseAddress(pub.address());
                net.call(sub, () ->
                {
                    UdpSockets.solicit(requestSocket, server, false);
                    return null;
                });

                final FeedBook book = new FeedBook();
                final MoldUdp64ReceiverConfig config = new MoldUdp64ReceiverConfig(
                    2, 1, 500_000, 20_000_000, 500_000_000, 10, 1000);
                final StageFeedReceiver feedReceiver = new StageFeedReceiver(config, book,
                    new OobSocket[]{ OobSocket.of(lineA), OobSocket.of(lineB) }, requestSocket,
                    server, NassauFeed.REQUEST_PORT);
                runtime.addTask(feedReceiver, OobTask.Schedule.EVERY_CYCLE);

                try (NassauFeed feed = new NassauFeed(net, pub, seed))
                {
                    feed.start(messageCount, seed, System.nanoTime() + DEADLINE_NS);
                    final long packets;
                    try
                    {
                        final long deadline = System.nanoTime() + DEADLINE_NS;
                        while (book.endOfSession < 0 && System.nanoTime() - deadline < 0 && !feed.isDone())
                        {
                            Thread.sleep(10);
                        }
                    }
                    finally
                    {
                        packets = feed.stop();
                        // after this the stage no longer runs the task: its state is safe to read here
                        runtime.removeTask(feedReceiver);
                    }

                    final MoldUdp64Receiver r = feedReceiver.receiver();
                    final String books = "packets=" + packets + " " + feed.books() + " requests=" +
                        r.feed().requests() + " (in-band " + feedReceiver.requestsInBand() + ") retransmitted=" +
                        r.line(2).wins() + " filledA=" + r.line(0).filled() + " filledB=" + r.line(1).filled() +
                        " parkedA=" + r.line(0).parked() + " parkedB=" + r.line(1).parked() +
                        " lost=" + r.feed().lost() + " stageErrors=" + runtime.counters().errors().get();
                    System.out.println(books);
                    assertEquals(0, runtime.counters().errors().get(), "stage errors (a failed book check throws there)");
                    book.assertNassauFeed(r, messageCount, books);
                }
            }
            finally
            {
                for (final KSocket socket : new KSocket[]{ lineA, lineB, request })
                {
                    if (null != socket)
                    {
                        socket.close();
                    }
                }
                runtime.close();
                stack.close();
            }
        }
    }

    /** In the namespace: an OOB UDP socket on the port, whose kernel socket joined the group. */
    private static KSocket member(final String group, final int port, final String interfaceAddress) throws Exception
    {
        final KSocket socket = UdpSockets.open(UdpTransport.PACKET);
        try
        {
            socket.bind(new InetSocketAddress("0.0.0.0", port));
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment mreq = arena.allocate(8, 4);
                final ValueLayout.OfInt bigEndian = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
                mreq.set(bigEndian, 0, Ipv4Flyweight.parseAddress(group));
                mreq.set(bigEndian, 4, Ipv4Flyweight.parseAddress(interfaceAddress));
                socket.setOption(SocketConstants.SOL_IP, IP_ADD_MEMBERSHIP, mreq);
            }
            return socket;
        }
        catch (final Exception ex)
        {
            socket.close();
            throw ex;
        }
    }
}
