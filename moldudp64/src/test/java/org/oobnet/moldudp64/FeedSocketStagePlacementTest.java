package org.oobnet.moldudp64;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobReceiveHandler;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.moldudp64.stage.MoldUdp64Address;
import org.oobnet.moldudp64.stage.MoldUdp64Counter;
import org.oobnet.moldudp64.stage.MoldUdp64Protocol;
import org.oobnet.moldudp64.stage.MoldUdp64ProtocolConfig;
import org.oobnet.netns.testing.NetnsFixture;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;
import org.oobnet.udp.frame.Ipv4Flyweight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A feed socket placed on a stage of its own ({@code SO_OOB_STAGE}, here {@link OobSocket#placeOnStage}) in a
 * runtime of two stages: its line and request sockets go on that stage too, so that their receive handlers may
 * deliver to it ({@code OobSocket.deliver} refuses another stage's thread) and its receiver's timers run with them.
 * The interface belongs to the first stage, and oob-udp's kernel transport gives each child a device of its own:
 * placed by their interface the children would land on the first stage and not one record would arrive.
 * Nassau's A/B feed with faults and its request server; exact books, every record on the feed stage's thread.
 */
class FeedSocketStagePlacementTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(90);

    @Test
    void shouldRunTheLineSocketsOnTheFeedSocketsStageWhenTheFeedSocketIsPlacedOnAnotherStage() throws Exception
    {
        final int messageCount = 3000;
        final long seed = 25L;
        try (NetnsFixture net = NetnsFixture.create(2))
        {
            final NetnsFixture.Host pub = net.host(0);
            final NetnsFixture.Host sub = net.host(1);
            final Path countersDir = Files.createTempDirectory("moldudp64-placement-test");
            final int lastCpu = Runtime.getRuntime().availableProcessors() - 1;
            try (UdpStack stack = net.call(sub, () -> UdpStack.open(UdpStackConfig.of(UdpTransport.KERNEL,
                sub.interfaceName())));
                OobRuntime runtime = OobRuntime.start(OobConfig.builder()
                    .countersDir(countersDir)
                    .stages(List.of(
                        new OobConfig.StageSpec("main", 0, OobConfig.IdleStrategyKind.BACKOFF, 100_000L, List.of()),
                        new OobConfig.StageSpec("feed", lastCpu, OobConfig.IdleStrategyKind.BACKOFF, 100_000L, List.of())))
                    .build(), new ProtocolRegistry()
                    .register(SocketConstants.AF_INET, stack.protocol())
                    .register(OobRuntime.AF_OOB, new MoldUdp64Protocol(kernelTransport()))))
            {
                final RecordBook book = new RecordBook();
                final Map<String, Boolean> threads = new ConcurrentHashMap<>();
                final KSocket feed = net.call(sub, () ->
                {
                    final KSocket socket = KSocket.socket(OobRuntime.AF_OOB,
                        MoldUdp64Protocol.SOCK_DGRAM | SocketConstants.SOCK_OOB, MoldUdp64Protocol.IPPROTO_MOLDUDP64);
                    assertEquals(0, OobSocket.of(socket).placeOnStage("feed"));
                    OobSocket.of(socket).stageReceiveHandler(new OobReceiveHandler()
                    {
                        @Override
                        public void onMessage(final OobSocket s, final DirectBuffer buffer, final int offset, final int length)
                        {
                            threads.putIfAbsent(Thread.currentThread().getName(), Boolean.TRUE);
                            book.onMessage(s, buffer, offset, length);
                        }
                    });
                    try (Arena arena = Arena.ofConfined())
                    {
                        socket.bind(MoldUdp64Address.subscribe(Ipv4Flyweight.parseAddress(sub.address()),
                            Ipv4Flyweight.parseAddress(pub.address()), NassauFeed.REQUEST_PORT,
                            new int[]{ Ipv4Flyweight.parseAddress(NassauFeed.GROUP_A),
                                Ipv4Flyweight.parseAddress(NassauFeed.GROUP_B) },
                            new int[]{ NassauFeed.PORT_A, NassauFeed.PORT_B }).encode(arena));
                    }
                    return socket;
                });
                try (NassauFeed nassau = new NassauFeed(net, pub, seed))
                {
                    nassau.start(messageCount, seed, System.nanoTime() + DEADLINE_NS);
                    final long deadline = System.nanoTime() + DEADLINE_NS;
                    while (book.endOfSession < 0 && System.nanoTime() - deadline < 0 && !nassau.isDone())
                    {
                        Thread.sleep(10);
                    }
                    // the stage publishes the counters every millisecond when it runs: wait for the last publication
                    Map<String, Long> counters = MoldUdp64Counter.read(runtime.countersPath(), OobSocket.of(feed).id());
                    final long published = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (MoldUdp64FeedSocketTest.wins(counters) < messageCount && System.nanoTime() - published < 0)
                    {
                        Thread.sleep(1);
                        counters = MoldUdp64Counter.read(runtime.countersPath(), OobSocket.of(feed).id());
                    }
                    final long packets = nassau.stop();
                    final String books = "packets=" + packets + " " + nassau.books() + " " + book.books() + " " +
                        counters + " threads=" + threads.keySet();
                    feed.close();
                    assertNull(book.broken, books);
                    assertEquals(messageCount + 1L, book.endOfSession, books);
                    assertEquals(messageCount, book.delivered, books);
                    assertEquals(messageCount, MoldUdp64FeedSocketTest.wins(counters), books);
                    assertEquals(List.of("oob-stage-feed"), List.copyOf(threads.keySet()), books);
                    assertEquals(0, runtime.counters().errors().get(), "stage errors; " + books);
                    assertEquals(0, runtime.stage("feed").counters().errors().get(), "feed stage errors; " + books);
                }
            }
            finally
            {
                Files.deleteIfExists(countersDir);
            }
        }
    }

    private static MoldUdp64ProtocolConfig kernelTransport()
    {
        final MoldUdp64ProtocolConfig defaults = MoldUdp64ProtocolConfig.defaults();
        return new MoldUdp64ProtocolConfig(UdpTransport.KERNEL, defaults.packetCapacity(), defaults.heartbeatIntervalNs(),
            defaults.storeMessages(), defaults.recovery());
    }
}
