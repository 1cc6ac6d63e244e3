package org.oobnet.harness.bench.feed;

import java.lang.foreign.Arena;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.oobnet.config.InterfaceConfig;
import org.oobnet.config.UdpTransport;
import org.oobnet.core.OobConfig;
import org.oobnet.core.OobRuntime;
import org.oobnet.core.OobSocket;
import org.oobnet.core.ProtocolRegistry;
import org.oobnet.core.RealtimeNanoClock;
import org.oobnet.core.counters.CountersFileReader;
import org.oobnet.harness.env.NamespaceThread;
import org.oobnet.inband.KSocket;
import org.oobnet.inband.SocketConstants;
import org.oobnet.moldudp64.stage.MoldUdp64Address;
import org.oobnet.moldudp64.stage.MoldUdp64Protocol;
import org.oobnet.netns.NetnsTopology;
import org.oobnet.udp.UdpStack;
import org.oobnet.udp.UdpStackConfig;

/**
 * The feed bench's {@code stage} phase: one OOB runtime in the subscriber's namespace, one MoldUDP64 feed socket on
 * lines A and B (packet transport), its records taken by a stage receive handler ({@link FeedBooks}): messages/s,
 * kernel RX timestamp → delivery and send → delivery percentiles, books, the rings' kernel drops.
 * <p>
 * <b>Note:</b> in-band; the publisher runs on the calling thread.
 */
final class StageFeedPhase
{
    private final FeedBenchSettings settings;

    StageFeedPhase(final FeedBenchSettings settings)
    {
        this.settings = settings;
    }

    Map<String, Object> run(final BenchPublisher publisher, final NamespaceThread b, final NetnsTopology.Host sub,
        final NetnsTopology.Host pub) throws Exception
    {
        System.err.println(FeedBenchRun.NAME + ": stage phase (feed socket, lines A and B)");
        final DeliveryTimes times = new DeliveryTimes();
        final FeedBooks books = new FeedBooks(new RealtimeNanoClock(), times);
        final Path countersDir = Files.createTempDirectory("oobnet-feed-bench-");
        // a feed's bursts want a deeper RX ring than the default
        try (UdpStack stack = b.call(() -> UdpStack.open(new UdpStackConfig(UdpTransport.PACKET,
            List.of(new InterfaceConfig(sub.interfaceName(), settings.rxFrames(), FeedBenchRun.FRAME_SIZE, 256, true)),
            UdpStackConfig.DEFAULT_KERNEL_BATCH, UdpStackConfig.DEFAULT_RX_POLL_LIMIT, true,
            UdpStackConfig.DEFAULT_REFRESH_INTERVAL_MS)));
            OobRuntime runtime = OobRuntime.start(OobConfig.builder()
                .idleStrategy(settings.idleKind())
                .countersDir(countersDir)
                .receiveRingBytes(16 * 1024 * 1024)
                .build(), new ProtocolRegistry()
                .register(SocketConstants.AF_INET, stack.protocol())
                .register(OobRuntime.AF_OOB, new MoldUdp64Protocol())))
        {
            final long messages = settings.messages();
            final Map<String, Long> lines;
            final long publishNs;
            final Map<String, Long> drops;
            try (KSocket socket = b.call(() -> feedSocket(books, sub, pub)))
            {
                LockSupport.parkNanos(50_000_000L); // the joins reach the bridge-less veth at once; the stage's first cycles
                final long deadline = System.nanoTime() + settings.timeoutNs();
                publishNs = publisher.publish(() -> books.delivered + books.lost >= messages ||
                    System.nanoTime() - deadline > 0);
                lines = FeedCounters.afterDelivery(runtime, OobSocket.of(socket).id(), books.delivered);
                drops = kernelDrops(runtime.countersPath());
            }
            final Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("published_per_s", FeedBenchRun.perSecond(messages, publishNs));
            times.addTo(summary);
            summary.putAll(books.summary(lines));
            summary.put("ring_kernel_drops", drops);
            return summary;
        }
        finally
        {
            // the runtime deleted its counters file on close
            Files.deleteIfExists(countersDir);
        }
    }

    private static KSocket feedSocket(final FeedBooks books, final NetnsTopology.Host sub, final NetnsTopology.Host pub)
        throws Exception
    {
        final KSocket socket = KSocket.socket(OobRuntime.AF_OOB, MoldUdp64Protocol.SOCK_DGRAM | SocketConstants.SOCK_OOB,
            MoldUdp64Protocol.IPPROTO_MOLDUDP64);
        try (Arena arena = Arena.ofConfined())
        {
            OobSocket.of(socket).stageReceiveHandler(books);
            socket.bind(MoldUdp64Address.subscribe(
                Ipv4Addresses.toInt(InetAddress.getByName(sub.address())),
                Ipv4Addresses.toInt(InetAddress.getByName(pub.address())), FeedBenchRun.REQUEST_PORT,
                new int[]{ Ipv4Addresses.toInt(InetAddress.getByName(FeedBenchRun.GROUP_A)),
                    Ipv4Addresses.toInt(InetAddress.getByName(FeedBenchRun.GROUP_B)) },
                new int[]{ FeedBenchRun.PORT_A, FeedBenchRun.PORT_B }).encode(arena));
            return socket;
        }
        catch (final Exception ex)
        {
            socket.close();
            throw ex;
        }
    }

    private static Map<String, Long> kernelDrops(final Path countersPath)
    {
        final Map<String, Long> drops = new LinkedHashMap<>();
        try (CountersFileReader reader = CountersFileReader.open(countersPath))
        {
            reader.counters().forEach((value, id, label) ->
            {
                if (label.endsWith("kernel drops"))
                {
                    drops.put(label, value);
                }
            });
        }
        return drops;
    }
}
